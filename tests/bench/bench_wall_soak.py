"""Wall page: time to first complete render, and a playlist wall's tab memory under live data over time.

    .venv/bin/python -m tests.bench.bench_wall_soak [--minutes 60] [--renders 5] [--item-seconds 15]
    CC_SOAK_MINUTES=3 .venv/bin/python -m tests.bench.bench_wall_soak      # a short run

First render: navigation start to every metric tile of /wall/command-center showing a value (data
already in Redis), median of several fresh loads.

Soak: the whole system (`run.py all`, simulated agencies at 5x speed plus a complaint every second,
simulated cameras) and one wall at 1920x1080 on a playlist of the shipped screens (command-center,
harga-pangan, pengaduan, cctv-wall; `--item-seconds` each, 15 by default so a run sees many switches).
Chromium runs as a wall PC must (tests/support/system.py: no mDNS host candidates), so the camera
screen plays live video each time it comes round.
Each minute, after a forced GC through the Chrome DevTools Protocol: JS heap used, DOM nodes, event
listeners, and the memory of the tab's renderer process (PSS from /proc). Targets: heap
and DOM growth from minute 5 to the end under 10 % (from minute 1 on runs shorter than 6 minutes),
no tab above 300 MB.
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
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.redis import connect  # noqa: E402
from core.streams import Record, feed_stream  # noqa: E402
from tests.support.playlist_probe import SWITCH_PROBE  # noqa: E402
from tests.support.system import ROOT, chromium, running_system  # noqa: E402

TILES = ["bansos", "pengaduan", "kamera", "kemiskinan", "tempat-tidur", "tender", "beras"]
ALL_FILLED = """(tiles) => tiles.every(t => {
    const v = document.querySelector(`[data-tile="${t}"] .tile-value`);
    return v && v.getAttribute('data-value') !== '';
})"""
# Counts camera players turning live (video decoded): the proof that the camera screen played.
LIVE_PROBE = """() => {
  window.__livePlays = 0;
  new MutationObserver((changes) => changes.forEach((c) => {
      if (c.target.dataset.player === 'live') window.__livePlays++;
    }))
    .observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-player']});
}"""
SOAK_SCREENS = ("command-center", "harga-pangan", "pengaduan", "cctv-wall")
SOAK_PLAYLIST = "soak-putaran"
GROWTH_TARGET_PCT = 10.0
TAB_TARGET_MB = 300.0


def first_render_ms(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(url)
    page.wait_for_function(ALL_FILLED, arg=TILES, polling="raf", timeout=60_000)
    ms = page.evaluate("performance.now()")  # since navigation start
    page.close()
    return ms


def soak_layouts(folder: Path, item_seconds: float) -> Path:
    """The shipped screens and a playlist of them with short items."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in SOAK_SCREENS:
        shutil.copy(ROOT / "layouts" / f"{name}.yaml", folder / f"{name}.yaml")
    items = "\n".join(f"  - {{screen: {s}, seconds: {item_seconds:g}}}" for s in SOAK_SCREENS)
    (folder / f"{SOAK_PLAYLIST}.yaml").write_text(f"kind: playlist\ntitle: Soak\nitems:\n{items}\n")
    return folder


def renderer_memory_mb() -> float:
    """The largest proportional set size of this process's Chromium renderers (a tab), in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    mine, todo = [], [os.getpid()]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            mine.append(child)
            todo.append(child)
    best = 0.0
    for pid in mine:
        try:
            if b"--type=renderer" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                best = max(best, int(line.split()[1]) / 1024)
    return best


def sample(cdp) -> dict[str, float]:
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {"heap_mb": metrics["JSHeapUsedSize"] / 2**20, "heap_total_mb": metrics["JSHeapTotalSize"] / 2**20,
            "nodes": metrics["Nodes"], "listeners": metrics["JSEventListeners"], "tab_mb": renderer_memory_mb()}


def complaints_every_second(url: str, stop: threading.Event) -> None:
    client = connect(url)
    while not stop.wait(1.0):
        now = datetime.now(UTC)
        sid = f"SOAK-{time.time_ns()}"
        client.xadd(feed_stream("lapor_banten"), Record(
            "lapor_banten", "e-pormas", sid, now, now,
            {"tracking_id": sid, "status": "diterima", "category": "Lainnya", "via": "app", "city_id": "3601"},
            "3601").encode())


def growth(first: float, last: float) -> float:
    return (last - first) / first * 100 if first else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("CC_SOAK_MINUTES", 60)))
    parser.add_argument("--renders", type=int, default=5)
    parser.add_argument("--item-seconds", type=float, default=float(os.environ.get("CC_SOAK_ITEM_SECONDS", 15)))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        layouts = soak_layouts(Path(tmp) / "layouts", args.item_seconds)
        with running_system(Path(tmp), demo_speed=5, layouts_dir=layouts) as system, chromium() as browser:
            url = f"{system.dashboard}/wall/command-center"
            print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
                  f"{platform.python_implementation()} {platform.python_version()}")
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
            page.goto(f"{system.dashboard}/wall/{SOAK_PLAYLIST}?kiosk=1")
            page.wait_for_function("() => document.getElementById('wall')?.dataset.tick")
            page.evaluate(SWITCH_PROBE)
            page.evaluate(LIVE_PROBE)
            print(f"soak: /wall/{SOAK_PLAYLIST}, {len(SOAK_SCREENS)} screens x {args.item_seconds:g} s, "
                  f"{args.minutes:g} min", flush=True)
            samples = []
            start = time.monotonic()
            minute = 0
            while minute < args.minutes:
                minute += 1
                time.sleep(max(0.0, start + minute * 60 - time.monotonic()))
                s = sample(cdp)
                s["switches"] = page.evaluate("window.__switches.length")
                s["screen"] = page.get_attribute("#wall", "data-screen")
                samples.append(s)
                print(f"minute {minute:3d}: heap {s['heap_mb']:.2f} MB (of {s['heap_total_mb']:.1f}), "
                      f"nodes {s['nodes']:.0f}, listeners {s['listeners']:.0f}, tab {s['tab_mb']:.0f} MB, "
                      f"switches {s['switches']}, on {s['screen']}", flush=True)
            stop.set()
            still_same_page = page.evaluate("window.__switches !== undefined")
            live_plays = page.evaluate("window.__livePlays")
        base = samples[4] if len(samples) >= 6 else samples[0]
        base_minute = 5 if len(samples) >= 6 else 1
        last = samples[-1]
        heap = growth(base["heap_mb"], last["heap_mb"])
        nodes = growth(base["nodes"], last["nodes"])
        tab = max(s["tab_mb"] for s in samples)
        print(f"heap after minute {base_minute}: {base['heap_mb']:.2f} MB; "
              f"after minute {minute}: {last['heap_mb']:.2f} MB; "
              f"growth {heap:+.1f} % (target < {GROWTH_TARGET_PCT:g} %)")
        if len(samples) >= 14:
            # One sample is one moment: even after a forced GC the heap swings by a few percent from
            # minute to minute. Medians of five minutes each side say whether it creeps or swings.
            early = statistics.median(s["heap_mb"] for s in samples[4:9])
            late = statistics.median(s["heap_mb"] for s in samples[-5:])
            print(f"heap, median of minutes 5-9: {early:.2f} MB; of the last 5 minutes: {late:.2f} MB; "
                  f"growth {growth(early, late):+.1f} %")
        print(f"DOM nodes {base['nodes']:.0f} -> {last['nodes']:.0f}: growth {nodes:+.1f} %; "
              f"listeners {base['listeners']:.0f} -> {last['listeners']:.0f}")
        print(f"largest tab (renderer PSS): {tab:.0f} MB (target < {TAB_TARGET_MB:g} MB); "
              f"screen switches seen: {last['switches']}; same page throughout: {still_same_page}; "
              f"camera players that reached live video: {live_plays}")
        ok = heap < GROWTH_TARGET_PCT and nodes < GROWTH_TARGET_PCT and tab < TAB_TARGET_MB and still_same_page
        print("RESULT:", "within targets" if ok else "OUTSIDE TARGETS")


if __name__ == "__main__":
    main()
