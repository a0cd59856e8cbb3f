"""IT incidents as both halves see them: the stored incident, and its acknowledgement by a person.

The monitor (ingest/monitor/incidents.py) opens and resolves incidents; an operator of the root
service's OPD (or an admin) acknowledges one at /it, which stops the reminders. The dashboard may not
import `ingest`, so acknowledgement lives here, as for the feed alerts (core/alerts.py).
"""

from __future__ import annotations

import json
from typing import Any

from core import audit
from core.streams import AUDIT, AUDIT_MAXLEN, as_text, monitor_ack, monitor_incidents, to_iso, utc_now


def incidents(client) -> list[dict[str, Any]]:
    """Every stored incident, newest first, each with its acknowledgement (or None)."""
    stored = client.hgetall(monitor_incidents())
    out = []
    for text in stored.values():
        try:
            out.append(json.loads(text))
        except (TypeError, ValueError):
            continue
    pipe = client.pipeline(transaction=False)
    for incident in out:
        pipe.hgetall(monitor_ack(incident["id"]))
    for incident, ack in zip(out, pipe.execute() if out else []):
        incident["ack"] = {as_text(k): as_text(v) for k, v in ack.items()} or None
    out.sort(key=lambda i: i.get("opened") or "", reverse=True)
    return out


def acknowledge_incident(client, incident_id: str, who: str, ip: str = "") -> dict[str, str]:
    """Record who acknowledged an open incident (the monitor stops reminding) and audit it; the first
    acknowledgement stands. KeyError when there is no such open incident."""
    if not who:
        raise ValueError("who acknowledged the incident is required")
    stored = client.hget(monitor_incidents(), incident_id)
    if stored is None or json.loads(stored).get("resolved"):
        raise KeyError(f"no open incident {incident_id}")
    earlier = client.hgetall(monitor_ack(incident_id))
    if earlier:
        return {as_text(k): as_text(v) for k, v in earlier.items()}
    ack = {"who": who, "at": to_iso(utc_now())}
    pipe = client.pipeline(transaction=True)
    pipe.hset(monitor_ack(incident_id), mapping=ack)
    pipe.xadd(AUDIT, audit.entry(who, "acknowledge", f"incident:{incident_id}", "ok",
                                 json.loads(stored).get("root_name", ""), ip), maxlen=AUDIT_MAXLEN, approximate=True)
    pipe.execute()
    return ack
