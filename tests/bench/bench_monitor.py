"""Can one monitor process, on one core, check 300 agency services every 60 s on time, and how fast
does a service turn DOWN and UP again on the wall?

    .venv/bin/python tests/bench/bench_monitor.py [--services 300] [--seconds 200]

Starts a private redis-server and the simulated OPD systems (in a process of their own), then the
real monitor (`run_monitor`: scheduler, states, incidents, summaries every 30 s) in this process,
pinned to one core. 300 HTTP services at a 60 s interval (10 of them behind one data-center network
with down_after 3), every result through Redis as in production. 20 s in, the data-center network
goes down; once all 11 are DOWN it comes back. Prints: schedule lateness (start minus planned time)
p50/p95/max against the 2 s target, checks run, CPU of this process as % of one core (baseline: the
same process idle for 10 s first), and the time to DOWN and back to UP against interval x retries + 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.config import parse_config  # noqa: E402
from core.redis import EmbeddedRedis, connect_async, free_port  # noqa: E402
from core.streams import monitor_probe, monitor_state  # noqa: E402
from ingest.monitor.service import run_monitor  # noqa: E402

SYSTEMS_SCRIPT = """
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from ingest.demo import opd_systems
async def main():
    systems = opd_systems.OpdSystems(follow_clock=False)
    await opd_systems.start(systems, "127.0.0.1", int(sys.argv[2]), None)
    control = asyncio.Event()
    await control.wait()
asyncio.run(main())
"""
OPDS = ["diskominfo", "dinkes", "rsud-banten", "dinsos", "bpbd", "bappeda", "bpkad", "ukpbj", "dkp", "disperindag",
        "dishub", "satpol-pp", "kominfo-pandeglang", "kominfo-lebak", "kominfo-kab-tangerang", "kominfo-kab-serang",
        "kominfo-kota-tangerang", "kominfo-cilegon", "kominfo-kota-serang", "kominfo-tangsel"]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench_config(port: int, services: int, redis_url: str):
    opds = {oid: {"name": oid, "services": {}} for oid in OPDS}
    url = f"http://127.0.0.1:{port}"
    opds["diskominfo"]["services"]["dc-bench"] = {"name": "Jaringan DC", "kind": "http", "target": f"{url}/dc",
                                                   "interval": 60, "timeout": 10, "down_after": 3}
    for i in range(services - 1):
        behind = i < 10
        opds[OPDS[i % len(OPDS)]]["services"][f"svc-{i:03d}"] = {
            "name": f"Layanan {i:03d}", "kind": "http", "interval": 60, "timeout": 10, "down_after": 3,
            "target": f"{url}/dc/svc-{i:03d}" if behind else f"{url}/sehat-{i:03d}",
            **({"parent": "dc-bench"} if behind else {})}
    return parse_config({"redis": {"url": redis_url}, "monitors": {"opds": opds, "concurrency": 64}})


async def set_mode(port: int, mode: str | None) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.put(f"http://127.0.0.1:{port}/_mode/dc", json={"mode": mode}) as resp:
            assert resp.status == 200


async def states(client) -> dict[str, str]:
    return {k: json.loads(v)["state"] for k, v in (await client.hgetall(monitor_state())).items()}


async def main(args) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})  # one core for the monitor process
    with tempfile.TemporaryDirectory() as tmp:
        redis_server = EmbeddedRedis(Path(tmp) / "redis").start()
        port = free_port()
        systems = subprocess.Popen([sys.executable, "-c", SYSTEMS_SCRIPT, str(ROOT), str(port)])
        try:
            await asyncio.sleep(1.5)
            config = bench_config(port, args.services, redis_server.url)
            client = connect_async(redis_server.url, decode_responses=True)
            idle0, t_idle = cpu_seconds(), time.monotonic()
            await asyncio.sleep(10)
            idle_pct = 100 * (cpu_seconds() - idle0) / (time.monotonic() - t_idle)
            stop = asyncio.Event()
            started, cpu0 = time.monotonic(), cpu_seconds()
            monitor = asyncio.create_task(run_monitor(config, redis_server.url, stop))
            group = {"dc-bench", *[f"svc-{i:03d}" for i in range(10)]}
            cut_at = down_at = back_at = up_at = None
            while time.monotonic() - started < args.seconds:
                await asyncio.sleep(0.5)
                elapsed = time.monotonic() - started
                seen = await states(client)
                if cut_at is None and elapsed >= 20:
                    await set_mode(port, "down")
                    cut_at = time.monotonic()
                elif cut_at and down_at is None and all(seen.get(s) == "down" for s in group):
                    down_at = time.monotonic()
                    await set_mode(port, None)
                    back_at = time.monotonic()
                elif back_at and up_at is None and all(seen.get(s) == "up" for s in group):
                    up_at = time.monotonic()
            wall = time.monotonic() - started
            cpu_pct = 100 * (cpu_seconds() - cpu0) / wall
            probe = await client.hgetall(monitor_probe("pusat"))
            stop.set()
            await monitor
            await client.aclose()
        finally:
            systems.terminate()
            systems.wait(10)
            redis_server.stop()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
          f"monitor pinned to one core")
    print(f"services: {args.services} at 60 s; ran {wall:.0f} s; checks started: {probe.get('checks')}")
    print(f"schedule lateness p95 (last 2,000 starts, as the monitor reports it): {probe.get('lateness_p95_s')} s "
          "(target <= 2 s)")
    print(f"CPU of the monitor process: {cpu_pct:.1f} % of one core (idle baseline {idle_pct:.1f} %)")
    limit = 60 * 3 + 10
    if down_at:
        print(f"time to DOWN (11 services, data-center cut): {down_at - cut_at:.1f} s (limit {limit} s)")
    else:
        print("time to DOWN: not reached within the run")
    if up_at:
        print(f"time to UP again: {up_at - back_at:.1f} s (limit {limit} s)")
    else:
        print("time to UP: not reached within the run")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=200)
    asyncio.run(main(parser.parse_args()))
