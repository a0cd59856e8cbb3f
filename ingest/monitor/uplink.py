"""The probe's own network: whether any of its uplink targets answers. A failed check only counts
against a service while the uplink is up; with the uplink down the probe is offline, not the services."""

from __future__ import annotations

import asyncio

from core.clock import monotonic
from ingest.monitor.checks.tcp import connect

FRESH_S = 2.0    # a verdict this recent is reused (many checks fail together when the link is cut)
TIMEOUT_S = 2.0


class Uplink:
    def __init__(self, targets: list[str]):
        self.targets = list(targets)
        self.up = True
        self.reason = ""
        self._checked = -1e9
        self._lock = asyncio.Lock()

    async def reachable(self) -> bool:
        """Whether the probe's network is up now (always, when no uplink is configured)."""
        if not self.targets:
            return True
        async with self._lock:
            if monotonic() - self._checked < FRESH_S:
                return self.up
            results = await asyncio.gather(*(connect(t, TIMEOUT_S) for t in self.targets), return_exceptions=True)
            self.up = any(not isinstance(r, BaseException) for r in results)
            self.reason = "" if self.up else f"uplink {', '.join(self.targets)} tidak terjangkau"
            self._checked = monotonic()
            return self.up
