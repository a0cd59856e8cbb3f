"""Keeping one feed's health in Redis; logging and alerting on state transitions only."""

from __future__ import annotations

import logging
from dataclasses import replace

import redis.asyncio

from core.health import FeedHealth, FeedState
from core.streams import ALERTS, HEALTH_EVENTS, feed_health, from_iso, to_iso, utc_now

log = logging.getLogger("ingest.health")

_EVENTS_KEEP = 10_000


class HealthTracker:
    """The running health of one feed: counters, last success/error, and its state."""

    def __init__(self, client: redis.asyncio.Redis, feed_id: str, title: str, stale_after: float):
        self.client = client
        self.title = title
        self.health = FeedHealth(feed_id=feed_id, stale_after=stale_after, updated=utc_now())

    async def start(self) -> None:
        """Carry counters over from the previous run, so a restart does not reset them."""
        previous = await self.client.hgetall(feed_health(self.health.feed_id))
        if previous:
            old = FeedHealth.decode(previous)
            self.health = replace(self.health, records_in=old.records_in, records_rejected=old.records_rejected,
                                  duplicates=old.duplicates, last_success=old.last_success)
        await self._write()

    async def success(self, accepted: int, rejected: int, duplicates: int, lag_s: float | None) -> None:
        h = self.health
        self.health = replace(
            h, last_success=utc_now(), updated=utc_now(), records_in=h.records_in + accepted,
            records_rejected=h.records_rejected + rejected, duplicates=h.duplicates + duplicates,
            lag_s=lag_s if lag_s is not None else h.lag_s,
        )
        await self._enter("ok")

    async def failure(self, error: str, rejected: int = 0) -> None:
        h = self.health
        self.health = replace(h, last_error=error[:500], last_error_at=utc_now(), updated=utc_now(),
                              records_rejected=h.records_rejected + rejected)
        await self._enter("error", error)

    async def rejected(self, count: int) -> None:
        """Count inputs refused without changing the feed's state (one sender's bad push)."""
        self.health = replace(self.health, records_rejected=self.health.records_rejected + count, updated=utc_now())
        await self._write()

    async def check_stale(self) -> None:
        """Turn stale when no success came within stale_after (a silent webhook, a hung source).

        The last success is read back first: with several ingest processes, a webhook's push may have
        reached another one."""
        stored = await self.client.hget(feed_health(self.health.feed_id), "last_success")
        if stored:
            theirs = from_iso(stored.decode() if isinstance(stored, bytes) else stored)
            if self.health.last_success is None or theirs > self.health.last_success:
                self.health = replace(self.health, last_success=theirs)
        judged = self.health.judged()
        if judged.state == "stale" and self.health.state != "stale":
            await self._enter("stale", f"no data for {self.health.stale_after:.0f} s")

    async def _enter(self, state: FeedState, reason: str = "") -> None:
        previous = self.health.state
        self.health = replace(self.health, state=state)
        await self._write()
        if state == previous:
            return
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

    async def _write(self) -> None:
        await self.client.hset(feed_health(self.health.feed_id), mapping=self.health.encode())
