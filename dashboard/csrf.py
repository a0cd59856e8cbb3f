"""CSRF protection for the dashboard's forms: single-use sign-in tokens, per-session tokens, same origin.

- The sign-in form (no session yet): GET /login hands out a token bound to a random `cc_login`
  cookie of that browser, kept in Redis for an hour; POST /login takes it back (GETDEL). A missing,
  foreign, stale or replayed token is refused, so another site cannot sign a browser in.
- Every other form (logout, uploads) carries the session's own token, in the `csrf` field or the
  `X-CSRF-Token` header: a token of another session, or of a session that ended, is refused.
- Beside the tokens, any POST whose Origin header names another site is refused outright (the
  session cookie is SameSite=Lax as well, so a cross-site POST arrives without it).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from core.streams import login_form

from dashboard.sessions import Session

LOGIN_COOKIE = "cc_login"
FORM_FIELD = "csrf"
HEADER = "x-csrf-token"
LOGIN_TOKEN_TTL_S = 3600


def new_browser_id() -> str:
    return secrets.token_urlsafe(32)


async def issue_login_token(client: Any, browser_id: str) -> str:
    """A fresh single-use token for the sign-in form of the browser with `browser_id`."""
    token = secrets.token_urlsafe(32)
    await client.set(login_form(token), browser_id, ex=LOGIN_TOKEN_TTL_S)
    return token


async def take_login_token(client: Any, token: str | None, browser_id: str | None) -> bool:
    """Whether `token` was handed to this browser and not used yet; it is used up either way."""
    if not token or not browser_id or len(token) > 100:
        return False
    owner = await client.getdel(login_form(token))
    if owner is None:
        return False
    owner = owner.decode() if isinstance(owner, bytes) else owner
    return hmac.compare_digest(owner.encode(), browser_id.encode())


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
