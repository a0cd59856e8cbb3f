"""What the /it and /status pages read from Redis (sync client, decoded): states, figures, history,
results. Screens on walls read the live hub's snapshot instead (dashboard/it/status.py)."""

from __future__ import annotations

import json
from typing import Any

from core.config import Config
from core.it_incidents import incidents
from core.streams import from_iso, monitor_detail, monitor_results, monitor_state, monitor_summary
from dashboard.it.status import ItStatus, it_status_keys, read_it_status


def it_status(client, config: Config) -> ItStatus:
    pipe = client.pipeline(transaction=False)
    for key in it_status_keys(config):
        pipe.hgetall(key)
    return read_it_status(config, pipe.execute()) or ItStatus()


def figures(client, services: list[str]) -> dict[str, dict[str, Any]]:
    """Wall figures and history of services: uptime, SLA, percentiles, hours, 90 days."""
    if not services:
        return {}
    pipe = client.pipeline(transaction=False)
    pipe.hmget(monitor_summary(), services)
    pipe.hmget(monitor_detail(), services)
    summaries, details = pipe.execute()
    out = {}
    for sid, summary, detail in zip(services, summaries, details):
        try:
            out[sid] = {**json.loads(summary or "{}"), **json.loads(detail or "{}")}
        except ValueError:
            out[sid] = {}
    return out


def raw_state(client, service: str) -> dict[str, Any]:
    text = client.hget(monitor_state(), service)
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return {}


def history(client, service: str, count: int = 100) -> list[dict[str, Any]]:
    """The newest check results of a service: time, ok, ms, reason, state, probe."""
    out = []
    for _, f in client.xrevrange(monitor_results(service), count=count):
        try:
            out.append({"at": from_iso(f["at"]), "ok": f.get("ok") == "1",
                        "ms": float(f["ms"]) if f.get("ms") else None, "reason": f.get("reason", ""),
                        "state": f.get("state", ""), "probe": f.get("probe", "")})
        except (KeyError, ValueError):
            continue
    return out


def open_incidents(client) -> list[dict[str, Any]]:
    return [i for i in incidents(client) if not i.get("resolved")]


__all__ = ["figures", "history", "incidents", "it_status", "open_incidents", "raw_state"]
