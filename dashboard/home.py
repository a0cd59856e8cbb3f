"""The list of screens at `/`, and the answer for a screen that does not exist."""

from __future__ import annotations

from dash import html

from dashboard.auth.access import current_user, may_open
from dashboard.auth.login_page import logout_link
from dashboard.figures.specs import word
from dashboard.figures.view import PREFIX
from dashboard.text.i18n import APPLICATIONS, application_name, language_from_query, text

# The rooms besides walls and applications, as (i18n key, path): shown to whoever may open them.
ROOMS = (("gov_title", "/screen/governor"), ("home_meeting_presenter", "/screen/meeting/presenter"),
         ("meet_title", "/screen/meeting"), ("ana_title", "/analyst"), ("op_title", "/operator"),
         ("admin_audit_title", "/admin/audit"), ("pub_title", "/publik"))


def _link(title: str, path: str, suffix: str) -> html.Li:
    return html.Li(html.A([html.Span(title, className="home-title"), html.Span(path, className="home-path")],
                          href=path + suffix))


def layout(pc, lang: str, missing: str | None = None) -> html.Div:
    """Links to what the signed-in user may open: walls and playlists (full page loads: each wall
    starts its own push stream), the remote control, the rooms and the applications; sign out."""
    user = current_user()
    suffix = "?lang=en" if lang == "en" else ""
    screens = sorted(list(pc.screens.values()), key=lambda s: s.name)
    playlists = sorted(list(pc.layouts.playlists.values()) if pc.layouts is not None else [], key=lambda p: p.name)
    walls = [_link(s.title_in(lang), s.path, suffix) for s in screens if may_open(user, s.path)]
    rotations = [_link(p.title_in(lang), p.path, suffix) for p in playlists if may_open(user, p.path)]
    if rotations and may_open(user, "/remote"):
        rotations.append(_link(text("remote_title", lang), "/remote", suffix))
    rooms = [_link(text(key, lang), path, suffix) for key, path in ROOMS if may_open(user, path)]
    apps = [link for link, app in zip(home_links(lang), APPLICATIONS, strict=True)
            if may_open(user, f"/app/{app}")]
    return html.Div(
        [html.Div(text("province", lang), className="wall-kicker"),
         html.H1(pc.config.site.name, className="home-heading"),
         html.P([text("home_signed_in", lang, who=user.display or user.name), " · ",
                 html.A(text("auth_logout", lang), href=logout_link(lang), id="home-logout")],
                className="home-user") if user.signed_in else None,
         html.P(text("wall_missing", lang, name=missing), className="home-missing") if missing else None,
         *([html.H2(text("walls", lang)), html.Ul(walls, className="home-list")] if walls else []),
         *([html.H2(text("playlist_heading", lang)), html.Ul(rotations, className="home-list home-playlists")]
           if rotations else []),
         *([html.H2(text("home_rooms", lang)), html.Ul(rooms, className="home-list home-rooms")] if rooms else []),
         *([html.H2(word("applications", lang)), html.Ul(apps, className="home-list home-apps")] if apps else [])],
        className="home", id="home", lang=lang,
    )


def home_links(lang: str) -> list:
    """Links to the seven application pages, for the home page."""
    suffix = "?lang=en" if lang == "en" else ""
    return [html.Li(html.A([html.Span(application_name(a, lang), className="home-title"),
                            html.Span(f"{PREFIX}{a}", className="home-path")], href=f"{PREFIX}{a}{suffix}"))
            for a in APPLICATIONS]


def route(pathname: str, search: str, meta: dict | None, pc) -> tuple[html.Div, dict]:
    """`/`: the list of screens."""
    lang = language_from_query(search, pc.language)
    return layout(pc, lang), {"wall": None, "lang": lang}


def register(app, pc) -> None:
    """The list has no callbacks."""
