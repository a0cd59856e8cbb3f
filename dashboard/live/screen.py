"""The shell every live screen shares (walls, the governor's screen, the meeting room): the root's id
and heartbeat, the Redis outage banner, the kiosk flag, and filling a freshly built tree with its
first leaf props.

The root element has id `wall` and carries the server's clock in `data-tick`, pushed every second:
the wall watchdog (assets/wall/watchdog.js) watches it on every such screen.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from dash.development.base_component import Component

from dashboard.live.snapshot import Frame
from dashboard.text import formatting
from dashboard.text.i18n import text
from dashboard.tiles.base import Leaves, WallContext, iso

WALL_ID = "wall"
BANNER_ID = "outage-banner"
BANNER_TEXT_ID = "outage-banner-text"


def page_leaves(ctx: WallContext, frame: Frame) -> Leaves:
    """The heartbeat the watchdog watches, and the Redis outage banner."""
    redis = frame.snapshot.redis
    down = not redis.ok
    since = redis.down_since or frame.now
    return {
        (WALL_ID, "data-tick"): iso(frame.now.replace(microsecond=0)),
        (BANNER_ID, "className"): "outage-banner is-active" if down else "outage-banner",
        (BANNER_ID, "data-outage"): "true" if down else "false",
        (BANNER_TEXT_ID, "children"): (text("outage", ctx.lang, since=formatting.wib_when(since, frame.now, ctx.lang))
                                       if down else ""),
    }


def kiosk_from_query(search: str | None) -> bool:
    """`?kiosk=1` (or true/yes): the page runs unattended on a wall PC."""
    wanted = parse_qs((search or "").lstrip("?")).get("kiosk", [""])[0].lower()
    return wanted in ("1", "true", "yes", "ya")


def _by_id(component: Any, found: dict[str, Component]) -> dict[str, Component]:
    if isinstance(component, Component):
        cid = getattr(component, "id", None)
        if isinstance(cid, str):
            found[cid] = component
        _by_id(getattr(component, "children", None), found)
    elif isinstance(component, (list, tuple)):
        for child in component:
            _by_id(child, found)
    return found


def fill(root: Component, groups: dict[str, Leaves]) -> None:
    """Set the leaf props of a freshly built tree, so the first paint already shows the data."""
    components = _by_id(root, {})
    for leaves in groups.values():
        for (cid, prop), value in leaves.items():
            setattr(components[cid], prop, value.figure() if hasattr(value, "figure") else value)
