"""The marginal cost of one more open wall on a dashboard process, in % of a core, at several loads.

    .venv/bin/python -m tests.bench.bench_wall_cost [--walls 0 5 10 20] [--seconds 10]

The dashboard runs as `run.py dashboard` (its own process, so its CPU is its own); walls are
WebSocket clients speaking Dash's protocol as a wall's renderer does (tests/support/dash_walls.py),
each on the command-center wall. While N walls are open, one headline figure changes twice a
second and the clock tile ticks every second; the dashboard's CPU over the window comes from /proc.
The marginal cost of a wall is the difference between two loads over the walls added; flat means
the 20th wall costs what the 5th did. The deployment guide sizes the dashboard hosts from it.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import yaml

from core.config import load_config
from core.redis import EmbeddedRedis, connect
from core.streams import utc_now
from dashboard.app import create_app
from tests.bench.bench_marginal_cost import cpu_seconds
from tests.faults.cluster import Role, write_config
from tests.support.dash_walls import ProtocolWalls
from tests.support.sample import write_figure, write_wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--walls", type=int, nargs="+", default=[0, 5, 10, 20])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config_path = write_config(work)
        config = load_config(config_path)
        port = yaml.safe_load(config_path.read_text())["dashboard"]["port"]
        base = f"http://127.0.0.1:{port}"
        redis = EmbeddedRedis(work / "redis").start()
        dashboard = Role("dashboard", config_path, redis, work / "dashboard.log").start()
        try:
            dashboard.wait_http(base + "/healthz")
            r = connect(redis.url, decode_responses=True)
            write_wall(r, config, utc_now())
            shape = create_app(config, redis.url)  # the same callbacks as the process's: for their ids
            value = 14_000
            for walls in args.walls:
                protocol = ProtocolWalls(shape, base, walls, "tile-beras-value") if walls else None
                if protocol:
                    protocol.__enter__()
                time.sleep(2)
                before, started = cpu_seconds(dashboard.process.pid), time.monotonic()
                while time.monotonic() - started < args.seconds:
                    value += 7
                    write_figure(r, "harga_beras", value, utc_now(), {"3673": value})
                    time.sleep(0.5)
                elapsed = time.monotonic() - started
                cost = (cpu_seconds(dashboard.process.pid) - before) / elapsed * 100
                got = sum(len(s) for s in protocol.seen) if protocol else 0
                rows.append((walls, cost, got))
                if protocol:
                    protocol.__exit__()
        finally:
            dashboard.stop()
            redis.stop()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"{'walls':>5} {'dashboard %':>12} {'values seen':>12}")
    for walls, cost, got in rows:
        print(f"{walls:>5} {cost:>12.1f} {got:>12}")
    print("marginal cost of one wall (% of a core):")
    for (w0, c0, _), (w1, c1, _) in zip(rows, rows[1:]):
        print(f"  {w0}->{w1}: {(c1 - c0) / (w1 - w0):.2f}")


if __name__ == "__main__":
    main()
