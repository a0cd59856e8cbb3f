"""Alerts as both halves see them: the entry on `cc:alerts`, the active set, and acknowledgement.

The derive processors raise an alert once when its condition starts and resolve it once when it
ends, under a stable `alert_id`; an operator acknowledges it from the dashboard (which may not
import `ingest`, so acknowledgement lives here). An acknowledgement holds until the alert is
resolved (the derive processor then forgets it), so the same condition raised again is new.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

import redis

from core import audit
from core.streams import ALERTS, AUDIT, AUDIT_MAXLEN, active_alerts, alert_ack, as_text, decoded, to_iso, utc_now

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
    def decode(cls, text: str | bytes) -> Alert:
        return cls(**json.loads(text))

    def entry(self, state: AlertState, at: str | None = None, **extra: str) -> dict[str, str]:
        """The fields of its `cc:alerts` entry."""
        return {**asdict(self), "state": state, "at": at or to_iso(utc_now()), **extra}


def acknowledge(client: redis.Redis, alert_id: str, who: str, note: str = "", ip: str = "") -> dict[str, str]:
    """Record who acknowledged an alert and when, put an ack entry on `cc:alerts` (it takes the alert
    off the walls' strip) and an "acknowledge" entry in the audit trail, all at once. An alert
    already acknowledged keeps its first acknowledgement, which is returned."""
    if not who:
        raise ValueError("who acknowledged the alert is required")
    stored = client.hget(active_alerts(), alert_id)
    if stored is None:
        raise KeyError(f"no active alert {alert_id}")
    earlier = acknowledgement(client, alert_id)
    if earlier is not None:
        return earlier
    alert = Alert.decode(stored)
    ack = {"who": who, "at": to_iso(utc_now()), "note": note}
    pipe = client.pipeline(transaction=True)
    pipe.hset(alert_ack(alert_id), mapping=ack)
    pipe.xadd(ALERTS, alert.entry("acknowledged", ack["at"], severity="info", acknowledged_by=who, note=note,
                                  message=f"Diterima oleh {who}: {alert.message}"),
              maxlen=ALERTS_KEEP, approximate=True)
    pipe.xadd(AUDIT, audit.entry(who, "acknowledge", f"alert:{alert_id}", "ok", alert.message, ip),
              maxlen=AUDIT_MAXLEN, approximate=True)
    pipe.execute()
    return ack


def forget_acknowledgement(pipe: Any, alert_id: str) -> None:
    """Queue the end of an alert's acknowledgement (when the alert is resolved) on a pipeline."""
    pipe.delete(alert_ack(alert_id))


def active_with_acknowledgements(client: redis.Redis) -> list[tuple[Alert, dict[str, str] | None]]:
    """Every active alert with its acknowledgement (or None), in one round trip, most severe first."""
    stored = client.hgetall(active_alerts())
    alerts = []
    for text in stored.values():
        try:
            alerts.append(Alert.decode(text))
        except (ValueError, TypeError):
            continue
    pipe = client.pipeline(transaction=False)
    for alert in alerts:
        pipe.hgetall(alert_ack(alert.alert_id))
    acks = pipe.execute() if alerts else []
    rank = {"critical": 0, "warning": 1, "info": 2}
    out = [(alert, {as_text(k): as_text(v) for k, v in ack.items()} or None) for alert, ack in zip(alerts, acks)]
    out.sort(key=lambda pair: (rank.get(pair[0].severity, 3), pair[0].source, pair[0].region, pair[0].alert_id))
    return out



def acknowledgement(client: redis.Redis, alert_id: str) -> dict[str, Any] | None:
    """Who acknowledged an alert and when, or None."""
    stored = client.hgetall(alert_ack(alert_id))
    return decoded(stored) or None
