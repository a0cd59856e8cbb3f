"""The gate in front of the dashboard: a pure-ASGI middleware that every request and WebSocket passes.

First the request's size: a body past its limit (dashboard/safety/body_limit.py) is answered 413
before anything else, and a client past its per-client limit 429. For each request it finds the session
(dashboard/auth/checks.py `Auth.resolve`) and sets
`dashboard.auth.access.current_user()`, the session and the client's address for everything that runs
below it: FastAPI handlers, Dash's HTTP callbacks, and the WebSocket handler with the callbacks it
runs as tasks or in its thread pool (Dash copies the context into both). Then, for HTTP:

- a POST (or other unsafe method) whose Origin or Referer names another site: 403, audited;
- the public's `/` goes to the portal `/publik`;
- a path PAGE_RULES does not allow the user (or `/app/<application>` of another agency): the
  public is sent to `/login?next=...` (a page) or answered 401, a signed-in user 403; audited;
- `POST /_dash-update-component`: the callback's rule (`Auth.callback_refusal`), 401/403, audited.

Every response gets the security headers (dashboard/safety/security_headers.py). When Redis cannot be
asked about a session, the request waits for it (503, the page retries by itself) unless the
session was seen recently (walls keep working through a Redis outage).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from dashboard.auth.access import User, may_open, reset_current_user, set_current_user
from dashboard.auth.checks import (
    CALLBACK_PATH,
    SAFE_METHODS,
    STATIC_PREFIXES,
    Auth,
    client_ip,
    headers_of,
    login_url,
    reset_address,
    role_name,
    set_address,
)
from dashboard.auth.csrf import same_origin
from dashboard.auth.sessions import COOKIE, reset_current_session, set_current_session
from dashboard.safety.body_limit import body_limit, bounded_body, bounded_messages, too_large
from dashboard.safety.callback_rules import NO_SERVER_SIDE
from dashboard.safety.client_limits import client_key, kind_of
from dashboard.safety.forwarded import TrustedProxies
from dashboard.safety.security_headers import security_headers
from dashboard.text.i18n import language_from_query, text


class Guard:
    """Pure-ASGI middleware: user, page rules, HTTP callback rules, same-origin POSTs, headers."""

    def __init__(self, app, auth: Auth):
        self.app = app
        self.auth = auth
        self.proxies = TrustedProxies(auth.config.dashboard.trusted_proxies)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        # The client's address, from X-Forwarded-For only behind a configured proxy; everything
        # below (request.client, the audit, the limits) sees this one.
        peer = scope.get("client")
        scope["client"] = (self.proxies.client(scope), peer[1] if peer else 0)
        limits = self.auth.config.dashboard.limits
        if scope["type"] == "http":
            send = self._with_headers(scope, send)
            if too_large(scope, limits.signed_in_body):  # past any limit: before even the session
                await _respond(send, 413, {"error": "request body too large"})
                return
        if path.startswith(STATIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        found, user, note = await self.auth.resolve(scope)
        if note == "unavailable" and path != "/healthz":
            await self._unavailable(scope, receive, send)
            return
        user_token, session_token = set_current_user(user), set_current_session(found)
        address_token = set_address(client_ip(scope))
        scope.setdefault("state", {})["cc_session"] = found
        most = body_limit(limits, path, user.signed_in)
        try:
            if scope["type"] == "websocket":
                # each message: bounded here; each callback: the websocket_message hook
                await self.app(scope, bounded_messages(receive, send, most), send)
                return
            if note in ("expired", "unknown"):
                send = _clearing_cookie(send)
            if too_large(scope, most):
                await _respond(send, 413, {"error": "request body too large"})
                return
            receive = bounded_body(receive, most)
            kind = kind_of(scope["method"], path)
            wait = self.auth.limits.wait(kind, client_key(found.id if found else None, client_ip(scope))) if kind else 0
            if wait:
                await self.auth.audit("rate_limited", target=path, outcome="refused", detail=f"{kind} per client",
                                      ip=client_ip(scope))
                retry = str(max(1, int(wait + 0.999))).encode()
                await _respond(send, 429, {"error": "too many requests"}, extra=[(b"retry-after", retry)])
                return
            refused, receive = await self._check_http(scope, receive, user, path, ended=note == "expired")
            if refused is not None:
                await refused(send)
                return
            await self.app(scope, receive, send)
        finally:
            reset_current_user(user_token)
            reset_current_session(session_token)
            reset_address(address_token)

    def _with_headers(self, scope, send):
        https = scope.get("scheme") == "https"

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in security_headers(self.auth.csp(), https) if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        return with_headers

    async def _unavailable(self, scope, receive, send):
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1013, "reason": "session store unavailable"})
            return
        lang = language_from_query(scope.get("query_string", b"").decode("latin-1"), self.auth.config.site.language)
        await _respond(send, 503, _page_body(text("auth_retry", lang), lang, retry_s=5), "text/html; charset=utf-8",
                       [(b"retry-after", b"5")])

    async def _check_http(self, scope, receive, user: User, path: str, ended: bool = False):
        """(a function that sends the refusal, or None; the receive to pass on). `ended`: the
        request came with a session that has just ended (the sign-in page says so)."""
        method = scope["method"]
        headers = headers_of(scope)
        ip = client_ip(scope)
        query = scope.get("query_string", b"").decode("latin-1")
        lang = language_from_query(query, self.auth.config.site.language)
        if method not in SAFE_METHODS and not same_origin(headers):
            await self.auth.audit("csrf_refused", target=path, outcome="refused",
                                  detail=f"cross-site {method} from {headers.get('origin') or headers.get('referer')}",
                                  ip=ip)
            return _sender(403, {"error": "cross-site request refused"}), receive
        if path in ("/", "") and not user.signed_in:
            return _redirect("/publik" + (f"?{query}" if query else "")), receive
        if not may_open(user, path):
            if not user.signed_in and method in ("GET", "HEAD") and "text/html" in headers.get("accept", ""):
                return _redirect(login_url(path, query) + ("&msg=ended" if ended else "")), receive
            status = 403 if user.signed_in else 401
            await self.auth.audit("refused", target=path, outcome="refused", detail=f"{method} ({status})", ip=ip)
            if "text/html" in headers.get("accept", ""):
                body = _page_body(text("auth_denied", lang, name=user.display or user.name,
                                       role=role_name(user.role, lang), path=path), lang)
                return _sender(status, body, "text/html; charset=utf-8"), receive
            return _sender(status,
                           {"error": "sign in first" if status == 401 else "not allowed for your role"}), receive
        if path == CALLBACK_PATH and method == "POST":
            body = await _read_body(receive)
            if body is None:
                return _sender(413, {"error": "request body too large"}), receive
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                payload = None
            reason = self.auth.callback_refusal(user, payload)
            if reason is not None and reason.startswith(NO_SERVER_SIDE):
                return _sender(404, {"error": reason}), receive
            if reason is not None:
                status = 403 if user.signed_in else 401
                await self.auth.audit("refused", target=reason, outcome="refused", detail=f"HTTP callback ({status})",
                                      ip=ip)
                return _sender(status, {"error": f"refused: {reason}"}), receive
            return None, _replay(body, receive)
        return None, receive


def _page_body(message: str, lang: str, retry_s: int | None = None) -> str:
    """A short page for a refusal; with `retry_s` it loads itself again (a wall PC needs no hands)."""
    refresh = f'<meta http-equiv="refresh" content="{retry_s}">' if retry_s else ""
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{refresh}<title>{escape(message)}</title>'
            f'<link rel="stylesheet" href="/assets/vendor/bootstrap.min.css"></head>'
            f'<body class="p-5"><p id="auth-message">{escape(message)}</p>'
            f'<p><a href="/">{escape(text("auth_home", lang))}</a> · '
            f'<a href="/login">{escape(text("auth_login_link", lang))}</a></p></body></html>')


async def _respond(send, status: int, body: Any, content_type: str = "application/json",
                   extra: list[tuple[bytes, bytes]] | None = None) -> None:
    data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(data)).encode()),
               (b"cache-control", b"no-store")] + (extra or [])
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def _sender(status: int, body: Any, content_type: str = "application/json"):
    async def refuse(send):
        await _respond(send, status, body, content_type)
    return refuse


def _redirect(location: str):
    async def redirect(send):
        await send({"type": "http.response.start", "status": 302,
                    "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0"),
                                (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": b""})
    return redirect


def _clearing_cookie(send):
    """Ask the browser to drop a session cookie that no longer names a session."""
    async def clearing(message):
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            headers.append((b"set-cookie", f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax".encode()))
            message = {**message, "headers": headers}
        await send(message)
    return clearing


async def _read_body(receive) -> bytes | None:
    """The whole body; None when the client went away or sent more than its limit (bounded_body)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive):
    """A receive that gives Dash the body already read, then the connection's own messages."""
    done = False

    async def replay():
        nonlocal done
        if not done:
            done = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
