"""A service's state from its checks: PENDING until the first verdict, UP, DEGRADED (slow, or failures
among its recent checks), DOWN after `down_after` failures in a row, UP again after `up_after` good ones."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from core.monitors import ServiceCheck
from ingest.monitor.result import CheckResult

State = Literal["pending", "up", "degraded", "down", "unknown"]
RECENT = 10  # checks remembered for "partly failing"


@dataclass(frozen=True)
class Change:
    service: str
    old: State
    new: State
    at: datetime
    reason: str


class Tracker:
    """One service's counters and state; `apply` returns the change a result caused, if any."""

    def __init__(self, service_id: str, svc: ServiceCheck, state: State = "pending", since: datetime | None = None):
        self.service_id, self.svc = service_id, svc
        self.state: State = state
        self.since = since
        self.fails = 0
        self.goods = 0
        self.recent: deque[bool] = deque(maxlen=RECENT)
        self.last: CheckResult | None = None
        self.reason = ""

    def _verdict(self, result: CheckResult) -> tuple[State, str]:
        svc = self.svc
        if not result.ok:
            if self.fails >= svc.down_after:
                return "down", result.reason
            if self.state in ("up", "degraded"):
                return "degraded", f"gagal sebagian: {result.reason}"
            return self.state, self.reason
        if self.state in ("down", "pending", "unknown") and self.goods < (svc.up_after if self.state == "down" else 1):
            return self.state, self.reason
        if svc.degraded_ms and result.ms is not None and result.ms > svc.degraded_ms:
            return "degraded", f"lambat: {result.ms:.0f} ms (batas {svc.degraded_ms:.0f} ms)"
        failed = sum(1 for ok in self.recent if not ok)
        if failed and self.state != "down":
            return "degraded", f"gagal sebagian: {failed} dari {len(self.recent)} pemeriksaan terakhir"
        return "up", ""

    def apply(self, result: CheckResult) -> Change | None:
        if result.ok:
            self.goods, self.fails = self.goods + 1, 0
        else:
            self.fails, self.goods = self.fails + 1, 0
        was_down = self.state == "down"
        self.recent.append(result.ok)
        if was_down and result.ok and self.goods >= self.svc.up_after:
            self.recent.clear()  # back up: earlier failures belong to the outage, not to "partly failing"
            self.recent.append(True)
        self.last = result
        new, reason = self._verdict(result)
        self.reason = reason
        if new == self.state:
            return None
        change = Change(self.service_id, self.state, new, result.at, reason)
        self.state, self.since = new, result.at
        return change

    def mark_unknown(self, at: datetime, reason: str) -> Change | None:
        """The probe cannot see (its own network is down): no verdict, counters start again."""
        self.fails = self.goods = 0
        if self.state == "unknown":
            return None
        change = Change(self.service_id, self.state, "unknown", at, reason)
        self.state, self.since, self.reason = "unknown", at, reason
        return change
