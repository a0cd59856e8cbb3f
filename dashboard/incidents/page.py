"""`/insiden`: the incident list with filters (`?status=&opd=&kategori=`), the summary the wall tile shows,
the "terlambat" list with owners, opening an incident by hand, and one incident (`?id=INS-000001`) with
its clocks, the alerts it came from, its timeline and the steps the signed-in user may take.

Every step is checked again on the server (core/incidents/lifecycle.py), whatever the browser sends:
a button shown is a convenience, never the permission. Operators see and work their own OPDs'
incidents only. Ids start with "ins-" (dashboard/auth/access.py).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlencode

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from core.clock import utc_now
from core.config import Config
from core.incidents.clocks import clocks
from core.incidents.figures import IncidentFigures, figures
from core.incidents.lifecycle import (
    HUMAN_STEPS,
    OPERATOR,
    STATES,
    STEPS,
    Actor,
    Incident,
    NotAllowedNow,
    Refused,
    may,
)
from core.incidents.timeline import all_incidents, load, open_incident, take_step, timeline
from core.streams import from_iso
from dashboard.auth.access import ANALYSTS, User, current_user
from dashboard.auth.opds import visible_opds
from dashboard.context import PageContext
from dashboard.incidents.words import CLOCK_STATUS, CLOCKS, span, state_word, step_word, w
from dashboard.text import formatting
from dashboard.text.i18n import language_from_query

PATH = "/insiden"
PAGE_ID = "ins-page"
NEEDS_OPD = ("tugaskan", "alihkan")


def actor_of(user: User, config: Config) -> Actor:
    """The signed-in user as the lifecycle rules see them: an operator with the OPDs they work for."""
    opds = frozenset(visible_opds(user, config)) if user.role == OPERATOR else frozenset()
    return Actor(user.name, user.role, opds)


def may_see(user: User, actor: Actor, incident: Incident) -> bool:
    if user.role in ANALYSTS:
        return True
    return user.role == OPERATOR and incident.opd in actor.opds


def visible(pc: PageContext, user: User) -> list[Incident]:
    actor = actor_of(user, pc.config)
    return [i for i in all_incidents(pc.redis) if may_see(user, actor, i)]


def steps_for(actor: Actor, incident: Incident) -> list[str]:
    """The steps this actor may take on this incident now (the buttons; the server checks again)."""
    return [s for s in HUMAN_STEPS if incident.state in STEPS[s][0] and may(actor, s, incident)]


def _opd_name(config: Config, opd: str | None, lang: str) -> str:
    if not opd:
        return w("unassigned", lang)
    found = config.monitors.opds.get(opd)
    return (found.short or found.name) if found else opd


def _when(text: str | None, lang: str) -> str:
    return formatting.wib_datetime(from_iso(text), lang) if text else formatting.DASH


def _link(label: str, lang: str, **query: str) -> dcc.Link:
    kept = {k: v for k, v in {**query, "lang": lang if lang != "id" else None}.items() if v}
    return dcc.Link(label, href=PATH + ("?" + urlencode(kept) if kept else ""))


def _badge(state: str, lang: str) -> html.Span:
    return html.Span(state_word(state, lang), className=f"badge-state ins-{state}", **{"data-state": state})


def _clock_badges(pc: PageContext, incident: Incident, now: datetime, lang: str) -> list:
    category = pc.config.incidents.categories.get(incident.category)
    if category is None:
        return []
    return [html.Span(f"{CLOCKS.say(c.name, lang)}: {CLOCK_STATUS.say(c.status, lang)}",
                      className=f"ins-clock clock-{c.status}", **{"data-clock": c.name, "data-status": c.status})
            for c in clocks(incident, category, now, pc.config.incidents.amber_at)]


# ---- the summary (the same figures as the wall tile) -----------------------------------------------

def summary_block(pc: PageContext, found: IncidentFigures, lang: str) -> html.Section:
    counts = [html.Li([state_word(s, lang), ": ", html.Strong(str(n))], **{"data-state": s, "data-count": str(n)})
              for s, n in found.by_state.items() if n]
    overdue = [html.Li([_opd_name(pc.config, opd, lang), ": ", html.Strong(str(n))],
                       **{"data-opd": opd, "data-count": str(n)})
               for opd, n in sorted(found.overdue_by_opd.items(), key=lambda x: (-x[1], x[0]))]
    oldest = found.oldest_open
    return html.Section([
        html.H2(w("summary", lang)),
        html.P([w("open_count", lang), ": ", html.Strong(str(found.open), id="ins-open-count")]),
        html.Ul(counts, id="ins-by-state"),
        html.H3(w("overdue_by_opd", lang)), html.Ul(overdue, id="ins-overdue-by-opd"),
        html.P([w("oldest", lang), ": ",
                _link(f"{oldest.id} {oldest.title}", lang, id=oldest.id) if oldest else formatting.DASH,
                f" ({_when(oldest.opened_at, lang)})" if oldest else ""], id="ins-oldest"),
        html.P([f"{w('mtta', lang)}: ", html.Strong(span(found.mtta_s, lang), id="ins-mtta"), " · ",
                f"{w('mttr', lang)}: ", html.Strong(span(found.mttr_s, lang), id="ins-mttr")]),
    ], className="ins-summary")


def late_block(pc: PageContext, found: IncidentFigures, lang: str) -> html.Section:
    rows = [html.Tr([html.Td(_link(late.incident.id, lang, id=late.incident.id)), html.Td(late.incident.title),
                     html.Td(_opd_name(pc.config, late.incident.opd, lang)),
                     html.Td(", ".join(f"{CLOCKS.say(c.name, lang)} "
                                       f"({w('deadline', lang, when=formatting.wib_datetime(c.deadline, lang))})"
                                       for c in late.clocks))],
                    **{"data-incident": late.incident.id}) for late in found.late]
    head = html.Thead(html.Tr([html.Th(w("id", lang)), html.Th(w("subject", lang)), html.Th(w("owner", lang)),
                               html.Th(w("clocks", lang))]))
    return html.Section([html.H2(w("late", lang)),
                         html.Table([head, html.Tbody(rows)], id="ins-late", className="it-table") if rows
                         else html.P(w("none", lang))])


# ---- the list ---------------------------------------------------------------------------------------

def _select(name: str, options: list[tuple[str, str]], chosen: str | None, lang: str) -> html.Select:
    return html.Select([html.Option(w("all", lang), value="")] +
                       [html.Option(label, value=value, selected=value == chosen) for value, label in options],
                       name=name, id=f"ins-filter-{name}")


def list_block(pc: PageContext, incidents: list[Incident], query: dict, lang: str, now: datetime) -> list:
    cfg = pc.config
    chosen = [i for i in incidents
              if (not query.get("status") or i.state == query["status"])
              and (not query.get("opd") or (i.opd or "") == query["opd"])
              and (not query.get("kategori") or i.category == query["kategori"])]
    states = [(s, state_word(s, lang)) for s in STATES]
    form = html.Form([
        _select("status", states, query.get("status"), lang),
        _select("opd", sorted({(i.opd, _opd_name(cfg, i.opd, lang)) for i in incidents if i.opd}),
                query.get("opd"), lang),
        _select("kategori", [(cid, c.name) for cid, c in cfg.incidents.categories.items()],
                query.get("kategori"), lang),
        *([dcc.Input(type="hidden", name="lang", value=lang)] if lang != "id" else []),
        html.Button(w("filter", lang), type="submit", className="btn btn-sm btn-secondary"),
    ], method="get", action=PATH, id="ins-filters", className="ins-filters")
    rows = [html.Tr([html.Td(_link(i.id, lang, id=i.id)), html.Td(i.title),
                     html.Td(cfg.incidents.categories[i.category].name if i.category in cfg.incidents.categories
                             else i.category),
                     html.Td(_opd_name(cfg, i.opd, lang)), html.Td(_badge(i.state, lang)),
                     html.Td(_when(i.opened_at, lang)),
                     html.Td(_clock_badges(pc, i, now, lang))], **{"data-incident": i.id, "data-state": i.state})
            for i in chosen]
    columns = ("id", "subject", "category", "opd", "state", "opened", "clocks")
    head = html.Thead(html.Tr([html.Th(w(k, lang)) for k in columns]))
    table = (html.Table([head, html.Tbody(rows)], id="ins-list", className="it-table") if rows
             else html.P(w("none", lang), id="ins-list"))
    return [form, table]


def open_form(pc: PageContext, actor: Actor, lang: str) -> html.Section | None:
    opds = sorted(actor.opds) if actor.role == OPERATOR else list(pc.config.monitors.opds)
    if not any(may(actor, "buka", None, opd) for opd in opds) and not may(actor, "buka", None, None):
        return None
    return html.Section([
        html.H2(w("open_new", lang)),
        dcc.Input(id="ins-new-title", placeholder=w("subject", lang), type="text", debounce=True),
        dcc.Dropdown(id="ins-new-category", options=[{"label": c.name, "value": cid}
                                                     for cid, c in pc.config.incidents.categories.items()],
                     placeholder=w("category", lang)),
        dcc.Dropdown(id="ins-new-opd", options=[{"label": _opd_name(pc.config, o, lang), "value": o} for o in opds],
                     placeholder=w("opd", lang)),
        dcc.Textarea(id="ins-new-note", placeholder=w("note", lang)),
        html.Button(w("open", lang), id="ins-open", n_clicks=0, className="btn btn-sm btn-primary"),
        html.Div(id="ins-open-message", role="status"),
    ], className="ins-new")


# ---- one incident -----------------------------------------------------------------------------------

def detail_block(pc: PageContext, user: User, incident_id: str, lang: str, now: datetime) -> list:
    actor = actor_of(user, pc.config)
    incident = load(pc.redis, incident_id)
    if incident is None or not may_see(user, actor, incident):
        return [html.P(w("unknown", lang), className="it-refused", id="ins-unknown")]
    cfg = pc.config
    category = cfg.incidents.categories.get(incident.category)
    clock_rows = [html.Tr([html.Td(CLOCKS.say(c.name, lang)),
                           html.Td(formatting.wib_datetime(c.deadline, lang)),
                           html.Td(formatting.percent(100 * c.used, lang, 0)),
                           html.Td(CLOCK_STATUS.say(c.status, lang))],
                          className=f"clock-{c.status}", **{"data-clock": c.name, "data-status": c.status})
                  for c in (clocks(incident, category, now, cfg.incidents.amber_at) if category else [])]
    entries = timeline(pc.redis, incident.id)
    steps = [html.Tr([html.Td(_when(e.get("at"), lang)), html.Td(e.get("who", "")),
                      html.Td(step_word(e.get("step", ""), lang) +
                              (f" → {_opd_name(cfg, e['opd'], lang)}" if e.get("opd") and e.get("step") != "buka"
                               else "") +
                              (f" → {e['target']}" if e.get("target") else "")),
                      html.Td(e.get("note", ""))], **{"data-entry": e["id"], "data-step": e.get("step", "")})
             for e in entries]
    allowed = steps_for(actor, incident)
    buttons = [html.Button(step_word(s, lang), id={"type": "ins-step", "step": s}, n_clicks=0,
                           className="btn btn-sm btn-outline-primary me-1", **{"data-step": s}) for s in allowed]
    opd_choices = [{"label": _opd_name(cfg, o, lang), "value": o} for o in cfg.monitors.opds if o != incident.opd]
    return [
        html.P(_link(w("back", lang), lang)),
        html.H2([f"{incident.id} — {incident.title} ", _badge(incident.state, lang)]),
        html.P([(f"{w('category', lang)}: {category.name if category else incident.category} · "
                 f"{w('opd', lang)}: {_opd_name(cfg, incident.opd, lang)} · "
                 f"{w('opened', lang)}: {_when(incident.opened_at, lang)} · "
                 f"{w('source', lang)}: {', '.join(incident.alerts) if incident.alerts else w('manual', lang)}"),
                (f" · {w('escalated', lang, n=incident.escalation_level + 1)}" if incident.escalation_level >= 0
                 else "")],
               id="ins-facts"),
        html.Table([html.Thead(html.Tr([html.Th(w("clocks", lang)), html.Th(w("when", lang)), html.Th("%"),
                                        html.Th(w("state", lang))])), html.Tbody(clock_rows)],
                   id="ins-clocks", className="it-table"),
        html.H3(w("timeline", lang)),
        html.Table([html.Thead(html.Tr([html.Th(w(k, lang)) for k in ("when", "who", "what", "note")])),
                    html.Tbody(steps)], id="ins-timeline", className="it-table"),
        html.H3(w("actions", lang)),
        html.Div([
            dcc.Textarea(id="ins-note", placeholder=w("note", lang)),
            dcc.Dropdown(id="ins-opd", options=opd_choices, placeholder=w("to_opd", lang)) if
            set(allowed) & set(NEEDS_OPD) else dcc.Store(id="ins-opd"),
            dcc.Input(id="ins-target", type="text", placeholder=w("target", lang)) if "gabungkan" in allowed
            else dcc.Store(id="ins-target"),
            html.Div(buttons, id="ins-buttons"),
        ]) if allowed else html.P(w("no_actions", lang), id="ins-buttons"),
    ]


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    lang = language_from_query(search, pc.language)
    user = current_user()
    query = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    now = utc_now()
    incidents = visible(pc, user)
    found = figures(incidents, pc.config.incidents, now)
    if query.get("id"):
        body = detail_block(pc, user, query["id"], lang, now)
        parts = [html.Div(id="ins-message", role="status"), html.Div(body, id="ins-detail")]
    else:
        form = open_form(pc, actor_of(user, pc.config), lang)
        parts = [summary_block(pc, found, lang), late_block(pc, found, lang), *( [form] if form else []),
                 html.Section(list_block(pc, incidents, query, lang, now), id="ins-body")]
    children = html.Div([dcc.Store(id="ins-lang", data=lang), dcc.Store(id="ins-id", data=query.get("id")),
                         html.H1(w("title", lang)), *parts], id=PAGE_ID, className="it-page ins-page", lang=lang)
    return children, {"wall": None, "page": "insiden", "lang": lang}


def take(pc: PageContext, user: User, incident_id: str, step: str, note: str, opd: str | None, target: str | None,
         lang: str) -> str:
    """Take a step as the signed-in user; the message they read (done, refused, or not possible now)."""
    actor = actor_of(user, pc.config)
    incident = load(pc.redis, incident_id or "")
    if incident is None:
        return w("unknown", lang)
    # Another OPD's incident is not shown to an operator, but a step sent for it anyway is refused (and
    # audited) by the rules, like any other step they may not take.
    if step in NEEDS_OPD and opd and opd not in pc.config.monitors.opds:
        return w("not_now", lang, reason=f"OPD tidak dikenal: {opd}")
    fields = {"opd": opd} if step in NEEDS_OPD else {"target": (target or "").strip()} if step == "gabungkan" else {}
    try:
        after = take_step(pc.redis, actor, incident.id, step, note or "", **{k: v for k, v in fields.items() if v})
    except Refused as exc:
        return w("refused", lang, reason=str(exc))
    except NotAllowedNow as exc:
        return w("not_now", lang, reason=str(exc))
    return w("done", lang, step=step_word(step, lang), id=after.id, state=state_word(after.state, lang))


def register(app, pc: PageContext) -> None:
    @app.callback(Output("ins-message", "children"), Output("ins-detail", "children"),
                  Input({"type": "ins-step", "step": ALL}, "n_clicks"), State("ins-id", "data"),
                  State("ins-note", "value"), State("ins-opd", "value"), State("ins-target", "value"),
                  State("ins-lang", "data"), prevent_initial_call=True)
    def ins_step(clicks, incident_id, note, opd, target, lang):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any((t.get("value") or 0) > 0 for t in ctx.triggered):
            return no_update, no_update
        user, lang = current_user(), lang or pc.language
        message = take(pc, user, str(incident_id or ""), str(trigger.get("step", "")), note, opd, target, lang)
        return message, detail_block(pc, user, str(incident_id or ""), lang, utc_now())

    @app.callback(Output("ins-open-message", "children"), Input("ins-open", "n_clicks"),
                  State("ins-new-title", "value"), State("ins-new-category", "value"), State("ins-new-opd", "value"),
                  State("ins-new-note", "value"), State("ins-lang", "data"), prevent_initial_call=True)
    def ins_open(clicks, title, category, opd, note, lang):
        if not clicks:
            return no_update
        lang = lang or pc.language
        actor = actor_of(current_user(), pc.config)
        if category not in pc.config.incidents.categories:
            return w("not_now", lang, reason="kategori wajib dipilih")
        if opd and opd not in pc.config.monitors.opds:
            return w("not_now", lang, reason=f"OPD tidak dikenal: {opd}")
        try:
            incident = open_incident(pc.redis, actor, title=(title or "").strip()[:200], category=category,
                                     opd=opd or None, note=note or "")
        except Refused as exc:
            return w("refused", lang, reason=str(exc))
        except NotAllowedNow as exc:
            return w("not_now", lang, reason=str(exc))
        return _link(w("opened_new", lang, id=incident.id), lang, id=incident.id)
