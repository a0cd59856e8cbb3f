"""Every page of the dashboard, stated once: its path, who may open it, its component-id prefix, the
module that builds it, and whether the live push keeps it current.

The access table (dashboard/auth/access.py) builds its page and callback rules from `PAGES` and
`ROUTES`; the router (dashboard/app.py) finds a page's module here and starts only that page's push.

A page module offers

    route(pathname, search, meta, pc) -> (children, meta)   # the layout, built once per load; sync or async
    register(app, pc) -> None                              # its callbacks and server routes
    push(line, pc) -> None                                 # only where `push`: keeps an open page current

and gives every component id of its callbacks the page's `ids` prefix. Modules are named, not
imported, here: the access table reads this file, and every page module reads the access table.

A path ending in "/" is a prefix (`/wall/<name>`); any other path matches itself and what lies below
it ("/publik" matches "/publik/harga", "/" matches only "/"). The longest match decides.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from dashboard.auth.roles import (
    ADMINS,
    ANALYSTS,
    APP_READERS,
    EVERYONE,
    OPERATORS,
    ROOM,
    SIGNED_IN,
    WALLS,
)


@dataclass(frozen=True)
class Page:
    path: str                  # the path, or a prefix ending in "/"
    roles: frozenset[str]      # who may open it (and run its callbacks)
    ids: str | None = None     # the prefix of its callbacks' component ids
    module: str | None = None  # the page module (route, register, push); None: a server route serves it
    push: bool = False         # the live push keeps an open page current

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


# Pages the router (Dash's `url` Location) builds, and pages served by server routes of their own.
PAGES: tuple[Page, ...] = (
    Page("/", SIGNED_IN, module="dashboard.home"),  # the list of screens; the public is sent to /publik
    Page("/wall/", WALLS, "wall-", "dashboard.walls.page", push=True),  # layouts/<name>.yaml, read-only
    Page("/remote", ROOM, "remote-", "dashboard.walls.remote_page", push=True),  # the playlist remote
    Page("/screen/governor", ROOM, "gov-", "dashboard.governor.page", push=True),
    Page("/screen/meeting", ROOM, "meet-", "dashboard.meeting.page", push=True),
    Page("/analyst", ANALYSTS, "ana-", "dashboard.analyst.page", push=True),
    # /app/<application>: and User.may_see_application per application (an operator their own only).
    Page("/app/", APP_READERS, "app-", "dashboard.applications.page", push=True),
    Page("/operator", OPERATORS, "op-", "dashboard.operator.page", push=True),  # acknowledge, upload
    Page("/publik", EVERYONE, "pub-", "dashboard.public.page"),  # the public portal
    Page("/it", SIGNED_IN, "it-", "dashboard.it.it_page"),  # operators see their own OPDs only
    Page("/status", EVERYONE, "status-", "dashboard.it.status_page"),  # no internal addresses
    Page("/insiden", SIGNED_IN, "ins-", "dashboard.incidents.page"),  # each step checked again by its role
    Page("/laporan", ANALYSTS, module="dashboard.incidents.reports_page"),  # morning reports and PDFs
    Page("/insiden-publik", EVERYONE, module="dashboard.incidents.public_page"),  # counts; nothing personal
    Page("/login", EVERYONE, "login-"),
    Page("/logout", EVERYONE),
    Page("/admin/", ADMINS, "admin-"),  # audit trail, users
)

# Server routes that are no page: open data, health, cameras, Dash's own and static files.
ROUTES: dict[str, frozenset[str]] = {
    "/opendata/": EVERYONE,            # open data CSV + metadata
    "/opendata": EVERYONE,             # the listing: "/opendata/" as may_open sees it (trailing "/" stripped)
    "/healthz": EVERYONE,              # no personal data, no addresses
    # Cameras: camera_groups[group].roles in config.yaml decides per camera (the public may be
    # allowed a group), checked by dashboard/cameras/routes.py may_watch.
    "/whep/": EVERYONE,
    "/snapshot/": EVERYONE,
    "/assets/": EVERYONE,
    "/_dash-": EVERYONE,               # Dash's own endpoints; callbacks are checked by their pages' rules
    "/_favicon.ico": EVERYONE,
    "/_reload-hash": EVERYONE,         # Dash's hot-reload probe: a hash, no data
}

# The router's own components: `screen` (the page) and `wall-meta` (what the router built, which the
# live push starts from) answer every path; the router refuses a page the user may not open itself.
SHELL_IDS = ("screen", "wall-meta")


def matches(rule: str, key: str) -> bool:
    """Whether a rule (a path, or a prefix ending in "/" or "-") covers `key`."""
    if key == rule:
        return True
    if rule.endswith(("/", "-")):
        return key.startswith(rule) and rule != "/"
    return key.startswith(rule + "/")


def page_of(path: str) -> Page | None:
    """The page the router builds for `path` (no trailing "/"), by the longest match; None for none."""
    found = [p for p in PAGES if p.module and matches(p.path, path)]
    return max(found, key=lambda p: len(p.path), default=None)
