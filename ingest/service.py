"""The ingest roles as run.py starts them: feeds + webhook server, and the derive processors."""

from __future__ import annotations

import asyncio
import logging

import redis
from aiohttp import web

from core.config import Config
from core.redis import connect_async
from ingest.derive.headline import HeadlineProcessor
from ingest.http_api import create_api
from ingest.supervisor import Supervisor, backoff

log = logging.getLogger("ingest")


async def run_ingest(config: Config, redis_url: str, stop: asyncio.Event) -> None:
    """Poll every feed and receive webhooks until `stop` is set."""
    client = connect_async(redis_url)
    supervisor = Supervisor(config, client)
    runner = web.AppRunner(create_api(supervisor, client, redis_url), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, config.ingest.host, config.ingest.port).start()
    log.info("ingest: %d feeds; webhooks at http://%s:%d/ingest/<feed_id>",
             len(supervisor.feeds), config.ingest.host, config.ingest.port)
    try:
        await supervisor.run(stop)
    finally:
        await runner.cleanup()
        await client.aclose()


async def run_derive(config: Config, redis_url: str, stop: asyncio.Event) -> None:
    """Keep the headline figures current until `stop`; survive Redis outages by restarting."""
    client = connect_async(redis_url)
    failures = 0
    try:
        while not stop.is_set():
            try:
                await HeadlineProcessor(config, client).run(stop)
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                failures += 1
                if failures == 1:
                    log.warning("derive: Redis unavailable (%s); retrying", exc)
                try:
                    await asyncio.wait_for(stop.wait(), backoff(failures, 0.5, 10))
                except asyncio.TimeoutError:
                    pass
            else:
                failures = 0
    finally:
        await client.aclose()
