"""Tile kinds, one module each: metric, map, clock, alerts, camera_grid, and the IT control center's
it_matrix, it_certs, it_incidents (dashboard/it/), incidents (dashboard/incidents/; see base.py for what a kind
provides)."""

from __future__ import annotations

from types import ModuleType

from dashboard.incidents import tile as incidents_tile
from dashboard.it import tile_certs, tile_incidents, tile_matrix
from dashboard.tiles import alerts, camera_grid, clock, map, metric  # noqa: A004 - the module is the map tile

KINDS: dict[str, ModuleType] = {"metric": metric, "map": map, "clock": clock, "alerts": alerts,
                               "camera_grid": camera_grid, "it_matrix": tile_matrix, "it_certs": tile_certs,
                               "it_incidents": tile_incidents, "incidents": incidents_tile}
