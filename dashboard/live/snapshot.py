"""What the live hub last read from Redis: every headline figure, feed health, recent alert and camera status.

Tiles render from a `Frame` (a snapshot and the time it is shown at), never from Redis directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.cameras import CameraInfo
from core.health import FeedHealth
from core.streams import KpiValue


@dataclass(frozen=True)
class RedisStatus:
    """Whether the hub can read Redis; `down_since` is when the current outage began."""

    ok: bool
    latency_ms: float | None = None
    error: str | None = None
    down_since: datetime | None = None


@dataclass(frozen=True)
class StreamAlert:
    """One entry of the `cc:alerts` stream."""

    entry_id: str
    message: str
    severity: str
    at: datetime
    source: str | None = None


@dataclass(frozen=True)
class CameraStatus:
    """One camera's health as the video gateway last wrote it, and when its latest snapshot was taken."""

    state: str = "connecting"  # connecting | live | stalled | offline | inactive | damaged | unsupported
    reason: str = ""
    fps: float = 0.0
    snapshot_at: datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    """Everything a screen shows, as last read; kept as it was while Redis is unreachable."""

    kpis: dict[str, KpiValue] = field(default_factory=dict)
    health: dict[str, FeedHealth] = field(default_factory=dict)
    alerts: tuple[StreamAlert, ...] = ()
    cameras: dict[str, CameraStatus] = field(default_factory=dict)
    # The registry's public part as the video gateway published it (config + listing cameras).
    camera_registry: dict[str, CameraInfo] = field(default_factory=dict)
    # The IT control center: each monitored service's state and figures, each probe (dashboard/it/status.py).
    it: Any = None
    # Incidents' current states (core/incidents), by id order; the incident tile computes from these.
    incidents: tuple = ()
    redis: RedisStatus = RedisStatus(ok=True)
    read_at: datetime | None = None  # the last successful read
    version: int = 0  # bumped whenever something a screen shows has changed


@dataclass(frozen=True)
class Frame:
    """A snapshot as shown at one moment (ages and staleness depend on `now`)."""

    snapshot: Snapshot
    now: datetime
