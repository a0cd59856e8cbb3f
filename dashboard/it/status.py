"""What the monitor last wrote, as screens read it: each service's state and wall figures, each probe.

The live hub reads the keys of `it_status_keys` in its one pipelined round trip and hands the
replies to `read_it_status`; tiles and pages render from the `ItStatus` in the snapshot. Targets
(URLs, hosts) are not in it: the monitor never writes them to Redis.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.clock import utc_now
from core.config import Config
from core.monitors import CENTRAL_PROBE
from core.streams import as_text, from_iso, monitor_probe, monitor_state, monitor_summary

# Red first: the order of rows and cells on the wall.
RANK = {"down": 0, "offline": 1, "degraded": 2, "unknown": 3, "pending": 4, "up": 5}
# The monitor writes its own probe's health every second: silent this long, it is not running.
CENTRAL_SILENT_S = 15.0
SPARK_BARS = "▁▂▃▄▅▆▇█"



def _when(text: Any) -> datetime | None:
    try:
        return from_iso(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ServiceStatus:
    id: str
    opd: str
    name: str
    state: str = "pending"      # up | degraded | down | pending | unknown, or offline (its probe is)
    since: datetime | None = None
    reason: str = ""
    ms: float | None = None
    checked: datetime | None = None
    cert_expires: datetime | None = None
    suppressed_by: str | None = None
    incident: str | None = None
    probe: str = CENTRAL_PROBE
    uptime_24h: float | None = None
    sla_month: float | None = None
    p95_hour: float | None = None
    spark: tuple = ()

    @property
    def rank(self) -> int:
        return RANK.get(self.state, 4)

    def sparkline(self) -> str:
        """The last response times as block characters, scaled to their own range; a gap for a failure."""
        values = [v for v in self.spark if v is not None]
        if not values:
            return ""
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        return "".join(" " if v is None else SPARK_BARS[min(7, int((v - low) / span * 7.999))] for v in self.spark)


@dataclass(frozen=True)
class ProbeStatus:
    id: str
    state: str = "online"
    since: datetime | None = None
    reason: str = ""
    name: str = ""


@dataclass(frozen=True)
class ItStatus:
    services: dict[str, ServiceStatus] = field(default_factory=dict)
    probes: dict[str, ProbeStatus] = field(default_factory=dict)

    def offline_probes(self) -> list[ProbeStatus]:
        return [p for p in self.probes.values() if p.state == "offline"]

    def counts(self) -> dict[str, int]:
        out = {"up": 0, "degraded": 0, "down": 0, "unknown": 0}
        for s in self.services.values():
            key = s.state if s.state in out else "unknown"
            out[key] += 1
        return out


def probe_ids(config: Config) -> list[str]:
    return [CENTRAL_PROBE, *config.monitors.probes]


def it_status_keys(config: Config) -> list[str]:
    """The hashes to read: states, wall figures, then one per probe (nothing when no OPD is monitored)."""
    if not config.monitors.opds:
        return []
    return [monitor_state(), monitor_summary(), *(monitor_probe(p) for p in probe_ids(config))]


def read_it_status(config: Config, replies: list) -> ItStatus | None:
    """The ItStatus from the replies of `it_status_keys`, in config's order of OPDs and services."""
    if not replies:
        return None
    states = {as_text(k): as_text(v) for k, v in (replies[0] or {}).items()}
    figures = {as_text(k): as_text(v) for k, v in (replies[1] or {}).items()}
    probes = {}
    now = utc_now()
    for pid, fields in zip(probe_ids(config), replies[2:]):
        f = {as_text(k): as_text(v) for k, v in (fields or {}).items()}
        probe = ProbeStatus(pid, f.get("state") or "online", _when(f.get("since")), f.get("reason", ""),
                            f.get("name") or pid)
        seen = _when(f.get("seen"))
        if pid == CENTRAL_PROBE and seen is not None and (now - seen).total_seconds() > CENTRAL_SILENT_S:
            probe = ProbeStatus(pid, "offline", seen, "monitor tidak berjalan", probe.name)
        probes[pid] = probe
    services = {}
    for sid, (opd, svc) in config.monitors.services().items():
        try:
            st = json.loads(states[sid]) if sid in states else {}
            fig = json.loads(figures[sid]) if sid in figures else {}
        except ValueError:
            st, fig = {}, {}
        state = st.get("state") or "pending"
        probe = probes.get(svc.probe)
        if probe is not None and probe.state == "offline":
            state = "offline"
        services[sid] = ServiceStatus(
            sid, opd, svc.name, state, _when(st.get("since")), st.get("reason") or "", st.get("ms"),
            _when(st.get("at")), _when(st.get("cert_expires")), st.get("suppressed_by"), st.get("incident"),
            svc.probe, (fig.get("uptime") or {}).get("24h"), fig.get("sla_month"), (fig.get("hour") or {}).get("p95"),
            tuple(fig.get("spark") or ()))
    return ItStatus(services, probes)
