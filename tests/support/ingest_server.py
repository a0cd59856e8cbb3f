"""The ingest process's real HTTP side (what `run.py ingest` serves) on a free port, for a test's config."""

from __future__ import annotations

from contextlib import asynccontextmanager

from aiohttp import web

from core.config import Config
from core.redis import connect_async, free_port
from ingest.http_api import create_api
from ingest.supervisor import Supervisor


@asynccontextmanager
async def running_ingest(config: Config, redis_url: str):
    """(base URL, asyncio Redis client with text replies, the aiohttp app) while the server runs."""
    client = connect_async(redis_url, decode_responses=True)
    app = create_api(Supervisor(config, client), client, redis_url)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}", client, app
    finally:
        await runner.cleanup()
        await client.aclose()
