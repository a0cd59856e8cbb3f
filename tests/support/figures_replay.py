"""Replaying a random history through the application-figures processor on a real Redis, checking each step."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

from hypothesis import HealthCheck, settings

from core import clock
from core.redis import connect_async
from core.streams import Record, feed_stream
from ingest.derive.figures_processor import FiguresProcessor
from tests.support.figures_helpers import CONFIG, catch_up
from tests.support.recount import START

# Histories against Redis are few (each step is a few round trips) and need the session's server.
# `run.py test` runs each recount test three times with fresh draws (once, then in each date lane),
# so a CI run tries three times this many histories of each.
HISTORIES_RUN = 60
ON_REDIS = settings(deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


async def _replay(url: str, steps: list[tuple], record_of: Callable[[tuple, datetime, int], Record],
                  check: Callable[[object, datetime, tuple], Awaitable[None]]) -> None:
    client = connect_async(url, decode_responses=True)
    await client.flushdb()
    try:
        with clock.frozen(START) as advance:
            processor = await catch_up(client, FiguresProcessor(CONFIG, client), clock.utc_now())
            for serial, step in enumerate(steps):
                now = clock.utc_now()
                if step[0] == "tick":  # the clock moves on and the processor's sweep looks
                    advance(step[1])
                    now = clock.utc_now()
                    await processor.sweep(now)
                elif step[0] == "restart":
                    processor = await catch_up(client, FiguresProcessor(CONFIG, client), now)
                else:
                    record = record_of(step, now, serial)
                    await client.xadd(feed_stream(record.feed_id), record.encode())
                    await catch_up(client, processor, now, started=True)
                await check(client, now, step)
    finally:
        await client.aclose()


def replay(url: str, steps: list[tuple], record_of: Callable[[tuple, datetime, int], Record],
           check: Callable[[object, datetime, tuple], Awaitable[None]]) -> None:
    """Each step: a record stored and applied, the clock moved on and swept, or a restart; then `check`."""
    asyncio.run(_replay(url, steps, record_of, check))
