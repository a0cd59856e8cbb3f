"""What several open pages show from Redis besides the hub's snapshot (the province summary of a
region), read again when a hub channel says it changed: however many pages are open, one read per
change. A writer that changes the data without a stream entry (a hand edit, a repair script) still
shows within MAX_AGE_S: an open page asks every second, and a value that old is read again.

    reads = SharedReads(hub)
    read = reads.of(("summary", region), (APPS, ALERTS_CHANNEL), lambda: summary.read(client, region))
    data = await read.get()          # the last value, read again if its channels moved
    await read.wait(version, 1.0)    # until they move again (or the timeout)
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Hashable
from typing import Any

from core.redis import REDIS_ERRORS
from dashboard.figures import province_summary as summary
from dashboard.live.channels import ALERTS_CHANNEL, APPS
from dashboard.live.signal import first_of

log = logging.getLogger("dashboard.live.shared_read")

RETRY_S = 1.0  # while Redis cannot be read, at most one try a second (pages keep the last value)
MAX_AGE_S = 2.0  # read again at least this often while pages ask, whatever the channels say


class SharedRead:
    """One value read with a sync client in a worker thread, kept until its channels move."""

    def __init__(self, hub, channels: tuple[str, ...], read: Callable[[], Any]):
        self.hub = hub
        self.channels = channels
        self.read = read
        self.value: Any = None
        self._read_at: tuple[int, ...] | None = None
        self._read_when = 0.0
        self._failed_at = -RETRY_S
        self._reading: asyncio.Future | None = None

    def version(self) -> tuple[int, ...]:
        return tuple(self.hub.channel(c).version for c in self.channels)

    async def get(self) -> Any:
        """The value as of the channels' current versions; the last one while Redis cannot be read."""
        version, now = self.version(), time.monotonic()
        fresh = version == self._read_at and now - self._read_when < MAX_AGE_S
        if fresh or now - self._failed_at < RETRY_S:
            return self.value
        if self._reading is None or self._reading.done():  # pages woken together share one read
            self._reading = asyncio.ensure_future(self._read(version))
        await asyncio.shield(self._reading)
        return self.value

    async def _read(self, version: tuple[int, ...]) -> None:
        try:
            self.value = await asyncio.to_thread(self.read)
        except REDIS_ERRORS as exc:
            if self._failed_at < 0:
                log.warning("reading for the open pages failed: %s; they keep the last data", exc)
            self._failed_at = time.monotonic()
            return
        self._failed_at = -RETRY_S
        self._read_at, self._read_when = version, time.monotonic()

    async def wait(self, version: tuple[int, ...], timeout: float) -> None:
        """Return when a channel moved past `version`, or after `timeout` seconds."""
        signals = [self.hub.channel(c) for c in self.channels]
        await first_of([s.wait(v, timeout) for s, v in zip(signals, version, strict=True)], timeout + 0.05)


class SharedReads:
    """The shared reads of this process, by key."""

    def __init__(self, hub):
        self.hub = hub
        self._reads: dict[Hashable, SharedRead] = {}

    def of(self, key: Hashable, channels: tuple[str, ...], read: Callable[[], Any]) -> SharedRead:
        found = self._reads.get(key)
        if found is None:
            found = self._reads[key] = SharedRead(self.hub, channels, read)
        return found


def province_summary(reads: SharedReads, client, region: str) -> SharedRead:
    """The province summary of `region` (every application's figures, its trends, the active alerts),
    read again when an application's figures or the alerts change: the governor's screen, the meeting room."""
    return reads.of(("summary", region), (APPS, ALERTS_CHANNEL), lambda: summary.read(client, region))
