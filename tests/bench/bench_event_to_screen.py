"""Event-to-screen latency, from the agency's side: a webhook POST to the new value in a real browser.

    .venv/bin/python tests/bench/bench_event_to_screen.py [--events 40] [--walls 1 10] [--gap 0.6]

The whole system runs as `run.py all` (demo agencies off, so only our events move the figures).
Each event is one new complaint POSTed to the e-Pormas webhook (`/ingest/lapor_banten`, as the
agency's system sends it); it passes the webhook intake, the derive processors, the figure hashes
and `cc:kpi-updates`, the dashboard's one Redis reader (the live hub), the page's push and the
WebSocket, and every screen shows the open-complaint count one higher:

- the application page `/app/e-pormas` (its headline figures),
- the governor's screen (`#gov-app-e-pormas-value`),
- the command-center wall's "Pengaduan 24 jam" tile, with 1 and with 10 walls open.

A MutationObserver in each page stamps the moment the shown text changes (Date.now(), the same
clock as the POST's time.time()). Targets (p95): application page and governor's screen < 250 ms,
one wall < 100 ms, ten walls < 250 ms.
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

from tests.support.system import chromium, running_system  # noqa: E402

# (name, path, the element whose text shows the e-Pormas count, target p95 in ms)
SCREENS = {
    "application page": ("/app/e-pormas", "#app-stat-value-0", 250),
    "governor's screen": ("/screen/governor", "#gov-app-e-pormas-value", 250),
    "wall": ("/wall/command-center", '[data-tile="pengaduan"] .tile-value', None),
}
WALL_TARGETS = {1: 100, 10: 250}

OBSERVE = """(selector) => {
    const el = document.querySelector(selector);
    window.__changes = [];
    let last = el.textContent;
    new MutationObserver(() => {
        if (el.textContent !== last) { last = el.textContent; window.__changes.push([Date.now(), last]); }
    }).observe(el, {attributes: true, childList: true, characterData: true, subtree: true});
}"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def complaint(n: int) -> dict:
    """One new complaint as the agency's system posts it (a new tracking id: one more open complaint)."""
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return {"tracking_id": f"BENCH-{n}-{time.time_ns()}", "status": "diterima", "category": "Lainnya",
            "via": "app", "city_id": "3673", "created_at": now, "updated_at": now}


def open_pages(system, browser, path: str, selector: str, count: int) -> list:
    pages = []
    for _ in range(count):
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{system.dashboard}{path}")
        page.wait_for_function("(s) => { const e = document.querySelector(s); return e && /\\d/.test(e.textContent); }",
                               arg=selector, timeout=60_000)
        pages.append(page)
    time.sleep(2)  # every page's push has started
    for page in pages:
        page.evaluate(OBSERVE, selector)
    return pages


def measure(system, pages: list, events: int, gap: float) -> list[float]:
    latencies: list[float] = []
    for i in range(1, events + 1):
        counts = [page.evaluate("() => window.__changes.length") for page in pages]
        sent = time.time() * 1000
        status, _ = system.post_webhook("lapor_banten", complaint(i))
        if status >= 300:
            raise RuntimeError(f"the webhook answered {status}")
        deadline = time.monotonic() + 5
        for page, before in zip(pages, counts, strict=True):
            seen = None
            while seen is None and time.monotonic() < deadline:
                changes = page.evaluate("(n) => window.__changes.slice(n)", before)
                seen = next((at for at, _ in changes if at >= sent), None)
                if seen is None:
                    time.sleep(0.01)
            if seen is None:
                print(f"event {i}: a page did not change within 5 s", file=sys.stderr)
            else:
                latencies.append(seen - sent)
        time.sleep(gap)
    for page in pages:
        page.close()
    return latencies


def report(name: str, lat: list[float], target: float | None) -> None:
    if not lat:
        print(f"{name}: no change seen")
        return
    verdict = ""
    if target is not None:
        verdict = (" ok" if percentile(lat, 95) < target else " OVER") + f" (target p95 < {target} ms)"
    print(f"{name}: n={len(lat)} p50 {statistics.median(lat):.0f} ms, p95 {percentile(lat, 95):.0f} ms, "
          f"max {max(lat):.0f} ms{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--walls", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--gap", type=float, default=0.6, help="seconds between events (more than 1/push_rate)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_system(Path(tmp), demo=False) as system, \
            chromium(role="admin") as browser:
        print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
              f"{args.events} events per run, {args.gap} s apart")
        # A first complaint, so that every screen shows a number to count up from.
        system.post_webhook("lapor_banten", complaint(0))
        time.sleep(2)
        for name in ("application page", "governor's screen"):
            path, selector, target = SCREENS[name]
            report(name, measure(system, open_pages(system, browser, path, selector, 1), args.events, args.gap),
                   target)
        path, selector, _ = SCREENS["wall"]
        for walls in args.walls:
            lat = measure(system, open_pages(system, browser, path, selector, walls), args.events, args.gap)
            report(f"{walls} wall(s)", lat, WALL_TARGETS.get(walls))


if __name__ == "__main__":
    main()
