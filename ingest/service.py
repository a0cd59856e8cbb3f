"""The ingest roles as run.py starts them: feeds + webhook server, and the derive processors."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

import redis
from aiohttp import web
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

from core.apps import APPLICATIONS
from core.config import Config
from core.redis import OutageLog, connect_async, is_failover_error
from core.roster import DERIVE, Share
from ingest.derive.figures_processor import FiguresProcessor
from ingest.derive.headline import HeadlineProcessor
from ingest.http_api import MEMORY_WATCH, create_api
from ingest.incidents.desk import IncidentDesk
from ingest.supervisor import Supervisor, backoff

log = logging.getLogger("ingest")


async def run_ingest(config: Config, redis_url: str, stop: asyncio.Event) -> None:
    """Poll every feed and receive webhooks until `stop` is set."""
    client = connect_async(redis_url)
    supervisor = Supervisor(config, client)
    api = create_api(supervisor, client, redis_url)
    runner = web.AppRunner(api, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, config.ingest.host, config.ingest.port).start()
    log.info("ingest: %d feeds; webhooks at http://%s:%d/ingest/<feed_id>",
             len(supervisor.feeds), config.ingest.host, config.ingest.port)
    memory = asyncio.create_task(_watch_memory(api[MEMORY_WATCH], stop), name="redis-memory")
    try:
        await supervisor.run(stop)
    finally:
        memory.cancel()
        await asyncio.gather(memory, return_exceptions=True)
        await runner.cleanup()
        await client.aclose()


async def _watch_memory(watch, stop: asyncio.Event, every: float = 15.0) -> None:
    """Redis memory against its limit, every `every` seconds (alerts on crossing; see redis_memory.py)."""
    while not stop.is_set():
        try:
            await watch.check()
        except (redis.RedisError, OSError):
            pass  # Redis away: feed health and /healthz say so
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass


def derive_parts(config: Config, client, redis_url: str) -> dict[str, Callable[[], Any]]:
    """The parts of derive that processes share, each made anew when a process takes it: the headline
    figures, the incident desk, and each application's drill-down figures."""
    parts: dict[str, Callable[[], Any]] = {
        "headline": lambda: HeadlineProcessor(config, client),
        # Alerts become incidents; unacknowledged ones escalate (ingest/incidents/).
        "incidents": lambda: IncidentDesk(config, redis_url),
    }
    for app in APPLICATIONS:
        parts[f"figures:{app}"] = lambda app=app: FiguresProcessor(config, client, applications={app})
    return parts


async def run_derive(config: Config, redis_url: str, stop: asyncio.Event) -> None:
    """Keep the headline figures and every application's drill-down figures current until `stop`.

    Several derive processes share the parts (core/roster.py): each part runs in exactly one of them,
    and another takes it over within `ingest.hold` when that one dies. A part resumes where its last
    run stopped: its entries read but not acknowledged are read again (one consumer name per part)."""
    # Few retries inside the client: a processor that fails starts again with a fresh connection,
    # which asks the sentinels where the primary is now (a long retry keeps asking the dead one).
    client = connect_async(redis_url, retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 3,
                                                  supported_errors=(redis.ConnectionError, redis.TimeoutError)))
    parts = derive_parts(config, client, redis_url)
    share = Share(client, DERIVE, f"{socket.gethostname()}:{os.getpid()}", list(parts), float(config.ingest.hold))
    running: dict[str, asyncio.Task] = {}
    try:
        while not stop.is_set():
            held = await share.look()
            for part in set(running) - held:  # moved to another process
                task = running.pop(part)
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            for part in sorted(held - set(running)):
                running[part] = asyncio.create_task(_keep_running(part, parts[part], stop), name=f"derive:{part}")
            try:
                await asyncio.wait_for(stop.wait(), share.renew_every)
            except TimeoutError:
                pass
    finally:
        for task in running.values():
            task.cancel()
        await asyncio.gather(*running.values(), return_exceptions=True)
        await share.leave()
        await client.aclose()


RAN_WELL_S = 10.0  # a processor up this long before it failed was not failing


async def _keep_running(name: str, processor, stop: asyncio.Event) -> None:
    """Run one derive processor until `stop`; survive Redis outages by restarting it (it resumes)."""
    failures = 0
    outage = OutageLog(log, f"derive {name}: Redis unavailable ({{error}}); retrying")
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        try:
            await processor().run(stop)
        except (redis.ConnectionError, redis.TimeoutError, redis.ResponseError, OSError) as exc:
            if isinstance(exc, redis.ResponseError) and not is_failover_error(exc):
                raise
            # A processor that had been running counts a new outage from the start: a failover months
            # after the last one must not wait out the pauses that one grew to.
            failures = 1 if loop.time() - started > RAN_WELL_S else failures + 1
            outage.failed(exc)
            try:
                # Short pauses: a Sentinel failover takes about 2 s, and screens wait on derive.
                await asyncio.wait_for(stop.wait(), backoff(failures, 0.25, 2.0))
            except TimeoutError:
                pass
        else:
            failures = 0
            outage.worked()
