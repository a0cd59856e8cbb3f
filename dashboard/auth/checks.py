"""Who is asking: sessions to users, the rule of each callback request, the router's refusals, the audit.

    auth = Auth(config, redis_url, users, app)   # made by dashboard/auth/install.py

- `Auth.resolve`: the session cookie -> the session in Redis -> the account in the users file ->
  a `dashboard.auth.access.User` (operators with their feeds' applications). An ended session is
  audited as expired, with who.
- `Auth.callback_refusal`: a callback request is refused when its rule (CALLBACK_RULES, by
  `dashboard.auth.access.callback_name`) does not name the user's role, when it is not the registered
  callback's shape, or when a value the function reads names what the user may not have (another
  agency's application page): dashboard/safety/callback_rules.py.
- `Auth.page_refusal`, for the router: a page the user may not open becomes the way to the sign-in
  page, or a refusal.
- The WebSocket: Dash's `websocket_message` hook checks each callback the same way (a refused one
  is answered with an error and never run; the socket stays, for the page's allowed push), and
  closes a socket whose session has ended or was signed out.
- The HTTP side, every request: dashboard/auth/gate.py; both put in front of the app by
  dashboard/auth/install.py. The forms: dashboard/auth/login_page.py, admin.py.
Sign-ins, failures, sign-outs, expiries, refusals and CSRF failures go to the audit trail.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from contextvars import ContextVar
from typing import Any
from urllib.parse import quote

from dash import dcc, html
from starlette.requests import cookie_parser

from core import audit
from core.config import Config
from core.credentials import form_secret
from core.redis import REDIS_ERRORS, connect_async
from core.users import UserBook, applications_of
from dashboard.auth.access import ANONYMOUS, User, callback_name, current_user, may_open  # noqa: F401 (re-exported)
from dashboard.auth.login_limits import LoginLimiter
from dashboard.auth.sessions import COOKIE, Session, SessionStore, password_fingerprint
from dashboard.safety.callback_rules import NO_SERVER_SIDE, CallbackRules
from dashboard.safety.client_limits import CALLBACKS, ClientLimits, client_key
from dashboard.safety.refusal_audit import RefusalAudit
from dashboard.safety.security_headers import content_security_policy
from dashboard.text.i18n import language_from_query, text

log = logging.getLogger("dashboard.auth.checks")

CALLBACK_PATH = "/_dash-update-component"
# Served as they are, without a session lookup: files, and Dash's scripts.
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Pages that are plain FastAPI routes, not Dash pages: the router sends the browser there for real.
SERVER_PAGES = ("/login", "/logout", "/admin/")
RECENT_SESSIONS = 10_000  # sessions remembered per process for a Redis outage
# The address of the current request or WebSocket, for audit entries written inside callbacks.
_address: ContextVar[str] = ContextVar("cc_client_ip", default="")


def set_address(address: str):
    """Set by the gate for each request; returns the token to reset it with."""
    return _address.set(address)


def reset_address(token) -> None:
    _address.reset(token)


def client_ip(scope: dict) -> str:
    client = scope.get("client")
    return client[0] if client else ""


def headers_of(scope: dict) -> dict[str, str]:
    """An ASGI scope's headers by lower-case name."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def login_url(path: str, query: str = "") -> str:
    """/login?next=<the asked page>, so the browser comes back to it after signing in (in the
    page's language: `lang=en` goes along)."""
    target = path + (f"?{query}" if query else "")
    params = [] if target == "/" else [f"next={quote(target, safe='')}"]
    if language_from_query(query, "id") == "en":
        params.append("lang=en")
    return "/login" + (f"?{'&'.join(params)}" if params else "")


def role_name(role: str, lang: str) -> str:
    return text(f"auth_role_{role}", lang)


# ---- the gate's state: sessions, accounts, Redis --------------------------------------------------

class Auth:
    """Sessions, accounts, the login limiter and the audit, for one dashboard app."""

    def __init__(self, config: Config, redis_url: str, users: UserBook, dash_app):
        self.config = config
        self.redis_url = redis_url
        self.users = users
        self.dash_app = dash_app
        self.sessions = SessionStore(self.client)
        self.callback_rules = CallbackRules(dash_app)
        self.refusals = RefusalAudit(self._write, config.auth.refusals_each, config.auth.refusals_each_user)
        # Signs the sign-in forms (dashboard/auth/csrf.py): the same in every dashboard process of the site.
        self.form_key = form_secret(config).encode()
        self.limits = ClientLimits(config.dashboard.limits)
        self.limiter = LoginLimiter(config.auth.login_limit)
        self._client = None
        self._client_loop = None
        self._csp: str | None = None
        self._recent: dict[str, Session] = {}  # sessions seen lately, for when Redis is away

    def client(self):
        """The asyncio Redis client of the running event loop (a test may serve the app on a new one)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client = connect_async(self.redis_url, socket_timeout=2)
            self._client_loop = loop
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            try:
                await self._client.aclose()
            except RuntimeError:  # its loop is gone already
                pass
            self._client = None

    def csp(self) -> str:
        # Computed at the first response, when every page has registered its clientside callbacks.
        if self._csp is None:
            self._csp = content_security_policy(self.dash_app.csp_hashes())
        return self._csp

    def cookie_secure(self, scope: dict) -> bool:
        setting = self.config.auth.cookie_secure
        return scope.get("scheme") in ("https", "wss") if setting == "auto" else bool(setting)

    def session_hours(self, name: str) -> float:
        account = self.users.get(name)
        return (account.session_hours if account and account.session_hours else None) or self.config.auth.session_hours

    def user_of(self, name: str) -> User | None:
        """The account `name` as a User, with its operator feeds' applications; None if it is gone."""
        account = self.users.get(name)
        if account is None:
            return None
        return User(name=name, role=account.role, display=account.display or name,
                    feeds=frozenset(account.feeds), applications=applications_of(account.feeds, self.config))

    async def audit(self, action: str, target: str = "", outcome: str = "ok", detail: str = "",
                    who: str | None = None, ip: str = "") -> None:
        """One audit entry; `who` defaults to the signed-in user, `ip` to the request's address. A
        refusal goes through the per-source-and-minute count (dashboard/safety/refusal_audit.py). An
        unreachable Redis is logged, not raised."""
        who = current_user().name if who is None else who
        ip = ip or _address.get()
        if outcome == "refused":
            await self.refusals.refused(who=who, action=action, target=target, detail=detail, ip=ip,
                                        signed_in=current_user().signed_in)
        else:
            await self._write(who=who, action=action, target=target, outcome=outcome, detail=detail, ip=ip)

    async def _write(self, who: str, action: str, target: str, outcome: str, detail: str, ip: str) -> None:
        try:
            await audit.record(self.client(), who, action, target, outcome, detail, ip)
        except REDIS_ERRORS as exc:
            log.warning("audit entry %s %s not written: %s", action, target, exc)

    async def resolve(self, scope: dict) -> tuple[Session | None, User, str | None]:
        """(session, user, note) of a request; note: "expired", "unknown" (a stale cookie) or
        "unavailable" (Redis down), None when all is well or there is no cookie."""
        session_id = cookie_parser(headers_of(scope).get("cookie", "")).get(COOKIE)
        if not session_id:
            return None, ANONYMOUS, None
        try:
            found = await self.sessions.get(session_id)
        except REDIS_ERRORS:
            # Redis away: a session this process saw recently counts until its end, so walls
            # reconnect and reload through an outage; others wait for Redis.
            found = self._recent.get(session_id)
            user = self.user_of(found.user) if found is not None and not found.expired() else None
            return (found, user, None) if user is not None else (None, ANONYMOUS, "unavailable")
        if found is None:
            self._recent.pop(session_id, None)
            return None, ANONYMOUS, "unknown"
        user = self.user_of(found.user)
        ended = self.ended(found)
        if ended:  # ended, the account was removed or its password changed: its sessions end now
            await self.drop_session(found.id)
            await self.audit("session_expired", who=found.user, ip=client_ip(scope),
                             detail=ended if ended != "session expired" else
                             f"signed in {time.strftime('%Y-%m-%d %H:%M', time.gmtime(found.created))} UTC")
            return None, ANONYMOUS, "expired"
        self.remember(found)
        return found, user, None

    async def drop_all_sessions(self, user: str) -> None:
        """End every session of `user` (sign-out): their open sockets close at their next check."""
        try:
            for session_id in await self.sessions.delete_all(user):
                self._recent.pop(session_id, None)
        except REDIS_ERRORS as exc:
            log.warning("sessions of %s not deleted from Redis: %s", user, exc)

    def ended(self, found: Session) -> str | None:
        """Why a session has ended without its own end time or a sign-out (the account was removed, its
        password changed), or that it is past its end time; None while it holds."""
        if found.expired():
            return "session expired"
        account = self.users.get(found.user)
        if account is None:
            return "account removed"
        if found.password and found.password != password_fingerprint(account.password):
            return "password changed"
        return None

    async def still_holds(self, found: Session) -> str | None:
        """For an open WebSocket: why its session ended (signed out too), or None; Redis being away
        does not end it (its end time still does)."""
        ended = self.ended(found)
        if ended:
            return ended
        try:
            if not await self.sessions.exists(found.id):
                return "signed out"
        except REDIS_ERRORS:
            pass
        return None

    def remember(self, found: Session) -> None:
        """Keep a session at hand for a Redis outage (the newest RECENT_SESSIONS)."""
        self._recent[found.id] = found
        if len(self._recent) > RECENT_SESSIONS:
            del self._recent[next(iter(self._recent))]  # the oldest

    async def drop_session(self, session_id: str) -> None:
        """End a session (sign-out, expiry, a new sign-in); Redis being away does not stop it here."""
        self._recent.pop(session_id, None)
        try:
            await self.sessions.delete(session_id)
        except REDIS_ERRORS as exc:
            log.warning("session not deleted from Redis: %s", exc)

    def callback_refusal(self, user: User, payload: Any) -> str | None:
        """Why `user` may not run this callback request, or None when they may (dashboard/safety/callback_rules.py)."""
        return self.callback_rules.refusal(user, payload)

    async def page_refusal(self, pathname: str | None, search: str | None, lang: str):
        """For the router: None when the current user may open the page; else what to show instead
        (the way to the sign-in page, or a refusal)."""
        user = current_user()
        path = (pathname or "/").rstrip("/") or "/"
        if path.startswith(SERVER_PAGES):
            return dcc.Location(id="login-redirect", href=path + (search or ""), refresh=True)
        if not user.signed_in and path == "/":
            return dcc.Location(id="login-redirect", href="/publik" + (search or ""), refresh=True)
        if may_open(user, path):
            return None
        if not user.signed_in:
            href = login_url(path, (search or "").lstrip("?"))
            return html.Div([dcc.Location(id="login-redirect", href=href, refresh=True),
                             html.P(text("auth_login_needed", lang)),
                             html.A(text("auth_login_link", lang), href=href)], id="login-required",
                            className="auth-refusal")
        await self.audit("refused", target=path, outcome="refused", detail="page (router)")
        return html.Div([html.H1(text("auth_denied_title", lang)),
                         html.P(text("auth_denied", lang, name=user.display or user.name,
                                     role=role_name(user.role, lang), path=path)),
                         html.A(text("auth_home", lang), href="/")], id="login-denied", className="auth-refusal")


# ---- WebSocket callbacks (Dash's hooks are process-wide: each finds its app's Auth) ---------------

async def on_websocket_message(websocket, message):
    app = websocket.scope.get("app")
    auth: Auth | None = getattr(app.state, "cc_auth", None) if app else None
    if auth is None:
        return True
    state = websocket.scope.setdefault("state", {})
    found: Session | None = state.get("cc_session")
    user = current_user()
    if found is not None:
        if found.expired():
            await auth.audit("session_expired", who=found.user, ip=client_ip(websocket.scope), detail="WebSocket")
            return 4001, "session expired"
        if "cc_watch" not in state:  # a silent socket (a wall only receiving) is watched all the same
            state["cc_watch"] = asyncio.create_task(watch_session(websocket, auth, found))
    if not isinstance(message, dict):
        return True
    if auth.limits.wait(CALLBACKS, client_key(found.id if found else None, client_ip(websocket.scope))):
        # Past this client's limit: a callback is answered "rate limited", anything else is passed over.
        kind = message.get("type")
        message["type"] = "limited_message"
        if kind == "callback_request":
            await auth.audit("rate_limited", target="WebSocket", outcome="refused", detail="callbacks per client",
                             ip=client_ip(websocket.scope))
            await websocket.send_text(json.dumps({"type": "callback_response",
                                                  "rendererId": message.get("rendererId", ""),
                                                  "requestId": message.get("requestId"),
                                                  "payload": {"status": "error", "message": "rate limited"}}))
        return True
    if message.get("type") != "callback_request":
        return True
    payload = message.get("payload")
    reason = auth.callback_refusal(user, payload)
    if reason is None:
        return True
    # Answer this one request and let Dash pass over it (it ignores message types it does not know);
    # closing the socket would stop the page's allowed push too. A refused callback without inputs
    # (a persistent one, which Dash starts on every page) is answered as a push with nothing to send,
    # so a visitor's console stays clean; a refused request with inputs is an error, audited.
    asked = bool((payload or {}).get("inputs"))
    message["type"] = "refused_callback_request"
    if reason.startswith(NO_SERVER_SIDE):
        await websocket.send_text(json.dumps({"type": "callback_response", "rendererId": message.get("rendererId", ""),
                                              "requestId": message.get("requestId"),
                                              "payload": {"status": "error", "message": "not found"}}))
        return True
    answer = {"status": "error", "message": "forbidden"} if asked else {"status": "prevent_update",
                                                                         "refused": "forbidden"}
    await websocket.send_text(json.dumps({"type": "callback_response", "rendererId": message.get("rendererId", ""),
                                          "requestId": message.get("requestId"), "payload": answer}))
    if asked:
        await auth.audit("refused", target=reason, outcome="refused", detail="WebSocket callback",
                         ip=client_ip(websocket.scope))
    return True


async def watch_session(websocket, auth: Auth, found: Session) -> None:
    """Close the socket within `auth.session_check` seconds of its session ending: signed out, the
    account removed, its password changed, or its time up. The wall's push stops with it."""
    from starlette.websockets import WebSocketState

    every = float(auth.config.auth.session_check)
    while (websocket.application_state == WebSocketState.CONNECTED
           and websocket.client_state == WebSocketState.CONNECTED):
        await asyncio.sleep(every)
        why = await auth.still_holds(found)
        if why is None:
            continue
        await auth.audit("session_expired", who=found.user, ip=client_ip(websocket.scope),
                         detail="WebSocket" if why == "session expired" else f"WebSocket: {why}")
        try:
            await websocket.close(code=4001, reason=why)
        except RuntimeError:  # closed meanwhile
            pass
        return
