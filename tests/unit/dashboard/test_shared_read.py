"""However many screens are open, what they show beside the hub's snapshot is read once per change."""

from __future__ import annotations

import asyncio

import redis

from dashboard.live import shared_read
from dashboard.live.channels import ALERTS_CHANNEL, APPS
from dashboard.live.shared_read import SharedReads
from dashboard.live.signal import Signal


class Channels:
    """The hub's side of a shared read: named channels whose versions move when their data changes."""

    def __init__(self):
        self.signals: dict[str, Signal] = {}

    def channel(self, name: str) -> Signal:
        return self.signals.setdefault(name, Signal())


class Store:
    """What the read asks: a value that changes when told, a count of reads, an outage when told."""

    def __init__(self):
        self.value, self.reads, self.down = 1, 0, False

    def read(self) -> int:
        self.reads += 1
        if self.down:
            raise redis.ConnectionError("Redis is away")
        return self.value


def summary_of(hub: Channels, store: Store):
    return SharedReads(hub).of(("summary", "36"), (APPS, ALERTS_CHANNEL), store.read)


def test_screens_opened_together_share_one_read_until_a_channel_moves():
    hub, store = Channels(), Store()
    read = summary_of(hub, store)

    async def run():
        together = await asyncio.gather(*(read.get() for _ in range(20)))
        assert together == [1] * 20 and store.reads == 1
        assert await read.get() == 1 and store.reads == 1  # nothing moved: no new read

        store.value = 2
        assert await read.get() == 1 and store.reads == 1  # not announced yet: the kept value
        hub.channel(ALERTS_CHANNEL).bump()
        assert await asyncio.gather(*(read.get() for _ in range(20))) == [2] * 20 and store.reads == 2

    asyncio.run(run())


def test_a_change_nobody_announced_shows_within_the_maximum_age(monkeypatch):
    hub, store = Channels(), Store()
    read = summary_of(hub, store)
    monkeypatch.setattr(shared_read, "MAX_AGE_S", 0.2)

    async def run():
        assert await read.get() == 1
        store.value = 3  # a hand edit: no stream entry, no channel moves
        await asyncio.sleep(0.25)
        assert await read.get() == 3 and store.reads == 2

    asyncio.run(run())


def test_while_redis_is_away_screens_keep_the_last_value_and_it_is_tried_once_a_second(monkeypatch):
    hub, store = Channels(), Store()
    read = summary_of(hub, store)
    monkeypatch.setattr(shared_read, "RETRY_S", 0.2)

    async def run():
        assert await read.get() == 1
        store.down, store.value = True, 4
        hub.channel(APPS).bump()
        assert [await read.get() for _ in range(5)] == [1] * 5
        assert store.reads == 2  # one failed try, not one per screen
        store.down = False
        await asyncio.sleep(0.25)
        assert await read.get() == 4 and store.reads == 3

    asyncio.run(run())
