"""Tile kinds, one module each: metric, map, clock, alerts, camera_grid (see base.py for what a kind provides)."""

from __future__ import annotations

from types import ModuleType

from dashboard.tiles import alerts, camera_grid, clock, map, metric  # noqa: A004 - the module is the map tile

KINDS: dict[str, ModuleType] = {"metric": metric, "map": map, "clock": clock, "alerts": alerts,
                               "camera_grid": camera_grid}
