"""What every page module gets from create_app: the config, the screens, the map, Redis and the live hub.

A page module (dashboard/pages/<page>.py) offers:

    is_page(path: str) -> bool                       # path without the trailing "/"
    route(pathname, search, meta, pc) -> (children, meta)   # sync or async; meta lands in `wall-meta`
    register(app, pc) -> None                        # its callbacks, server routes (optional)

and gives its component ids the prefix that dashboard/auth/access.py CALLBACK_RULES names for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.config import Config
from dashboard.live.hub import LiveHub
from dashboard.tiles.map import Geometry


@dataclass
class PageContext:
    config: Config
    screens: dict          # name -> dashboard.walls.layout.Screen; replaced in place when layouts/ change
    geometry: Geometry
    hub: LiveHub           # the one async Redis reader of this process (walls, alerts, health)
    redis: Any             # a sync redis.Redis(decode_responses=True) for page reads
    redis_url: str
    # dashboard.walls.layout_watch.LayoutWatch: the playlists (`layouts.playlists`, also replaced in place),
    # each file's digest and the current layout mistakes; None where a test builds a bare context.
    layouts: Any = None

    @property
    def language(self) -> str:
        return self.config.site.language
