"""Alerts as both halves see them: the entry on `cc:alerts`, the active set, and acknowledgement.

The derive processors raise an alert once when its condition starts and resolve it once when it
ends, under a stable `alert_id`; an operator acknowledges it from the dashboard (which may not
import `ingest`, so acknowledgement lives here).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

import redis

from core.streams import ALERTS, active_alerts, alert_ack, to_iso, utc_now

AlertState = Literal["raised", "resolved", "acknowledged"]
ALERTS_KEEP = 10_000  # the same bound ingest/health.py uses on cc:alerts


@dataclass(frozen=True)
class Alert:
    """One alert condition: what, where, how bad, and the message an operator reads."""

    alert_id: str
    kind: str  # price | complaint_sla | bed_occupancy | tender_stage_overdue
    severity: str  # critical | warning | info
    message: str  # plain Bahasa Indonesia
    source: str  # the application (e-disikap, ...)
    region: str  # BPS code, "36" for the province
    unit: str = ""  # market, hospital, satker ... the drill-down unit it belongs to

    def encode(self) -> str:
        """JSON for the active-alerts hash."""
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str | bytes) -> "Alert":
        return cls(**json.loads(text))

    def entry(self, state: AlertState, at: str | None = None, **extra: str) -> dict[str, str]:
        """The fields of its `cc:alerts` entry."""
        return {**asdict(self), "state": state, "at": at or to_iso(utc_now()), **extra}


def acknowledge(client: redis.Redis, alert_id: str, who: str, note: str = "") -> dict[str, str]:
    """Record who acknowledged an alert and when, and put an ack entry on `cc:alerts`."""
    if not who:
        raise ValueError("who acknowledged the alert is required")
    stored = client.hget(active_alerts(), alert_id)
    if stored is None:
        raise KeyError(f"no active alert {alert_id}")
    alert = Alert.decode(stored)
    ack = {"who": who, "at": to_iso(utc_now()), "note": note}
    pipe = client.pipeline(transaction=True)
    pipe.hset(alert_ack(alert_id), mapping=ack)
    pipe.xadd(ALERTS, alert.entry("acknowledged", ack["at"], severity="info", acknowledged_by=who, note=note,
                                  message=f"Diterima oleh {who}: {alert.message}"),
              maxlen=ALERTS_KEEP, approximate=True)
    pipe.execute()
    return ack


def acknowledgement(client: redis.Redis, alert_id: str) -> dict[str, Any] | None:
    """Who acknowledged an alert and when, or None."""
    stored = client.hgetall(alert_ack(alert_id))
    return {(k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
            for k, v in stored.items()} or None
