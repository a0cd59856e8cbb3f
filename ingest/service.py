"""The ingest roles as run.py starts them: feeds + webhook server, and the derive processors."""

from __future__ import annotations

import asyncio
import logging

import redis
from aiohttp import web

from core.config import Config
from core.redis import OutageLog, connect_async, is_failover_error
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


async def run_derive(config: Config, redis_url: str, stop: asyncio.Event) -> None:
    """Keep the headline figures and every application's drill-down figures current until `stop`."""
    client = connect_async(redis_url)
    try:
        await asyncio.gather(_keep_running("headline", lambda: HeadlineProcessor(config, client), stop),
                             _keep_running("figures", lambda: FiguresProcessor(config, client), stop),
                             # Alerts become incidents; unacknowledged ones escalate (ingest/incidents/).
                             _keep_running("incidents", lambda: IncidentDesk(config, redis_url), stop))
    finally:
        await client.aclose()


async def _keep_running(name: str, processor, stop: asyncio.Event) -> None:
    """Run one derive processor until `stop`; survive Redis outages by restarting it (it resumes)."""
    failures = 0
    outage = OutageLog(log, f"derive {name}: Redis unavailable ({{error}}); retrying")
    while not stop.is_set():
        try:
            await processor().run(stop)
        except (redis.ConnectionError, redis.TimeoutError, redis.ResponseError, OSError) as exc:
            if isinstance(exc, redis.ResponseError) and not is_failover_error(exc):
                raise
            failures += 1
            outage.failed(exc)
            try:
                await asyncio.wait_for(stop.wait(), backoff(failures, 0.5, 10))
            except TimeoutError:
                pass
        else:
            failures = 0
            outage.worked()
