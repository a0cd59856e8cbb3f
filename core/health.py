"""A feed's health as kept in `cc:health:feed:<id>`, and how a reader judges it.

The supervisor writes it; the dashboard and /healthz read it. Staleness is judged by the reader
from `last_success` and `stale_after`, so a feed whose ingest process died still turns stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, Literal

from core.streams import decoded, from_iso, to_iso, utc_now

FeedState = Literal["starting", "ok", "error", "stale"]


@dataclass(frozen=True)
class FeedHealth:
    feed_id: str
    state: FeedState = "starting"
    stale_after: float = 300.0
    last_success: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    records_in: int = 0
    records_rejected: int = 0
    duplicates: int = 0
    lag_s: float | None = None  # newest record: ingest time minus event time
    updated: datetime | None = None

    def judged(self, now: datetime | None = None) -> FeedHealth:
        """This health with `state` as a reader sees it now: stale when no success for stale_after."""
        now = now or utc_now()
        if self.state == "error":
            return self
        if self.last_success is None:
            started = self.updated or now
            too_long = (now - started).total_seconds() > self.stale_after
            return replace(self, state="stale") if too_long else self
        if (now - self.last_success).total_seconds() > self.stale_after:
            return replace(self, state="stale")
        return replace(self, state="ok")

    def encode(self) -> dict[str, str]:
        out = {}
        for key, value in asdict(self).items():
            if isinstance(value, datetime):
                out[key] = to_iso(value)
            elif value is None:
                out[key] = ""
            else:
                out[key] = str(value)
        return out

    @classmethod
    def decode(cls, fields: Mapping[Any, Any]) -> FeedHealth:
        f = decoded(fields)

        def when(key):
            return from_iso(f[key]) if f.get(key) else None

        return cls(
            feed_id=f.get("feed_id", ""),
            state=f.get("state", "starting"),  # type: ignore[arg-type]
            stale_after=float(f.get("stale_after") or 300),
            last_success=when("last_success"),
            last_error=f.get("last_error", ""),
            last_error_at=when("last_error_at"),
            records_in=int(f.get("records_in") or 0),
            records_rejected=int(f.get("records_rejected") or 0),
            duplicates=int(f.get("duplicates") or 0),
            lag_s=float(f["lag_s"]) if f.get("lag_s") else None,
            updated=when("updated"),
        )

    def as_json(self, now: datetime | None = None) -> dict[str, Any]:
        """The judged health for /healthz."""
        judged = self.judged(now)
        out = judged.encode()
        for key in ("records_in", "records_rejected", "duplicates"):
            out[key] = getattr(judged, key)
        out["lag_s"] = judged.lag_s
        out["stale_after"] = judged.stale_after
        return out
