"""What every derive processor shares: its consumer group on each feed stream, and reading its entries.

A processor first re-reads its own pending entries (read but not acknowledged when it stopped),
then new ones, so a restart resumes where the last run stopped and loses nothing.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

import redis
import redis.asyncio

Entries = list[tuple[Any, tuple[Any, dict]]]
READ_COUNT = 1000


async def ensure_group(client: redis.asyncio.Redis, stream: str, group: str) -> None:
    """Create a consumer group from the stream's start; an existing one is kept as it is."""
    try:
        await client.xgroup_create(stream, group, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def drain(client: redis.asyncio.Redis, group: str, consumer: str, streams: list[str],
                handle: Callable[[Entries], Awaitable[None]], pending: bool, block_ms: int | None = None,
                count: int = READ_COUNT) -> int:
    """Hand entries to `handle`: all of our own pending ones, or one read of new ones."""
    wanted = {s: "0" if pending else ">" for s in streams}
    total = 0
    while True:
        reply = await client.xreadgroup(group, consumer, wanted, count=count, block=None if pending else block_ms)
        # A pending entry trimmed from the stream comes back with no fields: nothing to apply.
        entries = [(s, e) for s, batch in (reply or []) for e in batch if e[1]]
        if not entries:
            return total
        await handle(entries)
        total += len(entries)
        if not pending:
            return total
