"""Several ingest processes on one Redis: each polled feed is fetched by exactly one of them, and another
takes it over when that one is killed, without a restart or a touch.

The first worker is a real process killed with SIGKILL (it cannot give its hold back); the second runs in
the test. The simulated agency counts who asks: real HTTP, real Redis."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys

from core.config import parse_config
from core.redis import connect_async, free_port
from core.roster import INGEST, holder, owner
from core.streams import Record, feed_stream
from ingest.supervisor import Supervisor
from tests.support.paths import ROOT
from tests.support.price_panel import PricePanel

HOLD_S = 1.5

CHILD = """
import asyncio, json, sys
from core.config import parse_config
from core.redis import connect_async
from ingest.supervisor import Supervisor
config = parse_config(json.loads(sys.argv[1]))
async def main():
    await Supervisor(config, connect_async(sys.argv[2])).run(asyncio.Event())
asyncio.run(main())
"""


def settings(agency_port: int, worker: str) -> dict:
    return {
        "ingest": {"port": free_port(), "worker": worker, "hold": HOLD_S},
        "feeds": {"panel_harga": {
            "kind": "http_json", "application": "e-disikap", "title": "Panel harga",
            "url": f"http://127.0.0.1:{agency_port}/api/panel-harga", "records": "data", "interval": 0.1,
            "stale_after": 60, "source_id": "{city_id}-{commodity_id}-{date}", "region": "city_id",
            "event_time": "date", "fields": {"rata_rata_geometrik": "number"},
        }},
    }


async def until(predicate, timeout: float = 10.0) -> float:
    """Seconds until the predicate held; fails after `timeout`."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while not await predicate():
        assert loop.time() - started < timeout, "condition not reached in time"
        await asyncio.sleep(0.05)
    return loop.time() - started


async def test_each_feed_is_polled_by_one_worker_and_taken_over_when_it_is_killed(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    async with PricePanel() as agency:
        first = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(settings(agency.port, "ingest-a")),
                                  redis_url], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        stop = asyncio.Event()
        second = Supervisor(parse_config(settings(agency.port, "ingest-b")), client)
        task = None
        try:
            async def held_by(worker):
                return await holder(client, INGEST, "panel_harga") == worker

            await until(lambda: held_by("ingest-a"))
            task = asyncio.create_task(second.run(stop))
            await until(lambda: _xlen_at_least(client, 2))

            # Both workers run; the source is asked at one poller's pace, by the first one only.
            await asyncio.sleep(1.0)
            before = agency.polls
            await asyncio.sleep(2.0)
            assert second.held == set() and await held_by("ingest-a")
            # (About 20 in 2 s at a 0.1 s interval: two pollers would make about 40.)
            assert 3 <= agency.polls - before <= 24, "a 0.1 s poll for 2 s from one worker, not two"

            # The first worker dies without a word; the second takes the feed within a hold and polls it.
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            took = await until(lambda: held_by("ingest-b"), timeout=HOLD_S * 4)
            assert took <= 2 * HOLD_S + 0.5, "within a hold and one look"
            assert second.held == {"panel_harga"}

            # It is really polling: a new price at the agency reaches the stream.
            agency.body = agency.body.replace(b'"rata_rata_geometrik": 13300', b'"rata_rata_geometrik": 13900') \
                .replace(b'"date": "2026-11-28", "province_id": "36", "city_id": "3673"',
                         b'"date": "2026-11-29", "province_id": "36", "city_id": "3673"')
            await until(lambda: _has_price(client, 13900), timeout=5)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
            stop.set()
            if task:
                await task
    # A clean stop gives the hold back at once: the next worker need not wait for it to lapse.
    assert await holder(client, INGEST, "panel_harga") is None
    await client.aclose()


async def _xlen_at_least(client, n):
    return await client.xlen(feed_stream("panel_harga")) >= n


async def _has_price(client, price):
    entries = await client.xrange(feed_stream("panel_harga"))
    return any(Record.decode(f).payload.get("rata_rata_geometrik") == price for _, f in entries)


FEEDS = ("harga_serang", "harga_cilegon", "harga_tangerang", "harga_lebak")


def four_feeds(agency_port: int, worker: str) -> dict:
    one = settings(agency_port, worker)
    feed = one["feeds"]["panel_harga"]
    one["feeds"] = {name: dict(feed, title=name) for name in FEEDS}
    return one


async def test_the_feeds_spread_over_the_workers_and_come_back_to_one_when_the_other_stops(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    async with PricePanel() as agency:
        workers = {name: Supervisor(parse_config(four_feeds(agency.port, name)), client)
                   for name in ("ingest-a", "ingest-b")}
        stops = {name: asyncio.Event() for name in workers}
        tasks = {name: asyncio.create_task(w.run(stops[name])) for name, w in workers.items()}
        try:
            # Each feed is polled by the worker rendezvous hashing names, and by that one only.
            want = {name: {f for f in FEEDS if owner(f, sorted(workers)) == name} for name in workers}
            assert all(want.values())

            async def spread():
                return all(w.held == want[n] for n, w in workers.items())
            await until(spread, timeout=HOLD_S * 4)
            for feed in FEEDS:
                assert await holder(client, INGEST, feed) == owner(feed, sorted(workers))

            # A clean stop hands its feeds over at once, not after a hold.
            stops["ingest-a"].set()
            await tasks["ingest-a"]
            took = await until(lambda: _holds_all(workers["ingest-b"]), timeout=HOLD_S * 2)
            assert took < HOLD_S
        finally:
            for stop in stops.values():
                stop.set()
            await asyncio.gather(*tasks.values())
    await client.aclose()


async def _holds_all(worker):
    return worker.held == set(FEEDS)
