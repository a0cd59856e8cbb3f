"""The marginal cost of 1,000 more records/s, in % of a core, measured at several loads to show it flat.

    .venv/bin/python tests/bench/bench_marginal_cost.py [--rates 0 1000 2000 3000] [--seconds 10]

The roles run as `run.py ingest` and `run.py derive` on an embedded Redis; agencies push complaints
through the webhook at each rate in turn (batches of 50, four senders). For each rate: the CPU of
ingest, derive and redis-server over the window, from /proc, after a warm-up at that rate. The
marginal cost of 1,000 records/s between two rates is the difference over the step, per role; flat
means the next 1,000 costs what the last did. The deployment guide sizes hosts from these figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core import clock  # noqa: E402
from core.redis import EmbeddedRedis  # noqa: E402
from tests.faults.cluster import WEBHOOK_FEED, WEBHOOK_TOKEN, Role, write_config  # noqa: E402

BATCH, SENDERS, WARM_UP = 50, 4, 3.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its waited-for children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def role_pid(role: Role) -> int:
    """`run.py <role>` may run the role in a child of its own: the busiest process of the group."""
    pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]
    group = []
    for pid in pids:
        try:
            if os.getpgid(pid) == role.process.pid:
                group.append(pid)
        except OSError:
            continue
    return max(group, key=cpu_seconds) if group else role.process.pid


async def push(url: str, rate: int, seconds: float, first: int) -> int:
    """Send `rate` records/s for `seconds`; the number acknowledged."""
    if rate == 0:
        await asyncio.sleep(seconds)
        return 0
    acked = 0
    period = BATCH * SENDERS / rate
    deadline = time.monotonic() + seconds

    async def sender(n: int) -> None:
        nonlocal acked
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                started = time.monotonic()
                now = clock.utc_now().isoformat()
                batch = [{"tracking_id": f"MC{i:09d}", "status": "baru", "category": "Jalan rusak", "via": "web",
                          "created_at": now, "updated_at": now, "city_id": "3673"} for i in range(n, n + BATCH)]
                async with session.post(url, data=json.dumps(batch), headers={
                        "Authorization": f"Bearer {WEBHOOK_TOKEN}", "Content-Type": "application/json"}) as resp:
                    if resp.status < 300:
                        acked += BATCH
                n += BATCH * SENDERS
                await asyncio.sleep(max(0.0, period - (time.monotonic() - started)))

    await asyncio.gather(*(sender(first + i * BATCH) for i in range(SENDERS)))
    return acked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", type=int, nargs="+", default=[0, 1000, 2000, 3000])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config_path = write_config(work)
        import yaml

        port = yaml.safe_load(config_path.read_text())["ingest"]["port"]
        url = f"http://127.0.0.1:{port}/ingest/{WEBHOOK_FEED}"
        redis = EmbeddedRedis(work / "redis").start()
        roles = {name: Role(name, config_path, redis, work / f"{name}.log").start() for name in ("ingest", "derive")}
        try:
            roles["ingest"].wait_http(f"http://127.0.0.1:{port}/healthz")
            time.sleep(3)
            pids = {name: role_pid(role) for name, role in roles.items()} | {"redis": redis.process.pid}
            rows, first = [], 0
            for rate in args.rates:
                asyncio.run(push(url, rate, WARM_UP, first))
                first += 10_000_000
                before = {name: cpu_seconds(pid) for name, pid in pids.items()}
                started = time.monotonic()
                acked = asyncio.run(push(url, rate, args.seconds, first))
                elapsed = time.monotonic() - started
                first += 10_000_000
                cost = {name: (cpu_seconds(pid) - before[name]) / elapsed * 100 for name, pid in pids.items()}
                rows.append((rate, acked / elapsed, cost))
        finally:
            for role in roles.values():
                role.stop()
            redis.stop()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"{'offered/s':>9} {'taken/s':>8} {'ingest %':>9} {'derive %':>9} {'redis %':>8} {'total %':>8}")
    for rate, taken, cost in rows:
        print(f"{rate:>9} {taken:>8.0f} {cost['ingest']:>9.1f} {cost['derive']:>9.1f} {cost['redis']:>8.1f} "
              f"{sum(cost.values()):>8.1f}")
    print("marginal cost of 1,000 records/s (% of a core):")
    for (r0, _, c0), (r1, _, c1) in zip(rows, rows[1:]):
        step = (r1 - r0) / 1000
        per = {name: (c1[name] - c0[name]) / step for name in c0}
        print(f"  {r0}->{r1}: ingest {per['ingest']:.1f}, derive {per['derive']:.1f}, redis {per['redis']:.1f}, "
              f"total {sum(per.values()):.1f}")


if __name__ == "__main__":
    main()
