"""One asyncio task per configured feed; a task that fails is restarted with backoff.

Several ingest processes on one Redis share the feeds (core/roster.py): each feed is polled and judged
stale by exactly one of them, the feeds spread over the processes alive, and a dead process's feeds
are taken over within `ingest.hold`."""

from __future__ import annotations

import asyncio
import logging
import socket

import aiohttp
import redis.asyncio

from core.config import Config
from core.roster import INGEST, Share
from ingest.feeds import registry
from ingest.feeds.base import FeedKind, FetchError, PollingFeed
from ingest.health import HealthTracker
from ingest.intake import Intake
from ingest.records import RecordBuilder
from ingest.writer import StreamWriter

log = logging.getLogger("ingest.supervisor")

STALE_CHECK_EVERY = 5.0


def worker_name(config: Config) -> str:
    """This process's name among the ingest processes: configured, or host and ingest port (the same after
    a restart, so a restarted process takes its own feeds back at once)."""
    return config.ingest.worker or f"{socket.gethostname()}:{config.ingest.port}"


def backoff(failures: int, base: float, ceiling: float) -> float:
    """Seconds to wait after the n-th failure in a row: doubling from base, capped."""
    return min(ceiling, base * (2 ** max(0, failures - 1)))


class Supervisor:
    """Builds every feed from config and keeps its task running."""

    def __init__(self, config: Config, client: redis.asyncio.Redis):
        self.config = config
        self.client = client
        writer = StreamWriter(client, config)
        kinds = registry()
        self.feeds: dict[str, FeedKind] = {}
        self.health: dict[str, HealthTracker] = {}
        for feed_id, feed in config.feeds.items():
            tracker = HealthTracker(client, feed_id, feed.title or feed_id, float(feed.stale_after))
            intake = Intake(feed_id, RecordBuilder(feed_id, feed), writer, tracker)
            self.feeds[feed_id] = kinds[feed.kind](feed_id, feed, intake)
            self.health[feed_id] = tracker
        self.share = Share(client, INGEST, worker_name(config), list(self.feeds), float(config.ingest.hold),
                           address=f"{config.ingest.host}:{config.ingest.port}")

    @property
    def held(self) -> set[str]:
        """The feeds this process polls and judges now."""
        return self.share.held

    async def run(self, stop: asyncio.Event) -> None:
        """Run this process's share of the feeds until `stop` is set."""
        polling: dict[str, asyncio.Task] = {}
        async with aiohttp.ClientSession() as session:
            stale = asyncio.create_task(self._watch_stale(stop), name="stale-check")
            try:
                while not stop.is_set():
                    held = await self.share.look()
                    for feed_id in set(polling) - held:  # moved to another process: stop polling it
                        polling.pop(feed_id).cancel()
                    for feed_id in sorted(held - set(polling)):
                        if isinstance(self.feeds[feed_id], PollingFeed):
                            polling[feed_id] = asyncio.create_task(self._keep_running(feed_id, session, stop),
                                                                   name=f"feed:{feed_id}")
                    await _sleep_or_stop(stop, self.share.renew_every)
            finally:
                for task in [*polling.values(), stale]:
                    task.cancel()
                await asyncio.gather(*polling.values(), stale, return_exceptions=True)
                await self.share.leave()

    async def _keep_running(self, feed_id: str, session: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        """Restart a feed's poll loop after a crash (a bug, Redis gone) with backoff."""
        crashes = 0
        while not stop.is_set():
            try:
                await self.health[feed_id].start()
                crashes = 0
                await self._poll(self.feeds[feed_id], session, stop)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - any fault must not end the feed for good
                crashes += 1
                delay = backoff(crashes, 1.0, self.config.ingest.max_backoff)
                if crashes == 1:
                    log.error("feed %s crashed (%s: %s); restarting with backoff", feed_id, type(exc).__name__, exc)
                await _sleep_or_stop(stop, delay)

    async def _poll(self, feed: PollingFeed, session: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        failures = 0
        while not stop.is_set():
            failures = 0 if await self.poll_once(feed, session) else failures + 1
            # A failing source is retried soon (1 s, doubling), never later than its usual interval.
            delay = min(feed.interval, backoff(failures, 1.0, self.config.ingest.max_backoff)) \
                if failures else feed.interval
            await _sleep_or_stop(stop, delay)

    async def poll_once(self, feed: PollingFeed, session: aiohttp.ClientSession) -> bool:
        """Fetch, parse and store one poll of a feed; False when the source or its payload failed."""
        try:
            raw = await feed.fetch(session)
        except FetchError as exc:
            await feed.intake.health.failure(str(exc))
            return False
        try:
            # Parsing is CPU work (an Excel workbook takes seconds): off the event loop, so
            # webhooks and the other feeds go on meanwhile.
            rows = await asyncio.to_thread(feed.parse, raw)
        except ValueError as exc:
            await feed.intake.reject_payload(str(exc), raw)
            return False
        await feed.intake.take(rows)
        await feed.taken(rows)
        return True

    async def _watch_stale(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            for feed_id in sorted(self.held):
                tracker = self.health[feed_id]
                try:
                    await tracker.check_stale()
                except redis.RedisError:
                    pass  # Redis is down: each feed task reports and retries on its own
            await _sleep_or_stop(stop, STALE_CHECK_EVERY)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
