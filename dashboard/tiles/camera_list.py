"""The cameras a screen shows: config's plus the listing cameras the video gateway published.

The gateway owns the registry (ingest/cameras/registry.py) and publishes its public part to Redis;
the live hub reads it into the snapshot. A wall is built with the cameras known when it opened
and keeps them (its cells are built once); a camera its listing dropped or flagged inactive since
shows as inactive there until the page is opened again.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.cameras import CameraInfo, camera_list
from core.config import Config
from dashboard.live.snapshot import CameraStatus, Snapshot

INACTIVE = "inactive"


def known_cameras(config: Config, snapshot: Snapshot) -> dict[str, CameraInfo]:
    """Every camera known now: config's first (config wins on an id clash), then the listings'."""
    return camera_list(config.cameras, snapshot.camera_registry)


def wall_cameras(config: Config, snapshot: Snapshot, ids: Iterable[str] | None = None) -> dict[str, CameraInfo]:
    """The cameras of a wall: all known now, or the `ids` it was built with (one gone since keeps a
    placeholder under its id, so the page's cells still get their state)."""
    known = known_cameras(config, snapshot)
    if ids is None:
        return known
    return {cid: known.get(cid) or CameraInfo(cid, cid, "36", 0.0, 0.0, "", active=False, source="")
            for cid in ids}


def camera_state(camera_id: str, config: Config, snapshot: Snapshot) -> str:
    """What a screen says about a camera: the gateway's health, or inactive when its listing flags it
    inactive or no longer lists it."""
    if camera_id not in config.cameras:
        listed = snapshot.camera_registry.get(camera_id)
        if listed is None or not listed.active:
            return INACTIVE
    return snapshot.cameras.get(camera_id, CameraStatus()).state
