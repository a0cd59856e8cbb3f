"""The list of screens at `/`, and the answer for a screen that does not exist."""

from __future__ import annotations

from dash import html

from dashboard.i18n import text
from dashboard.pages.application import home_links
from dashboard.pages.application_spec import word


def _link(title: str, path: str, suffix: str) -> html.Li:
    return html.Li(html.A([html.Span(title, className="home-title"), html.Span(path, className="home-path")],
                          href=path + suffix))


def layout(pc, lang: str, missing: str | None = None) -> html.Div:
    """Links to every wall and playlist (full page loads: each wall starts its own push stream),
    the remote control and the applications."""
    suffix = "?lang=en" if lang == "en" else ""
    screens = sorted(list(pc.screens.values()), key=lambda s: s.name)
    playlists = sorted(list(pc.layouts.playlists.values()) if pc.layouts is not None else [], key=lambda p: p.name)
    return html.Div(
        [html.Div(text("province", lang), className="wall-kicker"),
         html.H1(pc.config.site.name, className="home-heading"),
         html.P(text("wall_missing", lang, name=missing), className="home-missing") if missing else None,
         html.H2(text("walls", lang)),
         html.Ul([_link(s.title_in(lang), s.path, suffix) for s in screens], className="home-list"),
         *([html.H2(text("playlist_heading", lang)),
            html.Ul([_link(p.title_in(lang), p.path, suffix) for p in playlists]
                    + [_link(text("remote_title", lang), "/remote", suffix)], className="home-list home-playlists")]
           if playlists else []),
         html.H2(word("applications", lang)),
         html.Ul(home_links(lang), className="home-list home-apps")],
        className="home", id="home", lang=lang,
    )
