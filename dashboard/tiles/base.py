"""What every tile kind shares: its position in the grid, its DOM ids and attributes, freshness.

A tile kind is one module in this package with:
  - `Tile`: its options (a pydantic model on top of `TileBase`, unknown keys are mistakes),
  - `check(tile, config) -> list[(field, message)]`: what the model alone cannot know,
  - `layout(tile, ctx) -> Component`: the static tree, built once per page,
  - `leaves(tile, ctx, frame) -> {(component_id, prop): value}`: what a push may change.
Only leaf props change after the first render: Dash 4.4.1 replaces every element of a tree a
callback returns, on every update (twice the renderer CPU on a 20-tile wall, element state lost).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from core.config import Config, Model
from core.streams import to_iso
from dashboard.auth.access import current_user
from dashboard.live.snapshot import Frame
from dashboard.text import formatting
from dashboard.text.i18n import text

TILE_ID = r"^[a-z0-9][a-z0-9_-]*$"

Leaves = dict[tuple[str, str], Any]


class TileBase(Model):
    """Where a tile sits in the screen's grid (1-based column and row, spans in cells)."""

    id: str = Field(pattern=TILE_ID)
    kind: str
    col: int = Field(ge=1)
    row: int = Field(ge=1)
    width: int = Field(default=1, ge=1)
    height: int = Field(default=1, ge=1)
    title: str | None = None
    title_en: str | None = None

    def title_in(self, lang: str) -> str | None:
        return (self.title_en if lang == "en" and self.title_en else None) or self.title


@dataclass(frozen=True)
class WallContext:
    """What tiles need besides the data: the configuration, the language, the map geometry, and the
    cameras the page was built with (config's when not given; see dashboard/tiles/camera_list.py)."""

    config: Config
    lang: str = "id"
    geometry: Any = None  # dashboard.tiles.map.Geometry, loaded once per app
    cameras: Any = None  # dict[str, core.cameras.CameraInfo] | None

    def camera_infos(self) -> dict:
        """The page's cameras by id, in order: only those the signed-in viewer may watch (their role
        is in the camera group's roles), so no tile names, places or shows another group's camera."""
        cameras = self.cameras if self.cameras is not None else \
            {cid: cam.info(cid) for cid, cam in self.config.cameras.items()}
        role, groups = current_user().role, self.config.camera_groups
        return {cid: cam for cid, cam in cameras.items() if cam.group in groups and role in groups[cam.group].roles}


def dom_id(tile_id: str, part: str | None = None) -> str:
    """The id of a tile's root element, or of one of its parts (`tile-<id>-value`)."""
    return f"tile-{tile_id}" + (f"-{part}" if part else "")


def root_attrs(tile: TileBase, *classes: str) -> dict[str, Any]:
    """The root element's id, class, grid placement and the data-* attributes tests read."""
    return {
        "id": dom_id(tile.id),
        "className": " ".join(("tile", f"tile-{tile.kind}", *classes)),
        "style": {"gridColumn": f"{tile.col} / span {tile.width}", "gridRow": f"{tile.row} / span {tile.height}"},
        "data-tile": tile.id,
        "data-kind": tile.kind,
        "data-updated": "",
    }


def iso(t: datetime | None) -> str:
    """`data-updated`: ISO UTC with a Z, or empty when there is no data."""
    return to_iso(t) if t else ""


@dataclass(frozen=True)
class Freshness:
    """How current a metric's data is: `updated` is the later of the figure and its feed's last success."""

    updated: datetime | None
    stale: bool
    age_s: float | None

    def age_text(self, lang: str) -> str:
        return formatting.age(self.age_s, lang) if self.age_s is not None else text("no_data", lang)


def metric_freshness(metric_id: str, frame: Frame, config: Config) -> Freshness:
    """Freshness of a metric: stale past its feed's stale_after, when the feed is judged stale or
    failing, when there is no data, or while Redis cannot be read."""
    metric = config.metrics[metric_id]
    snap, now = frame.snapshot, frame.now
    figure = snap.kpis.get(metric_id)
    health = snap.health.get(metric.feed)
    times = [t for t in ((figure.updated if figure else None), (health.last_success if health else None)) if t]
    updated = max(times, default=None)
    feed = config.feeds.get(metric.feed)
    stale_after = float(feed.stale_after) if feed else (health.stale_after if health else 300.0)
    age_s = max(0.0, (now - updated).total_seconds()) if updated else None
    stale = (
        updated is None
        or age_s > stale_after
        or not snap.redis.ok
        or (health is not None and health.judged(now).state in ("stale", "error"))
    )
    return Freshness(updated, stale, age_s)
