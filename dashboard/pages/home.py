"""The list of screens at `/`, and the answer for a screen that does not exist."""

from __future__ import annotations

from dash import html

from dashboard.i18n import text
from dashboard.pages.application import home_links
from dashboard.pages.application_spec import word
from dashboard.layout import Screen


def layout(screens: dict[str, Screen], site_name: str, lang: str, missing: str | None = None) -> html.Div:
    """Links to every wall (full page loads: each wall starts its own push stream)."""
    suffix = "?lang=en" if lang == "en" else ""
    items = [html.Li(html.A([html.Span(s.title_in(lang), className="home-title"),
                             html.Span(s.path, className="home-path")], href=s.path + suffix))
             for s in sorted(screens.values(), key=lambda s: s.name)]
    return html.Div(
        [html.Div(text("province", lang), className="wall-kicker"),
         html.H1(site_name, className="home-heading"),
         html.P(text("wall_missing", lang, name=missing), className="home-missing") if missing else None,
         html.H2(text("walls", lang)),
         html.Ul(items, className="home-list"),
         html.H2(word("applications", lang)),
         html.Ul(home_links(lang), className="home-list home-apps")],
        className="home", id="home", lang=lang,
    )
