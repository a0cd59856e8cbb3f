"""What every derive processor shares: its consumer group on each feed stream, and reading its entries.

A processor first takes over the pending entries of consumers that went quiet (XAUTOCLAIM: a
worker on a machine that died), then re-reads its own pending entries (read but not acknowledged
when it stopped), then new ones, so a restart resumes where the last run stopped and loses nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import redis
import redis.asyncio

Entries = list[tuple[Any, tuple[Any, dict]]]
READ_COUNT = 1000
# A consumer whose entries have waited this long unacknowledged is taken to be dead; live ones
# acknowledge within a second.
ABANDONED_MS = 30_000


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
    if pending:
        for stream in streams:
            await claim_abandoned(client, group, consumer, stream)
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


async def claim_abandoned(client: redis.asyncio.Redis, group: str, consumer: str, stream: str,
                          min_idle_ms: int = ABANDONED_MS) -> int:
    """Move every entry another consumer left pending for `min_idle_ms` onto `consumer`'s list."""
    claimed, start = 0, "0-0"
    while True:
        # Not JUSTID: redis-py drops the cursor from that reply.
        reply = await client.xautoclaim(stream, group, consumer, min_idle_ms, start_id=start, count=READ_COUNT)
        start = reply[0]
        claimed += len(reply[1])
        if start in ("0-0", b"0-0"):
            return claimed
