"""A derive consumer that died holding entries (read, never acknowledged) does not take them along:
the next processor to start claims them and handles each once."""

from __future__ import annotations

from core.redis import connect_async
from ingest.derive.groups import claim_abandoned, drain, ensure_group

STREAM, GROUP = "cc:feed:claim_test", "derive"


async def test_a_dead_consumers_pending_entries_are_claimed_and_handled(r, redis_url):
    client = connect_async(redis_url)
    await ensure_group(client, STREAM, GROUP)
    for n in range(5):
        r.xadd(STREAM, {"n": str(n)})
    # A worker on a host that died: it read every entry and acknowledged none.
    await client.xreadgroup(GROUP, "worker-on-dead-host", {STREAM: ">"})
    assert r.xpending(STREAM, GROUP)["consumers"] == [{"name": "worker-on-dead-host", "pending": 5}]

    assert await claim_abandoned(client, GROUP, "derive-2", STREAM, min_idle_ms=0) == 5
    handled = []

    async def handle(entries):
        handled.extend(fields[b"n"] for _, (_, fields) in entries)
        await client.xack(STREAM, GROUP, *[entry_id for _, (entry_id, _) in entries])

    await drain(client, GROUP, "derive-2", [STREAM], handle, pending=True)
    assert sorted(handled) == [b"0", b"1", b"2", b"3", b"4"]
    assert r.xpending(STREAM, GROUP)["pending"] == 0
    await client.aclose()


async def test_a_live_consumers_recent_entries_stay_its_own(r, redis_url):
    client = connect_async(redis_url)
    await ensure_group(client, STREAM, GROUP)
    r.xadd(STREAM, {"n": "0"})
    await client.xreadgroup(GROUP, "busy-worker", {STREAM: ">"})
    assert await claim_abandoned(client, GROUP, "derive-2", STREAM) == 0  # 30 s default: not dead yet
    await client.aclose()
