"""The operator's screen at `/operator`: acknowledge alerts, upload files, for their own feeds.

An operator is bound to their agencies' feeds (`User.feeds`, and so `User.applications`); an admin
answers for all. The screen shows:

- the active alerts of their applications, most severe first, each with a button to acknowledge it
  (core/alerts.py keeps who and when, puts it on `cc:alerts`, which takes it off the walls' strip,
  and audits it); acknowledged ones move to a list that says who took them and when;
- an upload form (dcc.Upload) for each of their feeds that accepts uploads: the file goes to the
  ingest service (dashboard/operator/upload.py says why), every row is checked there, and the
  screen lists the errors by row and column, or says how many rows were stored; nothing is
  stored from a file with an error;
- the last uploads of their feeds, from the audit trail.

Every check is made on the server: an acknowledgement or an upload for an application or feed that
is not the operator's is refused and audited, whatever the browser sends. Component ids start with
`op-` (dashboard/auth/access.py: operators and admins). Texts from sources and files render as text.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from dash import ALL, MATCH, Input, Output, State, ctx, dcc, html, no_update

from core import audit, regions
from core.alerts import Alert, acknowledge, active_with_acknowledgements
from core.streams import active_alerts, from_iso, utc_now
from dashboard.auth.access import ADMIN, OPERATORS, User, current_user
from dashboard.context import PageContext
from dashboard.live.channels import ALERTS_CHANNEL, UPLOADS
from dashboard.live.line import Line, move_on
from dashboard.operator.upload import (
    UPLOAD_MAX_BYTES,
    RecentUpload,
    UploadOutcome,
    decode_contents,
    forward,
    recent_uploads,
)
from dashboard.text import formatting
from dashboard.text.i18n import application_name, language_from_query, text

log = logging.getLogger("dashboard.operator")

PATH = "/operator"
PAGE_ID = "op-page"
RECENT = 10
SEVERITIES = ("critical", "warning", "info")


# ---- whose is what ---------------------------------------------------------------------------------

def may_handle(user: User, alert: Alert) -> bool:
    """An admin handles every alert; an operator those of their own agencies' applications."""
    return user.role == ADMIN or (user.role in OPERATORS and alert.source in user.applications)


def upload_feeds(user: User, pc: PageContext) -> list[str]:
    """The feeds the user may upload files for, in config order."""
    return [fid for fid, feed in pc.config.feeds.items() if feed.accepts_uploads and user.may_use_feed(fid)]


def watched_feeds(user: User, pc: PageContext) -> set[str]:
    """The feeds whose last uploads the user sees: all for an admin, else their own."""
    return set(pc.config.feeds) if user.role == ADMIN else {f for f in user.feeds if f in pc.config.feeds}


def feed_title(pc: PageContext, feed_id: str) -> str:
    feed = pc.config.feeds.get(feed_id)
    return (feed.title if feed and feed.title else feed_id)


def region_name(code: str, lang: str) -> str:
    return regions.region_name(code, text("province", lang), short=True)


# ---- what the buttons and forms do (server side; the callbacks pass the signed-in user) ------------

def acknowledge_alert(pc: PageContext, user: User, alert_id: str, lang: str) -> tuple[bool, str]:
    """Acknowledge an alert as `user`: (done, what to tell them). Refused and audited when it is not theirs."""
    stored = pc.redis.hget(active_alerts(), alert_id)
    if stored is None:
        return False, text("op_ack_gone", lang)
    alert = Alert.decode(stored)
    if not may_handle(user, alert):
        audit.record(pc.redis, user.name, "refused", f"alert:{alert_id}", "refused",
                     f"acknowledge: {alert.source} is not this user's application")
        log.warning("%s (%s) may not acknowledge %s (%s)", user.name or "-", user.role, alert_id, alert.source)
        return False, text("op_ack_refused", lang)
    try:
        ack = acknowledge(pc.redis, alert_id, user.name)
    except KeyError:  # resolved meanwhile
        return False, text("op_ack_gone", lang)
    when = formatting.wib_datetime(from_iso(ack["at"]), lang)
    return True, text("op_ack_done", lang, message=alert.message, who=ack["who"], when=when)


async def upload_file(pc: PageContext, user: User, feed_id: str, contents: str | None, filename: str | None,
                      lang: str = "id") -> UploadOutcome:
    """Check that `user` may upload for `feed_id`, then forward the file to ingest in their name."""
    feed = pc.config.feeds.get(feed_id)
    if feed is None or not feed.accepts_uploads or not user.may_use_feed(feed_id):
        # The browser may send any feed id: only the server's check counts.
        audit.record(pc.redis, user.name, "upload_refused", f"feed:{feed_id[:100]}", "refused",
                     f"{filename or '-'}: not a feed this user may upload to")
        log.warning("%s (%s) may not upload to %s", user.name or "-", user.role, feed_id)
        return UploadOutcome("forbidden")
    try:
        raw = decode_contents(contents or "")
    except ValueError:
        return UploadOutcome("file_refused", message=text("op_upload_unreadable", lang))
    if len(raw) > UPLOAD_MAX_BYTES:
        return UploadOutcome("file_refused", message=text("op_upload_too_big", lang,
                                                         mb=UPLOAD_MAX_BYTES // (1024 * 1024)))
    return await forward(pc.config, feed_id, user.name, filename or "", raw)


# ---- what the screen shows --------------------------------------------------------------------------

def _severity(severity: str, lang: str) -> html.Span:
    severity = severity if severity in SEVERITIES else "info"
    return html.Span(text(f"op_severity_{severity}", lang), className=f"op-severity op-severity-{severity}")


def _where(alert: Alert, lang: str) -> str:
    parts = [application_name(alert.source, lang), region_name(alert.region, lang)]
    return " · ".join(parts + ([alert.unit] if alert.unit else []))


def alert_rows(pending: list[Alert], lang: str) -> list:
    """The active alerts not yet acknowledged, each with its Acknowledge button."""
    if not pending:
        return [html.P(text("op_alerts_none", lang), className="op-empty")]
    return [html.Div([_severity(a.severity, lang),
                      html.Div([html.Div(a.message, className="op-alert-message"),
                                html.Div(_where(a, lang), className="op-alert-where")], className="op-alert-text"),
                      html.Button(text("op_ack_button", lang), id={"type": "op-ack", "alert": a.alert_id},
                                  className="btn btn-sm btn-primary op-ack-button", n_clicks=0)],
                     className="op-alert", **{"data-alert": a.alert_id, "data-severity": a.severity})
            for a in pending]


def acked_rows(acked: list[tuple[Alert, dict]], lang: str) -> list:
    """Active alerts someone has acknowledged: who and when."""
    if not acked:
        return [html.P(text("op_acked_none", lang), className="op-empty")]
    rows = []
    for alert, ack in acked:
        try:
            when = formatting.wib_datetime(from_iso(ack.get("at", "")), lang)
        except ValueError:
            when = ack.get("at", "")
        rows.append(html.Div([_severity(alert.severity, lang),
                              html.Div([html.Div(alert.message, className="op-alert-message"),
                                        html.Div(text("op_acked_by", lang, who=ack.get("who", "-"), when=when),
                                                 className="op-acked-by")], className="op-alert-text")],
                             className="op-alert is-acked", **{"data-alert": alert.alert_id,
                                                               "data-acked-by": ack.get("who", "")}))
    return rows


def uploads_table(pc: PageContext, items: list[RecentUpload], lang: str) -> Any:
    """The last uploads of the user's feeds: when, feed, who, accepted or refused, what ingest said."""
    if not items:
        return html.P(text("op_recent_none", lang), className="op-empty")
    now = utc_now()
    head = html.Thead(html.Tr([html.Th(text(k, lang)) for k in ("op_col_when", "op_col_feed", "op_col_who",
                                                                "op_col_outcome", "op_col_detail")]))
    body = html.Tbody([html.Tr([html.Td(formatting.wib_when(u.at, now, lang)), html.Td(feed_title(pc, u.feed_id)),
                                html.Td(u.who),
                                html.Td(text("op_outcome_ok" if u.accepted else "op_outcome_refused", lang),
                                        className="op-ok" if u.accepted else "op-refused"),
                                html.Td(u.detail)], **{"data-feed": u.feed_id}) for u in items])
    return html.Table([head, body], className="table table-sm op-table", id="op-recent-table")


def result_view(outcome: UploadOutcome, lang: str) -> list:
    """What the operator reads after an upload: the rows stored, or every error by row and column."""
    if outcome.status == "accepted":
        return [html.Div(text("op_upload_accepted", lang, rows=formatting.number(outcome.rows, lang=lang),
                              new=formatting.number(outcome.accepted, lang=lang),
                              dup=formatting.number(outcome.duplicates, lang=lang)),
                         className="op-result op-result-ok", role="status", **{"data-rows": str(outcome.rows)})]
    if outcome.status == "rows_refused":
        head = html.Thead(html.Tr([html.Th(text(k, lang)) for k in ("op_col_row", "op_col_column", "op_col_reason")]))
        body = html.Tbody([html.Tr([html.Td("" if p.row is None else str(p.row)), html.Td(p.column or "—"),
                                    html.Td(p.reason)]) for p in outcome.problems])
        return [html.Div(text("op_upload_rows_refused", lang, n=formatting.number(len(outcome.problems), lang=lang),
                              rows=formatting.number(outcome.rows, lang=lang)),
                         className="op-result op-result-refused", role="alert"),
                html.Table([head, body], className="table table-sm op-table op-errors")]
    key = {"file_refused": "op_upload_file_refused", "forbidden": "op_upload_forbidden",
           "not_configured": "op_upload_not_configured"}.get(outcome.status, "op_upload_unavailable")
    return [html.Div(text(key, lang, reason=outcome.message), className="op-result op-result-refused", role="alert")]


def required_columns(feed) -> list[str]:
    """The columns every row of an upload must fill: the typed fields, the parts of the source id,
    the region and the event time (what ingest/upload.py checks)."""
    names = [*feed.fields, *(re.findall(r"\{([^{}]+)\}", feed.source_id) or [feed.source_id]),
             feed.region, feed.event_time]
    return list(dict.fromkeys(n for n in names if n))


def upload_card(pc: PageContext, feed_id: str, lang: str) -> html.Div:
    feed = pc.config.feeds[feed_id]
    columns = ", ".join(required_columns(feed)) or "—"
    return html.Div([
        html.H3(feed_title(pc, feed_id), className="op-card-title"),
        html.P(text("op_upload_columns", lang, columns=columns), className="op-columns"),
        dcc.Upload(html.Div([html.Span(text("op_upload_drop", lang)), " ",
                             html.Span(text("op_upload_choose", lang), className="op-choose")]),
                   id={"type": "op-upload", "feed": feed_id}, className="op-drop", accept=".csv,.xlsx,.xls,text/csv",
                   max_size=UPLOAD_MAX_BYTES, multiple=False),
        dcc.Loading(html.Div(id={"type": "op-upload-result", "feed": feed_id}, className="op-upload-result"),
                    type="dot"),
    ], className="op-card", **{"data-feed": feed_id})


def read_state(pc: PageContext, user: User) -> tuple[list[Alert], list[tuple[Alert, dict]], list[RecentUpload]]:
    """The user's alerts (pending, acknowledged) and their feeds' last uploads, from Redis."""
    mine = [(a, ack) for a, ack in active_with_acknowledgements(pc.redis) if may_handle(user, a)]
    pending = [a for a, ack in mine if ack is None]
    acked = [(a, ack) for a, ack in mine if ack is not None]
    return pending, acked, recent_uploads(pc.redis, watched_feeds(user, pc), RECENT)


def signature(pending, acked, uploads) -> list:
    """What the lists show, to skip re-rendering when nothing changed."""
    return [[(a.alert_id, a.message) for a in pending], [(a.alert_id, ack.get("who")) for a, ack in acked],
            [(u.at.isoformat(), u.feed_id, u.action, u.detail) for u in uploads]]


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    lang = language_from_query(search, pc.language)
    user = current_user()
    page_meta = {"wall": None, "page": "operator", "lang": lang}
    if user.role not in OPERATORS:  # the router refuses first; this page never serves anyone else
        return html.Div(html.P(text("op_not_operator", lang)), id=PAGE_ID, className="op-page"), page_meta
    try:
        pending, acked, uploads = read_state(pc, user)
    except OSError:  # Redis away: the lists fill on the next tick
        pending, acked, uploads = [], [], []
    feeds = upload_feeds(user, pc)
    who = user.display or user.name
    scope = (text("op_scope_all", lang) if user.role == ADMIN else
             ", ".join(application_name(a, lang) for a in sorted(user.applications)) or "—")
    children = html.Div([
        dcc.Store(id="op-lang", data=lang),
        dcc.Store(id="op-sig", data=signature(pending, acked, uploads)),
        dcc.Store(id="op-tick", data=0),  # moved by the page's push: alerts and uploads are read again
        html.Header([html.H1(text("op_title", lang)),
                     html.P(text("op_signed_in", lang, who=who, scope=scope), className="op-who")],
                    className="op-header"),
        html.Section([html.H2(text("op_alerts_title", lang)),
                      html.Div(id="op-ack-message", className="op-ack-message", role="status"),
                      html.Div(alert_rows(pending, lang), id="op-alerts", className="op-alerts"),
                      html.H3(text("op_acked_title", lang), className="op-subtitle"),
                      html.Div(acked_rows(acked, lang), id="op-acked", className="op-alerts")],
                     className="op-section"),
        html.Section([html.H2(text("op_upload_title", lang)),
                      html.P(text("op_upload_rule", lang), className="op-rule"),
                      *([upload_card(pc, fid, lang) for fid in feeds] or
                        [html.P(text("op_upload_no_feeds", lang), className="op-empty")])],
                     className="op-section"),
        html.Section([html.H2(text("op_recent_title", lang)),
                      html.Div(uploads_table(pc, uploads, lang), id="op-recent")], className="op-section"),
    ], id=PAGE_ID, className="op-page", lang=lang)
    return children, page_meta


def register(app, pc: PageContext) -> None:
    """The tick that re-reads the lists, the Acknowledge buttons and the upload forms."""

    @app.callback(Output("op-alerts", "children"), Output("op-acked", "children"), Output("op-recent", "children"),
                  Output("op-sig", "data"),
                  Input("op-tick", "data"), Input("op-ack-message", "children"),
                  State("op-lang", "data"), State("op-sig", "data"), prevent_initial_call=True)
    def op_refresh(_tick, _acked, lang, shown):
        user = current_user()
        if user.role not in OPERATORS:
            return no_update, no_update, no_update, no_update
        try:
            pending, acked, uploads = read_state(pc, user)
        except OSError:
            return no_update, no_update, no_update, no_update
        sig = signature(pending, acked, uploads)
        if sig == shown:  # built once, changed only when the lists change
            return no_update, no_update, no_update, no_update
        lang = lang or pc.language
        return alert_rows(pending, lang), acked_rows(acked, lang), uploads_table(pc, uploads, lang), sig

    @app.callback(Output("op-ack-message", "children"),
                  Input({"type": "op-ack", "alert": ALL}, "n_clicks"), State("op-lang", "data"),
                  prevent_initial_call=True)
    def op_acknowledge(clicks, lang):
        trigger = ctx.triggered_id
        # A list redrawn with its buttons fires no click: only a real press (n_clicks >= 1) counts.
        if not isinstance(trigger, dict) or not any((t.get("value") or 0) > 0 for t in ctx.triggered):
            return no_update
        _, message = acknowledge_alert(pc, current_user(), str(trigger.get("alert", "")), lang or pc.language)
        return message

    @app.callback(Output({"type": "op-upload-result", "feed": MATCH}, "children"),
                  Output({"type": "op-upload", "feed": MATCH}, "contents"),
                  Input({"type": "op-upload", "feed": MATCH}, "contents"),
                  State({"type": "op-upload", "feed": MATCH}, "filename"), State("op-lang", "data"),
                  prevent_initial_call=True)
    async def op_upload(contents, filename, lang):
        if not contents:
            return no_update, no_update
        feed_id = str((ctx.triggered_id or {}).get("feed", ""))
        lang = lang or pc.language
        outcome = await upload_file(pc, current_user(), feed_id, contents, filename, lang)
        # The form is emptied so that the same file, corrected, can be chosen again.
        return result_view(outcome, lang), None


async def push(line: Line, pc: PageContext) -> None:
    """Keep one open desk current: the lists are read again the moment the hub sees an alert raised,
    resolved or acknowledged, or a file uploaded for a feed (anyone's, through any process)."""
    await pc.hub.start()
    await move_on(line, "op-tick", [pc.hub.channel(ALERTS_CHANNEL), pc.hub.channel(UPLOADS)],
                  rate=pc.config.dashboard.push_rate)
