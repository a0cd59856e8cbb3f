"""Who may open what: the one table of rules, built from the pages (dashboard/pages.py), applied.

Every page path, every server route and every Dash callback has a rule; a route or callback without
one is refused (and fails tests/integration/dashboard/test_access_table.py). The roles and the signed-in user are
in dashboard/auth/roles.py (re-exported here).

    user = current_user()            # inside a page route, a Dash callback or a FastAPI handler
    allowed(user, PAGE_RULES, path)  # whether `user` may open `path`

A rule ending in "/" or "-" is a prefix; any other rule matches itself and what lies below it
("/publik" matches "/publik/harga", "/" matches only "/"). The longest match decides. Callback rules
match the component id of a callback's first output, so every page gives its ids a prefix of its own.
"""

from __future__ import annotations

import json
from typing import Any

from dashboard.auth.roles import (  # noqa: F401 (re-exported: the roles and the user, for the pages)
    ADMIN,
    ADMINS,
    ANALYST,
    ANALYSTS,
    ANONYMOUS,
    APP_READERS,
    EVERYONE,
    EXECUTIVE,
    OPERATOR,
    OPERATORS,
    PUBLIC,
    ROLES,
    ROOM,
    SIGNED_IN,
    WALL,
    WALLS,
    User,
    current_user,
    reset_current_user,
    set_current_user,
)
from dashboard.pages import PAGES, ROUTES, SHELL_IDS, matches

# Page paths (what the `url` Location shows) and server routes (FastAPI) share one table.
PAGE_RULES: dict[str, frozenset[str]] = {**{p.path: p.roles for p in PAGES}, **ROUTES}

# Component-id prefixes of callback outputs (a pattern-matching id {"type": ..., ...} by its "type";
# a callback without outputs by its first input's id, or else its first state's: the live push reads
# the router's `wall-meta` and itself pushes a page only to whom may open it).
CALLBACK_RULES: dict[str, frozenset[str]] = {**dict.fromkeys(SHELL_IDS, EVERYONE),
                                             **{p.ids: p.roles for p in PAGES if p.ids}}


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
    its first input's component, or else its first state's (the live push started again on a
    reconnect reads `wall-meta` as state); one with neither has no name, so no rule."""
    if spec.get("no_output"):
        deps = (spec.get("inputs") or []) + (spec.get("state") or [])
        return component_name(deps[0].get("id")) if deps else ""
    first = key[2:-2].split("...")[0] if key.startswith("..") else key
    component = first.rsplit(".", 1)[0].replace("\\.", ".")
    return component_name(component)


def rule_for(rules: dict[str, frozenset[str]], key: str) -> frozenset[str] | None:
    """The roles of the longest prefix of `key` in `rules`; None when no rule names it."""
    best = None
    for rule, roles in rules.items():
        if matches(rule, key) and (best is None or len(rule) > len(best[0])):
            best = (rule, roles)
    return best[1] if best else None


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
