"""`/insiden-publik`: the public's view of incidents, per OPD: how many are open, how many were
resolved in the last 30 days and the share of those resolved on time. Counts only: no title, note,
place, name or time of any incident reaches it (complaints carry personal data). No sign-in."""

from __future__ import annotations

from dash import html

from core.clock import utc_now
from core.incidents.figures import by_opd
from core.incidents.timeline import all_incidents
from dashboard.context import PageContext
from dashboard.incidents.words import PUBLIC_PAGE
from dashboard.text import formatting
from dashboard.text.i18n import language_from_query

PATH = "/insiden-publik"
DAYS = 30


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    lang = language_from_query(search, pc.language)
    words = PUBLIC_PAGE.in_language(lang, days=DAYS)
    records = by_opd(all_incidents(pc.redis), pc.config.incidents, utc_now(), DAYS)
    opds = pc.config.monitors.opds
    rows = [html.Tr([html.Td(opds[o].name if o in opds else o), html.Td(formatting.number(rec.open, 0, lang)),
                     html.Td(formatting.number(rec.resolved, 0, lang)),
                     html.Td(formatting.percent(rec.on_time_share, lang, 1) if rec.on_time_share is not None
                             else formatting.DASH)],
                    **{"data-opd": o, "data-open": str(rec.open), "data-resolved": str(rec.resolved),
                       "data-on-time": str(rec.on_time)})
            for o, rec in records.items()]
    head = html.Thead(html.Tr([html.Th(words[k]) for k in ("opd", "open", "resolved", "on_time")]))
    body = html.Table([head, html.Tbody(rows)], id="inspub-table", className="it-table") if rows \
        else html.P(words["none"])
    return (html.Div([html.H1(words["title"]), body], id="inspub-page", lang=lang),
            {"wall": None, "page": "insiden-publik", "lang": lang})


def register(app, pc: PageContext) -> None:
    """No callbacks: the page is read once."""
