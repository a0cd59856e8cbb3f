"""Screen switch time in a wall playlist: from the moment the server's clock says "next screen" to
the new screen fully drawn in Chromium.

    .venv/bin/python -m tests.bench.bench_screen_switch [--switches 40] [--item-seconds 3]
    CC_SWITCH_COUNT=10 .venv/bin/python -m tests.bench.bench_screen_switch     # a short run

The dashboard (served in this process, on a private Redis with Banten's figures, one figure
changing every second so pushes go on during the switches) shows a playlist of the shipped screens
(command-center, harga-pangan, pengaduan, cctv-wall; no video gateway runs, so the camera cells show
their state). In the page (tests/support/playlist_probe.py), each switch is timed from its
scheduled moment (`data-switch-at`, the server clock, the same machine's) to: the page marking the
new item (`marked`: push and DOM update) and the new screen fully drawn (`drawn`: its section shown,
every headline value filled, every map plot sized to its tile), checked on every animation frame.
Target: under 1 s to fully drawn.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.config import load_config  # noqa: E402
from core.redis import EmbeddedRedis, connect  # noqa: E402
from core.streams import utc_now  # noqa: E402
from tests.support.app import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    SignedInBrowser,
    serve,
    with_test_users,
    write_test_users,
)
from tests.support.playlist_probe import SWITCH_PROBE  # noqa: E402
from tests.support.sample import write_figure, write_wall  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ("command-center", "harga-pangan", "pengaduan", "cctv-wall")
TARGET_MS = 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", type=int, default=int(os.environ.get("CC_SWITCH_COUNT", 40)))
    parser.add_argument("--item-seconds", type=float, default=3.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from dashboard.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        layouts = tmp / "layouts"
        layouts.mkdir()
        for name in SCREENS:
            shutil.copy(ROOT / "layouts" / f"{name}.yaml", layouts / f"{name}.yaml")
        items = "\n".join(f"  - {{screen: {s}, seconds: {args.item_seconds:g}}}" for s in SCREENS)
        (layouts / "bench-putaran.yaml").write_text(f"kind: playlist\ntitle: Bench\nitems:\n{items}\n")
        config = load_config(ROOT / "config.yaml")
        config = config.model_copy(update={"dashboard": config.dashboard.model_copy(update={
            "layouts_dir": str(layouts)})})
        config = with_test_users(config, write_test_users(tmp / "users.yaml"))
        redis = EmbeddedRedis(tmp / "redis").start()
        stop = threading.Event()
        try:
            client = connect(redis.url, decode_responses=True)
            write_wall(client, config, utc_now())

            def live() -> None:  # one figure a second: pushes keep flowing through the switches
                n = 0
                while not stop.wait(1.0):
                    n += 1
                    write_figure(client, "pengaduan_24j", 47 + n, utc_now(), {"3673": 7 + n % 5})

            threading.Thread(target=live, daemon=True).start()
            with serve(create_app(config, redis.url)) as base, sync_playwright() as p:
                browser = SignedInBrowser(p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS),
                                          served=[base])
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.goto(base + "/wall/bench-putaran?kiosk=1")
                page.wait_for_function("() => document.getElementById('wall')?.dataset.tick")
                page.evaluate(SWITCH_PROBE)
                # The first pass draws each map for the first time: timed apart from the steady state.
                timeout = (args.switches + len(SCREENS) + 2) * args.item_seconds * 1000 + 30_000
                page.wait_for_function("(n) => window.__switches.filter(s => s.drawn).length >= n",
                                       arg=args.switches + len(SCREENS), timeout=timeout)
                switches = page.evaluate("window.__switches")
                browser.close()
        finally:
            stop.set()
            redis.stop()
    first, steady = switches[:len(SCREENS)], switches[len(SCREENS):len(SCREENS) + args.switches]
    drawn = [s["drawn"] - s["due"] for s in steady]
    marked = [s["marked"] - s["due"] for s in steady]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}; {len(SCREENS)} screens x {args.item_seconds:g} s, 1920x1080")
    print("first pass (each screen's first showing): " +
          ", ".join(f"{s['screen']} {s['drawn'] - s['due']:.0f} ms" for s in first))
    print(f"switch to page marked ({len(marked)} switches): p50 {statistics.median(marked):.0f} ms, "
          f"p95 {percentile(marked, 95):.0f} ms, max {max(marked):.0f} ms")
    print(f"switch to fully drawn ({len(drawn)} switches): p50 {statistics.median(drawn):.0f} ms, "
          f"p95 {percentile(drawn, 95):.0f} ms, max {max(drawn):.0f} ms (target < {TARGET_MS} ms)")
    by_screen: dict[str, list[float]] = {}
    for s in steady:
        by_screen.setdefault(s["screen"], []).append(s["drawn"] - s["due"])
    print("by screen (median): " + ", ".join(f"{k} {statistics.median(v):.0f} ms" for k, v in by_screen.items()))
    print("RESULT:", "within target" if percentile(drawn, 95) < TARGET_MS else "OUTSIDE TARGET")


if __name__ == "__main__":
    main()
