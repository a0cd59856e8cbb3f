"""Wall page: time to first complete render, and the tab's memory under live updates over time.

    .venv/bin/python tests/bench/bench_wall_soak.py [--minutes 30] [--renders 5]

First render: navigation start to every metric tile showing a value (data already in Redis),
median of several fresh loads. Soak: one wall at 1920x1080 with the simulated agencies at 5x
speed plus a complaint every second, sampled each minute after a forced GC through the Chrome
DevTools Protocol: JS heap used, DOM nodes, event listeners. Target: heap growth from minute 1
to the last minute under 20 %.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.redis import connect  # noqa: E402
from core.streams import Record, feed_stream  # noqa: E402
from tests.e2e.system import chromium, running_system  # noqa: E402

TILES = ["bansos", "pengaduan", "kamera", "kemiskinan", "tempat-tidur", "tender", "beras"]
ALL_FILLED = """(tiles) => tiles.every(t => {
    const v = document.querySelector(`[data-tile="${t}"] .tile-value`);
    return v && v.getAttribute('data-value') !== '';
})"""


def first_render_ms(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(url)
    page.wait_for_function(ALL_FILLED, arg=TILES, polling="raf", timeout=60_000)
    ms = page.evaluate("performance.now()")  # since navigation start
    page.close()
    return ms


def sample(cdp) -> dict[str, float]:
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {"heap_mb": metrics["JSHeapUsedSize"] / 2**20, "nodes": metrics["Nodes"],
            "listeners": metrics["JSEventListeners"]}


def complaints_every_second(url: str, stop: threading.Event) -> None:
    client = connect(url)
    while not stop.wait(1.0):
        now = datetime.now(timezone.utc)
        sid = f"SOAK-{time.time_ns()}"
        client.xadd(feed_stream("lapor_banten"), Record(
            "lapor_banten", "e-pormas", sid, now, now,
            {"tracking_id": sid, "status": "diterima", "category": "Lainnya", "via": "app", "city_id": "3601"},
            "3601").encode())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--renders", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_system(Path(tmp), demo_speed=5) as system, \
            chromium() as browser:
        url = f"{system.dashboard}/wall/command-center"
        print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
        first_render_ms(browser, url)  # warm the server's caches once, as a wall that reloads would find them
        renders = [first_render_ms(browser, url) for _ in range(args.renders)]
        print(f"first complete render: median {statistics.median(renders):.0f} ms, "
              f"max {max(renders):.0f} ms over {len(renders)} loads")

        stop = threading.Event()
        driver = threading.Thread(target=complaints_every_second, args=(system.redis.url, stop), daemon=True)
        driver.start()
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(url)
        page.wait_for_function(ALL_FILLED, arg=TILES, timeout=60_000)
        samples = []
        start = time.monotonic()
        minute = 0
        while minute < args.minutes:
            minute += 1
            time.sleep(max(0.0, start + minute * 60 - time.monotonic()))
            s = sample(cdp)
            s["updated"] = page.evaluate(
                "document.querySelector('[data-tile=\"pengaduan\"] .tile-value').getAttribute('data-value')")
            samples.append(s)
            print(f"minute {minute:3d}: heap {s['heap_mb']:.2f} MB, nodes {s['nodes']:.0f}, "
                  f"listeners {s['listeners']:.0f}, complaints shown {s['updated']}", flush=True)
        stop.set()
        first, last = samples[0], samples[-1]
        growth = (last["heap_mb"] - first["heap_mb"]) / first["heap_mb"] * 100
        print(f"heap after minute 1: {first['heap_mb']:.2f} MB; after minute {minute}: {last['heap_mb']:.2f} MB; "
              f"growth {growth:+.1f} % (target < 20 %); nodes {first['nodes']:.0f} -> {last['nodes']:.0f}")


if __name__ == "__main__":
    main()
