"""The roles, the signed-in user, and who is asking now (the user of the current request or WebSocket).

Roles: `public` (nobody signed in), `operator` (bound to one or more feeds, so to their agencies'
applications), `analyst`, `executive` (the governor and staff), `admin` (Diskominfo's command-center
staff), `wall` (a kiosk PC: it shows walls and nothing else, and changes nothing). What each role may
open is stated once per page in dashboard/pages.py; dashboard/auth/access.py applies it.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

PUBLIC = "public"
OPERATOR = "operator"
ANALYST = "analyst"
EXECUTIVE = "executive"
ADMIN = "admin"
WALL = "wall"
ROLES = (PUBLIC, OPERATOR, ANALYST, EXECUTIVE, ADMIN, WALL)

EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset({OPERATOR, ANALYST, EXECUTIVE, ADMIN, WALL})
ROOM = frozenset({EXECUTIVE, ADMIN})                  # the governor's screen, the meeting room, the remote
WALLS = ROOM | {WALL}                                 # wall screens and playlists (read-only)
ANALYSTS = frozenset({ANALYST, EXECUTIVE, ADMIN})     # all aggregates and (masked) records
APP_READERS = frozenset({OPERATOR, ANALYST, EXECUTIVE, ADMIN})  # operators: their own applications only
OPERATORS = frozenset({OPERATOR, ADMIN})
ADMINS = frozenset({ADMIN})


@dataclass(frozen=True)
class User:
    """A signed-in person (or the anonymous public). `feeds` binds an operator to their agencies' feeds;
    `applications` are the applications of those feeds (e-pormas, ...), filled in at sign-in."""

    name: str = ""
    role: str = PUBLIC
    display: str = ""
    feeds: frozenset[str] = field(default_factory=frozenset)
    applications: frozenset[str] = field(default_factory=frozenset)

    @property
    def signed_in(self) -> bool:
        return self.role != PUBLIC

    def may_see_application(self, application: str) -> bool:
        """Operators see their own agencies' applications only; analysts and up see all seven."""
        if self.role == OPERATOR:
            return application in self.applications
        return self.role in APP_READERS

    def may_use_feed(self, feed_id: str) -> bool:
        """Upload to / acknowledge for a feed: an admin any, an operator only their own."""
        return self.role == ADMIN or (self.role == OPERATOR and feed_id in self.feeds)


ANONYMOUS = User()

# Set for each request and WebSocket by the session middleware (dashboard/auth/checks.py); copied into the
# tasks and threads that run callbacks, so pages and callbacks read it without passing it around.
_current: ContextVar[User] = ContextVar("cc_user", default=ANONYMOUS)


def current_user() -> User:
    return _current.get()


def set_current_user(user: User):
    """Returns the token for reset_current_user."""
    return _current.set(user)


def reset_current_user(token) -> None:
    _current.reset(token)
