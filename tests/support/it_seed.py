"""The IT control center as the monitor would leave it: the shipped config's services checked through
the real Monitor (states, incidents, figures), with the data-center network and the 8 services behind
it down, e-Terminal refusing connections, SITRANTIB timing out, two slow services and a certificate
expiring in 6 days."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import aiohttp

from core.clock import utc_now
from core.redis import connect_async
from ingest.monitor.monitor import Monitor
from ingest.monitor.result import CheckResult

SLOW = ("sisrute", "web-cilegon")
REFUSED = "e-terminal"
TIMED_OUT = "sitrantib"  # Satpol PP's: the test operator's own OPD
CERT = "satu-data"


def in_thread(coro_fn, *args):
    """Run a coroutine to its end on a loop of its own (browser tests hold a sync Playwright)."""
    box: list = []
    thread = threading.Thread(target=lambda: box.append(asyncio.run(coro_fn(*args))))
    thread.start()
    thread.join(60)
    return box[0] if box else None


def _results(monitors, service: str, start, ok_after: bool = False) -> list[CheckResult]:
    svc = monitors.services()[service][1]
    dc = "jaringan-dc"
    failing = service in (REFUSED, TIMED_OUT) or service == dc or dc in monitors.ancestors(service)
    out = []
    for i in range(4):
        at = start + timedelta(seconds=20 * i)
        if ok_after or not failing or i == 0 and service not in (REFUSED, TIMED_OUT):
            ms = 1300.0 if service in SLOW else 80.0 + 10 * i + len(service)
            cert = utc_now() + timedelta(days=6) if service == CERT else None
            out.append(CheckResult(service, at, True, ms, "", cert))
        else:
            reason = {REFUSED: "koneksi ditolak (connection refused)",
                      TIMED_OUT: "waktu habis (timeout)"}.get(service, "HTTP 503 (diharapkan 200)")
            out.append(CheckResult(service, at, False, None, reason))
        if svc.kind == "dns":
            break
    return out


async def seed_it(redis_url: str, config) -> None:
    client = connect_async(redis_url, decode_responses=True)
    async with aiohttp.ClientSession() as session:
        monitor = Monitor(config.monitors, client, session)
        start = utc_now() - timedelta(minutes=2)
        for sid in monitor.own():
            for result in _results(config.monitors, sid, start):
                await monitor.apply(result)
        await monitor.desk.tick(utc_now() + timedelta(seconds=config.monitors.group_wait + 1))
        await monitor.write_probe(utc_now())
        await monitor.summarize()
    await client.aclose()


async def recover(redis_url: str, config, service: str) -> None:
    """A service answers again (the monitor applies what it checked)."""
    client = connect_async(redis_url, decode_responses=True)
    async with aiohttp.ClientSession() as session:
        monitor = Monitor(config.monitors, client, session)
        for result in _results(config.monitors, service, utc_now(), ok_after=True):
            await monitor.apply(result)
    await client.aclose()
