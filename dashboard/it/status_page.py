"""The public status page `/status`: the province's public services with 90 daily bars, open and
past incidents, and maintenance notices. No sign-in. Only public names (`public_name`) and OPD names
reach it: never a target, host, address, token, reason text or internal service. Ids start with
"status-" (dashboard/auth/access.py)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

from dash import html

from core.clock import utc_now
from core.monitors import MonitorSettings
from core.streams import from_iso
from dashboard.context import PageContext
from dashboard.it.reading import figures, incidents, it_status
from dashboard.it.words import STATUS_PAGE
from dashboard.text import formatting
from dashboard.text.i18n import language_from_query

PATH = "/status"
PAGE_ID = "status-page"
NOTICE_AHEAD = timedelta(days=7)
INCIDENT_DAYS = 30

def w(key: str, lang: str, **kw) -> str:
    return STATUS_PAGE.say(key, lang, **kw)


def public_services(monitors: MonitorSettings) -> dict[str, dict[str, str]]:
    """Public services by id: the public name and the OPD's name, nothing else."""
    out = {}
    for opd in monitors.opds.values():
        for sid, svc in opd.services.items():
            if svc.public:
                out[sid] = svc.public_view(sid, opd.short or opd.name)
    return out


def _bar(day: dict[str, Any], lang: str) -> html.Div:
    pct, maint = day.get("pct"), day.get("maint_s", 0)
    date = formatting.day(dt.date.fromisoformat(day["date"]), lang)
    if pct is None:
        cls, tip = ("b-maint", w("bar_maint", lang, date=date)) if maint else ("b-none", w("bar_none", lang, date=date))
    else:
        cls = "b-ok" if pct >= 99.9 else "b-minor" if pct >= 99 else "b-major"
        tip = w("bar", lang, date=date, pct=formatting.percent(pct, lang, 2))
    return html.Div(className=f"status-bar {cls}", title=tip, **{"data-date": day["date"],
                                                                  "data-pct": "" if pct is None else f"{pct:.4f}"})


def notices(monitors: MonitorSettings, public: dict[str, dict], lang: str) -> list:
    """Maintenance now or within a week that touches a public service (named by its public name)."""
    now = utc_now()
    out = []
    services = monitors.services()
    for window in monitors.maintenance:
        if not window.public:
            continue
        touched = [p["name"] for sid, p in public.items() if window.covers(sid, services[sid][0])]
        if not touched:
            continue
        for start, end in window.spans(now, now + NOTICE_AHEAD)[:1]:
            when = (w("now", lang) if start <= now else
                    f"{formatting.wib_datetime(start, lang)} – {formatting.wib_time(end, lang)}")
            out.append(html.Div([html.Strong(window.title), f" · {when} · {', '.join(touched)}"],
                                className="status-notice", **{"data-maintenance": window.title}))
    return out


def incident_rows(client, public: dict[str, dict], lang: str) -> list:
    since = utc_now() - timedelta(days=INCIDENT_DAYS)
    rows = []
    for incident in incidents(client):
        names = [public[s]["name"] for s in [incident["root"], *incident.get("affected", [])] if s in public]
        opened = formatting.wib_datetime(from_iso(incident["opened"]), lang)
        if not names or from_iso(incident["opened"]) < since or incident.get("maintenance"):
            continue
        if incident.get("resolved"):
            took = from_iso(incident["resolved"]) - from_iso(incident["opened"])
            minutes = max(1, round(took.total_seconds() / 60))
            end = w("resolved", lang, when=formatting.wib_datetime(from_iso(incident["resolved"]), lang),
                    minutes=minutes)
        else:
            end = w("ongoing", lang)
        rows.append(html.Div([html.Strong(w("incident", lang, names=", ".join(names), opened=opened)), f" — {end}"],
                             className="status-incident"))
    return rows or [html.P(w("no_incidents", lang))]


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    lang = language_from_query(search, pc.language)
    monitors = pc.config.monitors
    public = public_services(monitors)
    status = it_status(pc.redis, pc.config)
    figs = figures(pc.redis, list(public))
    bad = [sid for sid in public if status.services.get(sid) and status.services[sid].state in ("down", "degraded")]
    blocks = []
    for sid, view in public.items():
        s = status.services.get(sid)
        state = s.state if s else "pending"
        days = figs.get(sid, {}).get("days") or []
        counted = [d for d in days if d.get("pct") is not None]
        total_up = (sum(d["pct"] for d in counted) / len(counted)) if counted else None
        blocks.append(html.Div([
            html.Div([html.Span([view["name"], html.Small(f" · {view['opd']}")]),
                      html.Span(w(state, lang), className=f"badge-state st-{state}")], className="status-head"),
            html.Div([_bar(d, lang) for d in days], className="status-bars"),
            html.Div([html.Small(w("ago", lang)),
                      html.Small(w("uptime", lang, pct=formatting.percent(total_up, lang, 2))
                                 if total_up is not None else w("no_data", lang)),
                      html.Small(w("today", lang))], className="status-head"),
        ], className="status-service", **{"data-service": view["name"], "data-state": state}))
    children = html.Div([
        html.H1(w("title", lang)),
        html.Div(w("some_down", lang, n=len(bad)) if bad else w("all_ok", lang),
                 className="status-notice", id="status-overall", **{"data-bad": str(len(bad))}),
        *([html.H2(w("maintenance", lang)), *planned] if (planned := notices(monitors, public, lang)) else []),
        *blocks,
        html.H2(w("incidents", lang)),
        *incident_rows(pc.redis, public, lang),
    ], id=PAGE_ID, className="status-page", lang=lang)
    return children, {"wall": None, "page": "status", "lang": lang}


def register(app, pc: PageContext) -> None:
    """Nothing to register: the page is read from Redis each time it is opened."""
