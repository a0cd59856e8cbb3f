"""Who may open what: the roles, the signed-in user of the current request, and the one table of rules.

Roles: `public` (nobody signed in), `operator` (bound to one or more feeds, so to their
agencies' applications), `analyst`, `executive` (the governor and staff), `admin` (Diskominfo's
command-center staff), `wall` (a kiosk PC: it shows walls and nothing else, and changes nothing). Every page path,
every server route and every Dash callback has a rule here;
a route or callback without one is refused (and fails tests/integration/dashboard/test_access_table.py).

    user = current_user()            # inside a page route, a Dash callback or a FastAPI handler
    allowed(user, PAGE_RULES, path)  # whether `user` may open `path`

A rule ending in "/" or "-" is a prefix; any other rule matches itself and what lies below it
("/publik" matches "/publik/harga", "/" matches only "/"). The longest match decides. Callback rules
match the component id of a callback's first output, so every page gives its ids a prefix of its own.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

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


# ---- the rules -----------------------------------------------------------------------------------
# Page paths (what the `url` Location shows) and server routes (FastAPI) share one table.
PAGE_RULES: dict[str, frozenset[str]] = {
    "/": SIGNED_IN,                    # the list of screens; the public is sent to /publik
    "/login": EVERYONE,
    "/logout": EVERYONE,
    "/publik": EVERYONE,               # the public portal (issue #6)
    "/opendata/": EVERYONE,            # open data CSV + metadata
    "/opendata": EVERYONE,             # the listing: "/opendata/" as may_open sees it (trailing "/" stripped)
    "/healthz": EVERYONE,              # no personal data, no addresses
    "/wall/": WALLS,                   # layouts/<name>.yaml
    "/remote": ROOM,                   # the playlist remote control (issue #5)
    "/screen/governor": ROOM,
    "/screen/meeting": ROOM,
    "/analyst": ANALYSTS,
    "/app/": APP_READERS,              # and User.may_see_application per application
    "/operator": OPERATORS,            # acknowledge alerts, upload files (issue #3)
    "/admin/": ADMINS,                 # audit trail, users
    "/it": SIGNED_IN,                  # IT control center drill-down; operators see their own OPDs only
    "/laporan": ANALYSTS,              # the governor's morning reports and their PDFs
    "/insiden-publik": EVERYONE,       # counts and on-time share per OPD; nothing personal
    "/insiden": SIGNED_IN,             # incidents; operators their own OPDs, each step checked by its role
    "/status": EVERYONE,               # public status of the public services (no internal addresses)
    # Cameras: camera_groups[group].roles in config.yaml decides per camera (the public may be
    # allowed a group), checked by dashboard/cameras/routes.py may_watch.
    "/whep/": EVERYONE,
    "/snapshot/": EVERYONE,
    "/assets/": EVERYONE,
    "/_dash-": EVERYONE,               # Dash's own endpoints; callbacks are checked by CALLBACK_RULES
    "/_favicon.ico": EVERYONE,
    "/_reload-hash": EVERYONE,         # Dash's hot-reload probe: a hash, no data
}

# Component-id prefixes of callback outputs (a pattern-matching id {"type": ..., ...} by its "type";
# a callback without outputs by its first input's id, or else by its function's name). The router
# (`screen`, `wall-meta`) answers every path, but itself refuses a page the user may not open (login
# page instead); `stream`, each page's push, pushes a wall only to whom may open that wall.
CALLBACK_RULES: dict[str, frozenset[str]] = {
    "screen": EVERYONE,
    "wall-meta": EVERYONE,
    "stream": EVERYONE,
    "app-": APP_READERS,
    "pub-": EVERYONE,
    "login-": EVERYONE,
    "gov-": ROOM,
    "meet-": ROOM,
    "remote-": ROOM,
    "wall-": WALLS,
    "ana-": ANALYSTS,
    "op-": OPERATORS,
    "admin-": ADMINS,
    "it-": SIGNED_IN,                  # /it: acknowledging checks the user's OPD itself
    "status-": EVERYONE,
    "ins-": SIGNED_IN,                 # /insiden: every step is checked again by core/incidents/lifecycle.py
}


def component_name(component_id: Any) -> str:
    """A component id as the rules see it: a string id itself; a pattern-matching id by its "type"
    (else its first string value by key)."""
    if isinstance(component_id, str) and component_id.startswith("{"):
        try:
            component_id = json.loads(component_id)
        except ValueError:
            return component_id
    if isinstance(component_id, dict):
        if isinstance(component_id.get("type"), str):
            return component_id["type"]
        return next((v for _, v in sorted(component_id.items()) if isinstance(v, str)), "")
    return str(component_id)


def callback_name(key: str, spec: dict) -> str:
    """The name a callback's rule is looked up by: its first output's component (from the callback
    key: `id.prop`, or `..id.prop...id2.prop2..` for several outputs); a callback without outputs by
    its first input's component, or else (a page's persistent push) by its function's name with "_"
    read as "-" (`gov_stream` falls under "gov-")."""
    if spec.get("no_output"):
        inputs = spec.get("inputs") or []
        if inputs:
            return component_name(inputs[0].get("id"))
        return getattr(spec.get("callback"), "__name__", "").replace("_", "-")
    first = key[2:-2].split("...")[0] if key.startswith("..") else key
    component = first.rsplit(".", 1)[0].replace("\\.", ".")
    return component_name(component)


def rule_for(rules: dict[str, frozenset[str]], key: str) -> frozenset[str] | None:
    """The roles of the longest prefix of `key` in `rules`; None when no rule names it."""
    best = None
    for rule, roles in rules.items():
        if _matches(rule, key) and (best is None or len(rule) > len(best[0])):
            best = (rule, roles)
    return best[1] if best else None


def _matches(rule: str, key: str) -> bool:
    if key == rule:
        return True
    if rule.endswith(("/", "-")):
        return key.startswith(rule) and rule != "/"
    return key.startswith(rule + "/")


def allowed(user: User, rules: dict[str, frozenset[str]], key: str) -> bool:
    roles = rule_for(rules, key)
    return roles is not None and user.role in roles


APP_PREFIX = "/app/"


def may_open(user: User, path: str) -> bool:
    """Whether `user` may open a page path: its rule, and for /app/<application> whether the user
    sees that application (an operator only their own agencies')."""
    path = (path or "/").split("?", 1)[0]
    path = path.rstrip("/") or "/"
    if not allowed(user, PAGE_RULES, path):
        return False
    if path.startswith(APP_PREFIX):
        application = path[len(APP_PREFIX):].split("/", 1)[0]
        return user.may_see_application(application)
    return True
