"""Keeping one feed's health in Redis; logging and alerting on state transitions only.

Several ingest processes take the same webhook feed (haproxy spreads the pushes), so the health hash is
the one account of the feed: counters grow with HINCRBY, the last success only moves forward, and the
state a push leaves is compared with the one stored, not with this process's own memory. Every
process's /healthz then reports the same totals, and a restart loses none of them.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import redis.asyncio

from core.health import FeedHealth, FeedState
from core.streams import ALERTS, HEALTH_EVENTS, as_text, feed_health, to_iso, utc_now

log = logging.getLogger("ingest.health")

_EVENTS_KEEP = 10_000

# Add to the counters, move last_success forward only (ISO times with milliseconds and a Z sort as
# text), set the other fields; answer the state before and the whole hash after, in one round trip.
_RECORD = """
local previous = redis.call('HGET', KEYS[1], 'state') or 'starting'
redis.call('HINCRBY', KEYS[1], 'records_in', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'records_rejected', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'duplicates', ARGV[3])
if ARGV[4] ~= '' then
  local stored = redis.call('HGET', KEYS[1], 'last_success')
  if not stored or stored < ARGV[4] then
    redis.call('HSET', KEYS[1], 'last_success', ARGV[4])
  end
end
if ARGV[5] ~= '' then
  redis.call('HSETNX', KEYS[1], 'state', ARGV[5])
end
for i = 6, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
return {previous, redis.call('HGETALL', KEYS[1])}
"""

# Turn stale only if no success arrived since the reader judged it (another process may have taken a
# push meanwhile) and the feed is not failing; answer whether it turned.
_GO_STALE = """
local state = redis.call('HGET', KEYS[1], 'state') or 'starting'
local last = redis.call('HGET', KEYS[1], 'last_success') or ''
if last ~= ARGV[1] or state == 'stale' or state == 'error' then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'stale')
return 1
"""


class HealthTracker:
    """The health of one feed as all ingest processes keep it together; `health` is the shared hash as
    this process last wrote or read it."""

    def __init__(self, client: redis.asyncio.Redis, feed_id: str, title: str, stale_after: float):
        self.client = client
        self.title = title
        self.health = FeedHealth(feed_id=feed_id, stale_after=stale_after, updated=utc_now())
        self._record = client.register_script(_RECORD)
        self._go_stale = client.register_script(_GO_STALE)

    @property
    def key(self) -> str:
        return feed_health(self.health.feed_id)

    async def start(self) -> None:
        """Say the feed is there (starting, unless a state is stored); counters carry over as they are."""
        await self._apply(initial_state="starting", updated=to_iso(utc_now()))

    async def read(self) -> FeedHealth:
        """The shared health as stored now; this process's own when nothing is stored yet."""
        fields = await self.client.hgetall(self.key)
        if fields:
            self.health = FeedHealth.decode(fields)
        return self.health

    async def success(self, accepted: int, rejected: int, duplicates: int, lag_s: float | None) -> None:
        now = to_iso(utc_now())
        fields = {"state": "ok", "updated": now}
        if lag_s is not None:
            fields["lag_s"] = str(lag_s)
        previous = await self._apply(accepted, rejected, duplicates, last_success=now, **fields)
        await self._transition(previous, "ok")

    async def failure(self, error: str, rejected: int = 0) -> None:
        now = to_iso(utc_now())
        previous = await self._apply(rejected=rejected, state="error", last_error=error[:500],
                                     last_error_at=now, updated=now)
        await self._transition(previous, "error", error)

    async def rejected(self, count: int) -> None:
        """Count inputs refused without changing the feed's state (one sender's bad push)."""
        await self._apply(rejected=count, updated=to_iso(utc_now()))

    async def check_stale(self) -> None:
        """Turn stale when no success came within stale_after (a silent webhook, a hung source); the
        stored last success counts, whichever process took it."""
        seen = await self.read()
        if seen.judged().state != "stale" or seen.state in ("stale", "error"):
            return
        last = to_iso(seen.last_success) if seen.last_success else ""
        if await self._go_stale(keys=[self.key], args=[last]):
            self.health = replace(seen, state="stale")
            await self._announce(seen.state, "stale", f"no data for {seen.stale_after:.0f} s")

    async def _apply(self, accepted: int = 0, rejected: int = 0, duplicates: int = 0, last_success: str = "",
                     initial_state: str = "", **fields: str) -> FeedState:
        """One change to the shared hash; the state it held before."""
        h = self.health
        fields = {"feed_id": h.feed_id, "stale_after": str(h.stale_after), **fields}
        args = [accepted, rejected, duplicates, last_success, initial_state]
        for name, value in fields.items():
            args += [name, value]
        previous, flat = await self._record(keys=[self.key], args=args)
        self.health = FeedHealth.decode(dict(zip(flat[::2], flat[1::2], strict=True)))
        return as_text(previous)  # type: ignore[return-value]

    async def _transition(self, previous: FeedState, state: FeedState, reason: str = "") -> None:
        if state != previous:
            await self._announce(previous, state, reason)

    async def _announce(self, previous: FeedState, state: FeedState, reason: str) -> None:
        feed, now = self.health.feed_id, to_iso(utc_now())
        await self.client.xadd(HEALTH_EVENTS,
                               {"feed": feed, "from": previous, "to": state, "reason": reason, "at": now},
                               maxlen=_EVENTS_KEEP, approximate=True)
        if state == "ok":
            if previous in ("error", "stale"):
                log.info("feed %s recovered", feed)
                await self._alert("info", f"{self.title}: pulih, data kembali mengalir")
            return
        log.warning("feed %s is %s: %s", feed, state, reason)
        what = "gagal mengambil data" if state == "error" else "tidak mengirim data"
        await self._alert("warning", f"{self.title}: {what} ({reason})")

    async def _alert(self, severity: str, message: str) -> None:
        await self.client.xadd(ALERTS, {"severity": severity, "message": message, "source": self.health.feed_id,
                                        "kind": "feed", "at": to_iso(utc_now())},
                               maxlen=_EVENTS_KEEP, approximate=True)
