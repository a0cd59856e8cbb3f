"""What every page module gets from create_app: the config, the screens, the map, Redis and the live hub.

What a page module offers, and where each page is stated (path, roles, id prefix, module, push):
dashboard/pages.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.config import Config
from dashboard.live.hub import LiveHub
from dashboard.live.line import OpenPages
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
    open_pages: OpenPages = field(default_factory=OpenPages)  # the live push's line to each open page
    audit: Any = None      # the gate's audit (an async callable), set once the gate is installed
    walls: Any = None      # dashboard.walls.page.Walls, set by that page's register
    reads: Any = None      # dashboard.live.shared_read.SharedReads: what open pages show besides the snapshot

    @property
    def language(self) -> str:
        return self.config.site.language
