"""Benchmark: Redis primary killed again and again under webhook load; the write outage per kill.

    .venv/bin/python -m tests.bench.bench_failover [kills=5] [rate=1000]

One ingest process (`run.py ingest`) on Redis with Sentinel (one primary, two replicas, three
sentinels: core/redis_sentinel.py); four senders push batches of 50 complaints at `rate` records/s
offered and resend whatever is not answered 2xx. Every 12 s the primary of the moment is killed
with SIGKILL and started again 4 s later (it comes back as a replica). Printed: records
acknowledged and found afterwards, and per kill the longest wait for an acknowledgement (p50, p95).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import signal
import statistics
import sys
import tempfile
from pathlib import Path

import aiohttp
import yaml

from core import clock
from core.redis import connect
from core.redis_sentinel import ReplicatedRedis
from core.streams import feed_stream
from tests.faults import test_redis_failover as fault
from tests.faults.cluster import WEBHOOK_FEED, Role, write_config


async def _run(cluster: ReplicatedRedis, url: str, kills: int) -> tuple[list, list, list]:
    acked, answers, killed_at = [], [], []
    stop = asyncio.Event()
    async with aiohttp.ClientSession() as session:
        senders = [asyncio.create_task(fault._sender(session, url, i * fault.BATCH, stop, acked, answers))
                   for i in range(fault.SENDERS)]
        await asyncio.sleep(4)
        for _ in range(kills):
            primary = cluster.server(cluster.primary_port())
            killed_at.append(clock.monotonic())
            primary.signal(signal.SIGKILL)
            await asyncio.sleep(4)
            cluster.restart(primary)
            await asyncio.sleep(8)
        stop.set()
        await asyncio.gather(*senders)
    return acked, answers, killed_at


def main(kills: int = 5, rate: int = 1000) -> None:
    fault.RATE = rate
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        config_path = write_config(workdir)
        port = yaml.safe_load(config_path.read_text())["ingest"]["port"]
        with ReplicatedRedis(workdir / "redis") as cluster:
            ingest = Role("ingest", config_path, cluster, workdir / "ingest.log").start()
            try:
                ingest.wait_http(f"http://127.0.0.1:{port}/healthz")
                started = clock.monotonic()
                acked, answers, killed_at = asyncio.run(_run(cluster,
                                                             f"http://127.0.0.1:{port}/ingest/{WEBHOOK_FEED}", kills))
                seconds = clock.monotonic() - started
                stored = connect(cluster.url).xrange(feed_stream(WEBHOOK_FEED))
                found = {json.loads(f[b"payload"])["tracking_id"] for _, f in stored}
            finally:
                ingest.stop()
    acks = sorted(t for t, status in answers if 200 <= status < 300)
    outages = []
    for at in killed_at:
        around = [at] + [t for t in acks if at < t < at + 12]
        outages.append(max(b - a for a, b in itertools.pairwise(around)) if len(around) > 1 else 12.0)
    outages.sort()
    p95 = outages[min(len(outages) - 1, round(0.95 * (len(outages) - 1)))]
    print(f"offered {rate} records/s; acknowledged {len(acked)} ({len(acked) / seconds:.0f}/s over {seconds:.0f} s), "
          f"found {len(found)}, lost {len(set(acked) - found)}")
    print(f"write outage per kill (s): {', '.join(f'{o:.2f}' for o in outages)}; "
          f"p50 {statistics.median(outages):.2f}, p95 {p95:.2f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
