"""Event-to-screen latency: from XADD of a record to the new value in the browser, 1 and 10 walls.

    .venv/bin/python tests/bench/bench_event_to_screen.py [--events 60] [--walls 1 10]

The whole system runs as `run.py all` (demo agencies off, so only our events move the tile).
Each event is one complaint XADDed to `cc:feed:lapor_banten`; it passes the derive processor,
the KPI hash and `cc:kpi-updates`, the dashboard's push hub and the WebSocket, and the wall's
"Pengaduan 24 jam" tile shows the count one higher. A MutationObserver in every wall stamps the
moment the text changes (Date.now(), the same clock as the XADD's time.time()).
Target: p95 under 250 ms with 10 walls on a 2-core machine.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.redis import connect  # noqa: E402
from core.streams import Record, feed_stream  # noqa: E402
from tests.support.system import chromium, running_system  # noqa: E402

OBSERVE = """() => {
    window.__seen = {};
    const value = document.querySelector('[data-tile="pengaduan"] .tile-value');
    new MutationObserver(() => {
        const v = value.getAttribute('data-value');
        if (v && !(v in window.__seen)) window.__seen[v] = Date.now();
    }).observe(value, {attributes: true, childList: true, characterData: true, subtree: true});
}"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(system, browser, walls: int, events: int, gap: float) -> list[float]:
    pages = []
    for _ in range(walls):
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{system.dashboard}/wall/command-center")
        page.wait_for_selector('[data-tile="pengaduan"] .tile-value', state="attached")
        pages.append(page)
    client = connect(system.redis.url, decode_responses=True)
    time.sleep(3)  # let every wall's push channel settle
    for page in pages:
        page.evaluate(OBSERVE)
    base = float(pages[0].evaluate(
        "document.querySelector('[data-tile=\"pengaduan\"] .tile-value').getAttribute('data-value') || '0'") or 0)
    latencies: list[float] = []
    for i in range(1, events + 1):
        now = datetime.now(UTC)
        record = Record("lapor_banten", "e-pormas", f"BENCH-{time.time_ns()}", now, now,
                        {"tracking_id": f"BENCH-{time.time_ns()}", "status": "diterima", "category": "Lainnya",
                         "via": "app", "city_id": "3673"}, "3673")
        sent = time.time() * 1000
        client.xadd(feed_stream("lapor_banten"), record.encode())
        expected = repr(float(base + i))
        deadline = time.monotonic() + 5
        for page in pages:
            while True:
                seen = page.evaluate("(v) => window.__seen[v]", expected)
                if seen or time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            if seen:
                latencies.append(seen - sent)
            else:
                print(f"event {i}: a wall did not show {expected} within 5 s", file=sys.stderr)
        time.sleep(gap)
    for page in pages:
        page.close()
    client.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=60)
    parser.add_argument("--walls", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between events (more than 1/push_rate)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_system(Path(tmp), demo=False) as system, chromium() as browser:
        print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
              f"{args.events} events per run, {args.gap} s apart")
        for walls in args.walls:
            lat = measure(system, browser, walls, args.events, args.gap)
            print(f"{walls:2d} wall(s): n={len(lat)} p50 {statistics.median(lat):.0f} ms, "
                  f"p95 {percentile(lat, 95):.0f} ms, max {max(lat):.0f} ms (target p95 < 250 ms with 10 walls)")


if __name__ == "__main__":
    main()
