"""Which ingest process polls a feed: a hold in Redis that its holder renews and that lapses when it dies.

Several ingest processes may run against one Redis (on several hosts, behind one load balancer for the
webhooks). Each polled feed must be fetched by exactly one of them, or a source would be asked twice as
often and a feed's health would be written by two processes at once. The hold is a key with an expiry:
taken with SET NX, renewed by its holder well before it lapses, and taken over by another process
once its holder stopped renewing (killed, its host gone, cut off from Redis).
"""

from __future__ import annotations

import asyncio
import logging
import socket

import redis.asyncio

from core.config import Config
from core.streams import feed_holder

log = logging.getLogger("ingest.feed_hold")

# Renew three times per hold: one late renewal (a busy event loop, a Redis failover) does not lose it.
RENEWALS_PER_HOLD = 3

# Take the hold, or renew it when this worker holds it already: one round trip, no race between the two.
_TAKE = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""
# Give the hold back at a clean stop, only if it is still ours.
_GIVE_BACK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def worker_name(config: Config) -> str:
    """This process's name among the ingest processes: configured, or host and ingest port."""
    return config.ingest.worker or f"{socket.gethostname()}:{config.ingest.port}"


class FeedHold:
    """One feed's hold as seen by one worker."""

    def __init__(self, client: redis.asyncio.Redis, feed_id: str, worker: str, hold_s: float):
        self.client = client
        self.feed_id = feed_id
        self.worker = worker
        self.hold_ms = max(1, int(hold_s * 1000))

    @property
    def renew_every(self) -> float:
        return self.hold_ms / 1000 / RENEWALS_PER_HOLD

    async def take(self) -> bool:
        """True when this worker holds the feed now (taken, or renewed)."""
        return bool(await self.client.eval(_TAKE, 1, feed_holder(self.feed_id), self.worker, self.hold_ms))

    async def give_back(self) -> None:
        await self.client.eval(_GIVE_BACK, 1, feed_holder(self.feed_id), self.worker)

    async def holder(self) -> str | None:
        value = await self.client.get(feed_holder(self.feed_id))
        return value.decode() if isinstance(value, bytes) else value


async def held_while(hold: FeedHold, stop: asyncio.Event) -> None:
    """Return once the hold is lost (another worker has it) or `stop` is set; renew it meanwhile.

    Redis errors while renewing are not a loss by themselves: the hold lapses on its own if Redis is
    gone for longer than the hold, and the next renewal tells."""
    while not stop.is_set():
        try:
            if not await hold.take():
                log.warning("feed %s: taken over by %s", hold.feed_id, await hold.holder())
                return
        except redis.RedisError:
            pass
        try:
            await asyncio.wait_for(stop.wait(), timeout=hold.renew_every)
        except TimeoutError:
            pass


async def wait_to_hold(hold: FeedHold, stop: asyncio.Event) -> bool:
    """Wait until this worker holds the feed (True) or `stop` is set (False)."""
    announced = False
    while not stop.is_set():
        try:
            if await hold.take():
                if announced:
                    log.info("feed %s: taken over by this worker (%s)", hold.feed_id, hold.worker)
                return True
            if not announced:
                log.info("feed %s: polled by %s; this worker stands by", hold.feed_id, await hold.holder())
                announced = True
        except redis.RedisError:
            pass
        try:
            await asyncio.wait_for(stop.wait(), timeout=hold.renew_every)
        except TimeoutError:
            pass
    return False


