"""How long does the demo's past take on first start (target: within a minute for 90 days)?

    .venv/bin/python tests/bench/bench_history.py [--days 90]

Starts a private redis-server and the demo role's replay (ingest/demo/backfill.py) on free ports:
the simulated agencies over HTTP, the configured feeds, the ingest webhook and both derive
processors, the project's clock set to each simulated day. Prints the seconds, the records that
went through ingest and derive, records per second, and how many days each daily series holds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from core.config import parse_config  # noqa: E402
from core.redis import EmbeddedRedis, connect_async, free_port  # noqa: E402
from core.streams import DEMO_HISTORY, app_trend  # noqa: E402
from ingest.demo import serve  # noqa: E402
from tests.support.ports import free_port_block  # noqa: E402


def config_on_free_ports():
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    base = free_port_block(7)
    data["demo"]["base_port"] = base
    data["ingest"]["port"] = free_port()
    for feed in data["feeds"].values():
        if "127.0.0.1:80" in str(feed.get("url", "")):
            port = int(feed["url"].split("127.0.0.1:")[1].split("/")[0])
            feed["url"] = feed["url"].replace(f"127.0.0.1:{port}", f"127.0.0.1:{base + port - 8071}")
    return parse_config(data)


async def main(days: int) -> None:
    server = EmbeddedRedis(Path(tempfile.mkdtemp())).start()
    client = connect_async(server.url)
    stop = asyncio.Event()
    started = time.monotonic()
    demo = asyncio.create_task(serve(config_on_free_ports(), stop, days, server.url))
    try:
        while not await client.exists(DEMO_HISTORY):
            if demo.done():
                raise SystemExit(f"the demo stopped: {demo.exception()}")
            await asyncio.sleep(0.1)
        took = time.monotonic() - started
        records = int(await client.hget(DEMO_HISTORY, "records"))
        lengths = [len(json.loads(v)) for key in await client.keys(app_trend("*", "*"))
                   for v in (await client.hgetall(key)).values()]
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
        print(f"{days} days: {took:.1f} s, {records} records through ingest and derive "
              f"({records / took:.0f} records/s, {days / took:.1f} days/s)")
        print(f"daily series: {len(lengths)}, days each: min {min(lengths)}, max {max(lengths)}")
    finally:
        stop.set()
        await demo
        await client.aclose()
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=90)
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main(parser.parse_args().days))
