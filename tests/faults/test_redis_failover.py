"""Redis primary killed (SIGKILL), or frozen for 10 s (SIGSTOP), while agencies push records
through webhooks.

What a sender relies on: every record answered 2xx is in the stream afterwards (0 acknowledged
records lost), and writes are taken again within seconds of the failover. Senders behave as an
agency's system should: a batch answered 503 or not answered at all is sent again. Derive runs
through the failover too, and its headline figure equals a recount from the stream afterwards.
"""

from __future__ import annotations

import asyncio
import json
import signal

import aiohttp
import pytest
import yaml

from core import clock
from core.redis import connect
from core.redis_sentinel import ReplicatedRedis
from core.streams import feed_stream
from tests.faults.cluster import (
    BATCH,
    METRIC,
    RATE,
    SENDERS,
    WEBHOOK_FEED,
    Role,
    headline_when,
    longest_wait,
    send_records,
    write_config,
)

BEFORE, AFTER = 4.0, 8.0  # seconds of load before the kill and after it
FROZEN = 10.0             # seconds the primary stays frozen


@pytest.mark.parametrize("fault", ["kill", "freeze"])
def test_losing_the_primary_loses_no_acknowledged_record(tmp_path, fault):
    config_path = write_config(tmp_path)
    port = yaml.safe_load(config_path.read_text())["ingest"]["port"]
    url = f"http://127.0.0.1:{port}/ingest/{WEBHOOK_FEED}"
    with ReplicatedRedis(tmp_path / "redis") as cluster:
        ingest = Role("ingest", config_path, cluster, tmp_path / "ingest.log").start()
        derive = Role("derive", config_path, cluster, tmp_path / "derive.log").start()
        try:
            ingest.wait_http(f"http://127.0.0.1:{port}/healthz")
            acked, answers = [], []

            async def load() -> float:
                stop = asyncio.Event()
                async with aiohttp.ClientSession() as session:
                    senders = [asyncio.create_task(send_records(session, url, i * BATCH, stop, acked, answers))
                               for i in range(SENDERS)]
                    await asyncio.sleep(BEFORE)
                    killed = clock.monotonic()
                    primary = cluster.server(cluster.primary_port())
                    if fault == "kill":
                        primary.signal(signal.SIGKILL)
                        await asyncio.sleep(AFTER)
                    else:
                        primary.signal(signal.SIGSTOP)
                        await asyncio.sleep(FROZEN)
                        # It wakes up as a primary no one follows: the sentinels demote it.
                        primary.signal(signal.SIGCONT)
                        await asyncio.sleep(AFTER - FROZEN / 2)
                    stop.set()
                    await asyncio.gather(*senders)
                return killed

            killed = asyncio.run(load())
            stored = {fields[b"payload"] for _, fields in connect(cluster.url).xrange(feed_stream(WEBHOOK_FEED))}
            found = {json.loads(p)["tracking_id"] for p in stored}
            lost = set(acked) - found
            back_in = longest_wait(answers, killed)
            refused = sum(1 for t, status in answers if not 200 <= status < 300)
            rate = len(acked) / (BEFORE + AFTER)
            print(f"\nprimary {fault} under load: {len(acked)} records acknowledged ({rate:.0f}/s), "
                  f"{len(found)} in the stream, {len(lost)} lost, {refused} requests refused or unanswered, "
                  f"longest wait for an acknowledgement {back_in:.2f} s")
            assert len(acked) > RATE * BEFORE * 0.5, f"the load never got going: {ingest.log()}"
            assert not lost, f"{len(lost)} acknowledged records lost, e.g. {sorted(lost)[:5]}"
            # Writes come back by themselves. A killed primary: the sentinels promote a replica in
            # about 2 s (the p95 is measured by tests/bench/bench_failover.py, not here); a frozen
            # one also holds the commands in flight until the client's read timeout (5 s).
            limit = 10.0 if fault == "kill" else 20.0
            assert back_in < limit, f"writes not accepted again within {limit} s of the {fault}: {ingest.log()}"
            # Every record once: a batch resent after a failover is not stored twice.
            assert connect(cluster.url).xlen(feed_stream(WEBHOOK_FEED)) == len(found)

            # The headline figure, kept by derive through the fault, against a recount.
            figure = headline_when(cluster.url, len(found))
            assert figure == len(found), f"{METRIC} shows {figure}, the stream holds {len(found)}: {derive.log()}"
        finally:
            derive.stop()
            ingest.stop()
