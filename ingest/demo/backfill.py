"""The demo's past: days of simulated agency activity replayed through the real ingest path.

On a fresh store, the simulated agencies live through the last DAYS days at a real pace (pace.py)
while the project's clock is set to each moment in turn: the configured feeds poll them over
HTTP, e-Pormas pushes to the ingest webhook, records land in the feed streams with their past
event times, and the derive processors (headline figures, every application's figures, alerts,
the daily series) process each stretch at its own time. Nothing is written into a derived key
directly, so a recount from the streams gives what the screens show, and the trends, "dari
kemarin" and the analyst page have a past from the first minute. Afterwards the same services go
on live.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import aiohttp
import redis.asyncio
from aiohttp import web

from core import clock
from core.clock import WIB
from core.config import Config
from core.streams import DEMO_HISTORY, DERIVE_GROUP, FIGURES_GROUP, feed_stream, to_iso
from ingest.demo.clock import service_rng
from ingest.demo.pace import Pace
from ingest.demo.service import DemoService
from ingest.derive.figures_processor import CONSUMER as FIGURES_CONSUMER
from ingest.derive.figures_processor import FiguresProcessor
from ingest.derive.groups import drain
from ingest.derive.headline import CONSUMER as HEADLINE_CONSUMER
from ingest.derive.headline import HeadlineProcessor
from ingest.feeds.base import PollingFeed
from ingest.http_api import create_api
from ingest.supervisor import Supervisor

log = logging.getLogger("ingest.demo.history")

# The feeds poll and derive runs once per stretch: a day, just before its midnight, so each day's last
# look is its own (a full listing each poll is what costs: once a day keeps 90 days well within a
# minute). Pushed complaints keep their own times whatever the stretch.
STRETCH = timedelta(hours=24)


class HistoryRefused(RuntimeError):
    """The store cannot take a history (it already holds records, or ingest is running)."""


@dataclass
class History:
    days: int
    start: datetime
    end: datetime
    records: int


async def has_history(client: redis.asyncio.Redis) -> bool:
    """Whether a history was replayed into this store already."""
    return bool(await client.exists(DEMO_HISTORY))


def history_start(days: int) -> datetime:
    """Midnight WIB `days` days before today: where a history of that many days begins."""
    if days < 1:
        raise HistoryRefused("a history needs at least one day")
    return datetime.combine(clock.wib_today() - timedelta(days=days), time(0), tzinfo=WIB)


async def check_empty(config: Config, client: redis.asyncio.Redis) -> None:
    """Refuse a store that holds feed records already: a history goes before them, never among them."""
    held = [f for f in config.feeds if await client.xlen(feed_stream(f))]
    if held:
        raise HistoryRefused(f"the store already holds records ({', '.join(held[:3])}...): a history goes "
                             "into an empty store only (stop the command center, move var/redis away)")


async def replay(config: Config, client: redis.asyncio.Redis, services: dict[str, DemoService],
                 end: datetime, advance: Callable[[timedelta], None], say=log.info) -> History:
    """Live from the clock's moment (set by `clock.frozen`, where the services were built) until `end`.

    The services listen on their configured ports; the ingest webhook is served here on the
    ingest port, so `run.py ingest` must not be running.
    """
    await check_empty(config, client)
    start = clock.utc_now()
    days = (end.astimezone(WIB).date() - start.astimezone(WIB).date()).days
    supervisor = Supervisor(config, client)
    api = web.AppRunner(create_api(supervisor, client, ""), access_log=None)
    await api.setup()
    try:
        await web.TCPSite(api, config.ingest.host, config.ingest.port).start()
    except OSError as exc:
        await api.cleanup()
        raise HistoryRefused(f"the ingest port {config.ingest.port} is in use: stop `run.py ingest` and "
                             f"`run.py derive` before replaying a history ({exc.strerror})") from None
    pormas = services["e-pormas"]
    stop_sender = asyncio.Event()
    sender = asyncio.create_task(pormas.sender.run(stop_sender)) if getattr(pormas, "sender", None) else None
    polled = [f for f in supervisor.feeds.values() if isinstance(f, PollingFeed)]
    figures, headline = FiguresProcessor(config, client), HeadlineProcessor(config, client)
    pace = Pace(services, service_rng("history"))
    started = clock.monotonic()
    try:
        await figures.start()
        await headline.start()
        async with aiohttp.ClientSession() as session:
            moment, day_shown = start, None
            while moment < end:
                until = min(moment + STRETCH, end)
                # Poll and derive one second before the stretch ends, so a day's last look is its own.
                at = until - timedelta(seconds=1)
                advance(at - clock.utc_now())
                pace.move(moment, at)
                await _delivered(pormas)
                for feed in polled:
                    await supervisor.poll_once(feed, session)
                await _derive(client, figures, headline)
                await figures.sweep()
                await headline.sweep_windows()
                advance(until - clock.utc_now())
                moment = until
                shown = (moment.astimezone(WIB).date() - start.astimezone(WIB).date()).days
                if shown % 10 == 0 and shown != day_shown:
                    day_shown = shown
                    say(f"history: day {shown}/{days} ({at.astimezone(WIB):%Y-%m-%d}) after "
                        f"{clock.monotonic() - started:.0f} s")
        records = sum([await client.xlen(feed_stream(f)) for f in config.feeds])
        history = History(days, start, end, records)
        await client.hset(DEMO_HISTORY, mapping={"days": days, "start": to_iso(start), "end": to_iso(end),
                                                  "records": records, "replayed_at": to_iso(clock.utc_now())})
        say(f"history: {days} days, {records} records through ingest and derive in "
            f"{clock.monotonic() - started:.0f} s")
        return history
    finally:
        stop_sender.set()
        if sender:
            await asyncio.gather(sender, return_exceptions=True)
        await api.cleanup()


async def _delivered(pormas: DemoService, timeout: float = 30.0) -> None:
    """Wait until e-Pormas has pushed every queued complaint to the webhook."""
    sender = getattr(pormas, "sender", None)
    deadline = clock.monotonic() + timeout
    while sender and sender.outbox:
        if clock.monotonic() > deadline:
            raise HistoryRefused(f"the ingest webhook took no complaints for {timeout:.0f} s")
        await asyncio.sleep(0.005)


async def _derive(client: redis.asyncio.Redis, figures: FiguresProcessor, headline: HeadlineProcessor) -> None:
    """Both derive processors take every new entry, at the clock's (past) time."""
    while await drain(client, FIGURES_GROUP, FIGURES_CONSUMER, figures.streams, figures.process, pending=False):
        pass
    streams = [feed_stream(f) for f in headline.by_feed]
    while await drain(client, DERIVE_GROUP, HEADLINE_CONSUMER, streams, headline.process, pending=False):
        pass
