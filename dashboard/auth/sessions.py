"""Sign-in sessions: a random 256-bit id in an HttpOnly cookie, the session itself in Redis.

`cc:session:<id>` (core/streams.py `session`) holds the username, the session's CSRF token, when it
was made and when it ends, and a fingerprint of the account's password hash at sign-in: a new
password ends every session signed in with the old one. `cc:user-sessions:<name>` lists an
account's sessions, so signing out ends every one of them (the wall PC's and the laptop's alike). Redis keeps the key
a day past its end, so a browser that comes back
with an ended session is recognised (and the expiry audited, with who) instead of looking like a
stranger; the cookie lives as long. Several dashboard workers share the sessions through Redis.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from core.clock import timestamp
from core.streams import as_text, user_sessions
from core.streams import session as session_key

COOKIE = "cc_session"
GRACE_S = 86400  # an ended session is still recognised this long (audited as expired, not unknown)
_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32): 256 random bits


@dataclass(frozen=True)
class Session:
    id: str
    user: str
    csrf: str       # this session's token for forms (dashboard/auth/csrf.py)
    created: float  # epoch seconds
    expires: float
    ip: str = ""
    password: str = ""  # fingerprint of the account's password hash when it signed in

    def expired(self, now: float | None = None) -> bool:
        return (timestamp() if now is None else now) >= self.expires

    @property
    def max_age(self) -> int:
        """Seconds the browser keeps the cookie: to the end of the session, plus the grace."""
        return max(0, int(self.expires - timestamp()) + GRACE_S)


def valid_id(session_id: str | None) -> bool:
    return bool(session_id) and bool(_ID.match(session_id))



class SessionStore:
    """Sessions in Redis. `client` returns the asyncio client of the running event loop."""

    def __init__(self, client: Callable[[], Any]):
        self.client = client

    async def create(self, user: str, hours: float, ip: str = "", password: str = "") -> Session:
        now = timestamp()
        found = Session(id=secrets.token_urlsafe(32), user=user, csrf=secrets.token_urlsafe(32),
                        created=now, expires=now + hours * 3600, ip=ip, password=password)
        key = session_key(found.id)
        await self.client().hset(key, mapping={"user": found.user, "csrf": found.csrf, "created": str(found.created),
                                               "expires": str(found.expires), "ip": ip, "password": password})
        await self.client().expire(key, int(hours * 3600) + GRACE_S)
        # One set per account (not per stranger): its ids, kept as long as its newest session.
        pipe = self.client().pipeline(transaction=False)
        pipe.sadd(user_sessions(user), found.id)
        pipe.expire(user_sessions(user), int(hours * 3600) + GRACE_S, gt=True)
        pipe.expire(user_sessions(user), int(hours * 3600) + GRACE_S, nx=True)
        await pipe.execute()
        return found

    async def get(self, session_id: str | None) -> Session | None:
        """The session (perhaps ended: check `expired`), or None for no such session."""
        if not valid_id(session_id):
            return None
        fields = {as_text(k): as_text(v) for k, v in (await self.client().hgetall(session_key(session_id))).items()}
        if not fields.get("user") or not fields.get("csrf"):
            return None
        try:
            return Session(id=session_id, user=fields["user"], csrf=fields["csrf"], created=float(fields["created"]),
                           expires=float(fields["expires"]), ip=fields.get("ip", ""),
                           password=fields.get("password", ""))
        except (KeyError, ValueError):
            return None

    async def exists(self, session_id: str) -> bool:
        return bool(await self.client().exists(session_key(session_id)))

    async def delete(self, session_id: str) -> None:
        if valid_id(session_id):
            await self.client().delete(session_key(session_id))

    async def delete_all(self, user: str) -> list[str]:
        """End every session of `user` (a sign-out ends them all); the ids that were ended."""
        ids = [as_text(i) for i in await self.client().smembers(user_sessions(user))]
        keys = [session_key(i) for i in ids if valid_id(i)]
        await self.client().delete(user_sessions(user), *keys)
        return ids


def password_fingerprint(password_hash: str) -> str:
    """A short digest of an account's password hash: equal while the password is unchanged, and
    useless for guessing the password (it is a digest of a salted scrypt hash)."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


# The session of the current request, beside dashboard.auth.access.current_user() (set by dashboard/auth/checks.py):
# forms read its CSRF token from here.
_current: ContextVar[Session | None] = ContextVar("cc_session", default=None)


def current_session() -> Session | None:
    return _current.get()


def set_current_session(found: Session | None):
    return _current.set(found)


def reset_current_session(token) -> None:
    _current.reset(token)
