"""The IT control center's drill-down `/it`: OPDs -> an OPD's services -> one service's check history,
every failure with its reason. Operators see (and acknowledge incidents of) their own OPDs only (an
OPD's `feeds` in config.yaml bind it to the operators of those feeds); analysts, executives and
admins see every OPD. No target address is shown: the page never knows one. The URL holds the view
(`/it?opd=rsud-banten&layanan=simrs`). Ids start with "it-" (dashboard/auth/access.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from core.config import Config
from core.it_incidents import acknowledge_incident
from core.streams import from_iso
from dashboard.auth.access import ADMIN, OPERATOR, User, current_user
from dashboard.auth.opds import visible_opds
from dashboard.context import PageContext
from dashboard.it.reading import figures, history, it_status, open_incidents
from dashboard.it.status import ServiceStatus
from dashboard.it.words import IT_PAGE, word
from dashboard.text import formatting
from dashboard.text.i18n import language_from_query

PATH = "/it"
PAGE_ID = "it-page"

def w(key: str, lang: str, **kw) -> str:
    return IT_PAGE.say(key, lang, **kw)


def may_acknowledge(user: User, config: Config, root_service: str) -> bool:
    services = config.monitors.services()
    if root_service not in services:
        return False
    return user.role == ADMIN or (user.role == OPERATOR and services[root_service][0] in visible_opds(user, config))


def _link(label: str, lang: str, **query: str) -> dcc.Link:
    kept = {k: v for k, v in {**query, "lang": lang if lang != "id" else None}.items() if v}
    return dcc.Link(label, href=PATH + ("?" + urlencode(kept) if kept else ""))


def _pct(value: float | None, lang: str) -> str:
    return formatting.percent(value, lang, 2) if value is not None else formatting.DASH


def _ms(value: float | None, lang: str) -> str:
    return f"{formatting.number(value, 0, lang)} ms" if value is not None else formatting.DASH


def _badge(state: str, lang: str) -> html.Span:
    return html.Span(word(state, lang), className=f"badge-state st-{state}", **{"data-state": state})


def _table(head: list[str], rows: list[list[Any]], table_id: str, row_attrs: list[dict] | None = None) -> html.Table:
    attrs = row_attrs or [{} for _ in rows]
    return html.Table([html.Thead(html.Tr([html.Th(h) for h in head])),
                       html.Tbody([html.Tr([html.Td(c) for c in row], **a) for row, a in zip(rows, attrs)])],
                      className="it-table", id=table_id)


def opd_sla(service_figures: list[dict[str, Any]]) -> float | None:
    """An OPD's SLA this month: the time its services were available over the time they were counted
    (maintenance and unseen time left out), all services together, not a mean of percentages."""
    up = sum(f.get("up_s_month") or 0 for f in service_figures)
    down = sum(f.get("down_s_month") or 0 for f in service_figures)
    return 100.0 * up / (up + down) if up + down else None


def opd_list(pc: PageContext, opds: list[str], lang: str) -> list:
    status = it_status(pc.redis, pc.config)
    figs = figures(pc.redis, [s for o in opds for s in pc.config.monitors.opds[o].services])
    rows, attrs = [], []
    for oid in sorted(opds, key=lambda o: min((status.services[s].rank for s in pc.config.monitors.opds[o].services
                                               if s in status.services), default=9)):
        opd = pc.config.monitors.opds[oid]
        states = [status.services[s].state for s in opd.services if s in status.services]
        rows.append([_link(opd.name, lang, opd=oid), str(len(opd.services)),
                     str(states.count("up")), str(states.count("degraded")), str(states.count("down")),
                     _pct(opd_sla([figs.get(s, {}) for s in opd.services]), lang)])
        attrs.append({"data-opd": oid, "data-down": str(states.count("down"))})
    head = [w("opd", lang), w("services", lang), word("up", lang), word("degraded", lang), word("down", lang),
            w("sla", lang)]
    return [_table(head, rows, "it-opds", attrs)]


def service_list(pc: PageContext, oid: str, lang: str) -> list:
    opd = pc.config.monitors.opds[oid]
    status = it_status(pc.redis, pc.config)
    figs = figures(pc.redis, list(opd.services))
    rows, attrs = [], []
    for sid, svc in opd.services.items():
        s = status.services.get(sid) or ServiceStatus(sid, oid, svc.name)
        f = figs.get(sid, {})
        up = f.get("uptime") or {}
        hour, day = f.get("hour") or {}, f.get("day") or {}
        reason = s.reason + (f" ({w('counted_under', lang, root=_name(pc, s.suppressed_by))})" if s.suppressed_by
                             else "")
        rows.append([_link(svc.name, lang, opd=oid, layanan=sid), _badge(s.state, lang),
                     formatting.wib_datetime(s.since, lang) if s.since else formatting.DASH, reason or formatting.DASH,
                     _ms(s.ms, lang),
                     " / ".join(_ms(hour.get(k), lang) for k in ("p50", "p95", "p99")),
                     " / ".join(_ms(day.get(k), lang) for k in ("p50", "p95", "p99")),
                     " / ".join(_pct(up.get(k), lang) for k in ("24h", "7d", "30d")),
                     f"{_pct(f.get('sla_month'), lang)} "
                     f"({w('target', lang, pct=formatting.percent(pc.config.monitors.sla_target, lang, 1))})",
                     formatting.wib_datetime(s.cert_expires, lang) if s.cert_expires else formatting.DASH])
        attrs.append({"data-service": sid, "data-state": s.state})
    head = [w("services", lang), w("state", lang), w("since", lang), w("reason", lang), w("ms", lang),
            f"{w('p', lang)} {w('hour', lang)}", f"{w('p', lang)} {w('day', lang)}", w("uptime", lang), w("sla", lang),
            w("cert", lang)]
    return [_table(head, rows, "it-services", attrs)]


def _name(pc: PageContext, service: str | None) -> str:
    services = pc.config.monitors.services()
    return services[service][1].name if service in services else (service or "")


def service_detail(pc: PageContext, oid: str, sid: str, lang: str) -> list:
    results = history(pc.redis, sid)
    rows = [[f"{formatting.day(formatting.to_wib(r['at']).date(), lang)} "
             f"{formatting.wib_time(r['at'], lang, seconds=True)}",
             w("ok" if r["ok"] else "fail", lang), _ms(r["ms"], lang), r["reason"] or formatting.DASH, r["probe"]]
            for r in results]
    attrs = [{"data-ok": "true" if r["ok"] else "false", "className": "" if r["ok"] else "it-failed"} for r in results]
    f = figures(pc.redis, [sid]).get(sid, {})
    hours = [[h["hour"][11:13] + ".00", str(h.get("n", 0))] + [_ms(h.get(k), lang) for k in ("p50", "p95", "p99")]
             for h in reversed(f.get("hours") or [])]
    days = [[d["date"], _pct(d.get("pct"), lang)] for d in reversed((f.get("days") or [])[-30:])]
    return [html.H2(w("history", lang)),
            _table([w("time", lang), w("result", lang), w("ms", lang), w("reason", lang), w("probe", lang)],
                   rows, "it-history", attrs),
            html.H2(w("hours", lang)),
            _table([w("time", lang), "n", "p50", "p95", "p99"], hours, "it-hours"),
            html.H2(w("days", lang)),
            _table([w("time", lang), "%"], days, "it-days")]


def incident_block(pc: PageContext, user: User, opds: list[str], lang: str) -> list:
    services = pc.config.monitors.services()
    mine = [i for i in open_incidents(pc.redis) if services.get(i["root"], ("",))[0] in opds]
    if not mine:
        return [html.P(w("no_incidents", lang))]
    out = []
    for incident in mine:
        ack = incident.get("ack")
        line = [html.Strong(incident.get("root_name") or incident["root"]),
                f" — {w('affected', lang, n=len(incident.get('affected', [])))}"]
        if ack:
            when = formatting.wib_datetime(from_iso(ack["at"]), lang) if ack.get("at") else ""
            line.append(html.Span(" · " + w("acked", lang, who=ack.get("who", ""), when=when), className="it-acked"))
        elif may_acknowledge(user, pc.config, incident["root"]):
            line.append(html.Button(w("ack", lang), id={"type": "it-ack", "incident": incident["id"]}, n_clicks=0,
                                    className="btn btn-sm btn-primary ms-2"))
        out.append(html.Div(line, className="status-incident", **{"data-incident": incident["id"]}))
    return out


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    lang = language_from_query(search, pc.language)
    user = current_user()
    query = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    opds = visible_opds(user, pc.config)
    oid, sid = query.get("opd"), query.get("layanan")
    crumbs = [_link(w("all", lang), lang)]
    body: list = []
    if not opds:
        body = [html.P(w("none", lang))]
    elif oid is None:
        body = opd_list(pc, opds, lang)
    elif oid not in opds:
        body = [html.P(w("unknown_opd", lang), className="it-refused")]
    else:
        opd = pc.config.monitors.opds[oid]
        crumbs += [" › ", _link(opd.name, lang, opd=oid)]
        if sid is None or sid not in opd.services:
            body = service_list(pc, oid, lang)
        else:
            crumbs += [" › ", html.Span(opd.services[sid].name)]
            body = service_detail(pc, oid, sid, lang)
    children = html.Div([
        dcc.Store(id="it-lang", data=lang),
        html.H1(w("title", lang)),
        html.Nav(crumbs, className="it-crumbs", id="it-crumbs"),
        html.Section([html.H2(w("incidents", lang)), html.Div(id="it-ack-message", role="status"),
                      html.Div(incident_block(pc, user, opds, lang), id="it-incidents")]),
        html.Section(body, id="it-body"),
    ], id=PAGE_ID, className="it-page", lang=lang)
    return children, {"wall": None, "page": "it", "lang": lang}


def register(app, pc: PageContext) -> None:
    @app.callback(Output("it-ack-message", "children"), Output("it-incidents", "children"),
                  Input({"type": "it-ack", "incident": ALL}, "n_clicks"), State("it-lang", "data"),
                  prevent_initial_call=True)
    def it_acknowledge(clicks, lang):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any((t.get("value") or 0) > 0 for t in ctx.triggered):
            return no_update, no_update
        user, lang = current_user(), lang or pc.language
        incident_id = str(trigger.get("incident", ""))
        found = next((i for i in open_incidents(pc.redis) if i["id"] == incident_id), None)
        if found is None:
            return w("ack_gone", lang), no_update
        if not may_acknowledge(user, pc.config, found["root"]):
            return w("ack_refused", lang), no_update
        ack = acknowledge_incident(pc.redis, incident_id, user.name)
        message = w("ack_done", lang, name=found.get("root_name") or found["root"], who=ack["who"])
        return message, incident_block(pc, user, visible_opds(user, pc.config), lang)
