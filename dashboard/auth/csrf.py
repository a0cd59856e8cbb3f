"""CSRF protection for the dashboard's forms: single-use sign-in tokens, per-session tokens, same origin.

- The sign-in form (no session yet): GET /login hands out a token bound to a random `cc_login`
  cookie of that browser: signed (HMAC with `auth.form_secret`) with the time it was issued, so
  handing it out costs the server nothing, however many strangers ask for the form. POST /login
  checks the signature and age (an hour), then marks the token used in Redis (SET NX, an hour):
  a key only for a form actually sent. A missing, foreign, stale or replayed token is refused, so
  another site cannot sign a browser in.
- Every other form (logout, uploads) carries the session's own token, in the `csrf` field or the
  `X-CSRF-Token` header: a token of another session, or of a session that ended, is refused.
- Beside the tokens, any POST whose Origin header names another site is refused outright (the
  session cookie is SameSite=Lax as well, so a cross-site POST arrives without it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from core.clock import timestamp
from core.streams import login_form
from dashboard.auth.sessions import Session

LOGIN_COOKIE = "cc_login"
FORM_FIELD = "csrf"
HEADER = "x-csrf-token"
LOGIN_TOKEN_TTL_S = 3600


def new_browser_id() -> str:
    return secrets.token_urlsafe(32)


def _signature(key: bytes, body: str, browser_id: str) -> str:
    return hmac.new(key, f"{body}|{browser_id}".encode(), hashlib.sha256).hexdigest()[:32]


def issue_login_token(key: bytes, browser_id: str) -> str:
    """A fresh token for the sign-in form of the browser with `browser_id`: `<issued>.<nonce>.<signature>`."""
    body = f"{int(timestamp())}.{secrets.token_urlsafe(9)}"
    return f"{body}.{_signature(key, body, browser_id)}"


async def take_login_token(client: Any, key: bytes, token: str | None, browser_id: str | None) -> bool:
    """Whether `token` was signed for this browser within the hour and not used yet; it is used up
    when it is one of ours."""
    if not token or not browser_id or len(token) > 100 or token.count(".") != 2:
        return False
    issued, nonce, signature = token.split(".")
    if not hmac.compare_digest(signature.encode(), _signature(key, f"{issued}.{nonce}", browser_id).encode()):
        return False
    try:
        age = timestamp() - int(issued)
    except ValueError:
        return False
    if not -60 <= age <= LOGIN_TOKEN_TTL_S:
        return False
    return bool(await client.set(login_form(token), "1", nx=True, ex=LOGIN_TOKEN_TTL_S))


def session_token_ok(found: Session | None, presented: str | None) -> bool:
    """Whether a form's token is the one of the session that sends it."""
    if found is None or not presented or found.expired():
        return False
    return hmac.compare_digest(found.csrf.encode(), presented.encode())


def same_origin(headers: dict[str, str]) -> bool:
    """False when the request names an Origin (or, lacking it, a Referer) of another host than its own."""
    host = headers.get("host", "")
    origin = headers.get("origin")
    if origin is None:
        referer = headers.get("referer")
        # Neither header: not a browser's cross-site form (browsers send Origin on POST); the tokens decide.
        return not referer or urlsplit(referer).netloc == host
    # "null": a sandboxed frame or a cross-site redirect chain, never our own page.
    return origin != "null" and urlsplit(origin).netloc == host
