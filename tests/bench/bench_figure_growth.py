"""Does a complaint cost more on a disaster day? Event to screen and derive CPU at 100, 10,000, 100,000.

    .venv/bin/python -m tests.bench.bench_figure_growth [--sizes 100 10000 100000] [--events 50]

The whole system runs as `run.py all` (demo agencies off). The 24-hour window of "Pengaduan 24 jam"
is filled through the LAPOR! webhook (1,000 complaints per POST, most of them in one category of one
kab/kota, as in a flood) to each size in turn. At each size, complaints are POSTed one at a time to
the webhook; a MutationObserver in one wall in Chromium stamps the moment the tile shows the count
one higher (Date.now(), the same clock as the POST's). Derive CPU per record is the derive
process's own CPU time (/proc) over those complaints, divided by their number.
Targets: p95 at the largest size within 1.5x of the p95 at the smallest, and under 100 ms; derive
CPU per record within 1.5x from the smallest to the largest size.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.clock import monotonic, timestamp, utc_now  # noqa: E402
from core.redis import connect  # noqa: E402
from core.streams import DERIVE_GROUP, FIGURES_GROUP, KpiValue, feed_stream, kpi, to_iso  # noqa: E402
from tests.bench.bench_event_to_screen import OBSERVE, percentile  # noqa: E402
from tests.support.system import chromium, running_system  # noqa: E402

FEED = "lapor_banten"
TILE = '[data-tile="pengaduan"] .tile-value'
REGIONS = ["3601", "3602", "3603", "3604", "3671", "3672", "3674"]
FILL_BATCH = 1_000


def complaint(n: int, prefix: str) -> dict:
    """A new complaint as LAPOR! pushes it: most of a flood's land in one category of one kab/kota."""
    now = to_iso(utc_now())
    flood = n % 10 < 8
    return {"tracking_id": f"{prefix}{n}", "status": "diterima", "category": "Bencana Alam" if flood else "Jalan",
            "via": "app", "city_id": "3673" if flood else REGIONS[n % len(REGIONS)],
            "created_at": now, "updated_at": now}


def derive_pid(config_path: Path) -> int:
    """The `run.py derive` child of this system."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                args = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"derive" in args and str(config_path).encode() in args:
                return int(entry)
    raise RuntimeError("no derive process")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def caught_up(client, size: int, timeout: float = 600) -> None:
    """Wait until both derive groups have taken every entry and the figure counts `size` complaints."""
    deadline = monotonic() + timeout
    while monotonic() < deadline:
        groups = {g["name"]: g for g in client.xinfo_groups(feed_stream(FEED))}
        done = all(g["pending"] == 0 and g["lag"] == 0 for n, g in groups.items() if n in (DERIVE_GROUP, FIGURES_GROUP))
        if done and KpiValue.decode("pengaduan_24j", client.hgetall(kpi("pengaduan_24j"))).entities >= size:
            return
        time.sleep(0.2)
    raise RuntimeError(f"derive did not catch up with {size} complaints in {timeout} s")


def fill(system, client, have: int, size: int) -> float:
    started = monotonic()
    for start in range(have, size, FILL_BATCH):
        batch = [complaint(n, "FILL-") for n in range(start, min(size, start + FILL_BATCH))]
        status, answer = system.post_webhook(FEED, batch)
        if status not in (200, 202):
            raise RuntimeError(f"webhook answered {status}: {answer}")
    caught_up(client, size)
    # The bulk load makes Redis rewrite its append-only file; measure the complaints after it, not it.
    while int(client.info("persistence").get("aof_rewrite_in_progress", 0)):
        time.sleep(0.2)
    return monotonic() - started


def measure(system, page, client, pid: int, events: int, gap: float, serial: int) -> tuple[list[float], float]:
    base = float(page.evaluate(f"document.querySelector('{TILE}').getAttribute('data-value') || '0'") or 0)
    latencies, cpu_before = [], cpu_seconds(pid)
    for i in range(1, events + 1):
        body = complaint(serial + i, "EVENT-")
        sent = timestamp() * 1000
        status, answer = system.post_webhook(FEED, body)
        if status not in (200, 202):
            raise RuntimeError(f"webhook answered {status}: {answer}")
        expected, deadline = repr(base + i), monotonic() + 5
        while (seen := page.evaluate("(v) => window.__seen[v]", expected)) is None and monotonic() < deadline:
            time.sleep(0.005)
        if seen:
            latencies.append(seen - sent)
            if seen - sent > 100:
                print(f"  event {i}: {seen - sent:.0f} ms (at {timestamp():.1f})", file=sys.stderr, flush=True)
        else:
            print(f"event {i}: the wall did not show {expected} within 5 s", file=sys.stderr)
        time.sleep(gap)
    return latencies, (cpu_seconds(pid) - cpu_before) / events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--gap", type=float, default=0.5,
                        help="seconds between complaints (more than 1/push_rate: a tile takes 4 updates a second)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_system(Path(tmp), demo=False) as system, chromium() as browser:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
              f"{platform.python_version()}; load average at start {os.getloadavg()[0]:.2f}")
        client = connect(system.redis.url, decode_responses=True)
        pid = derive_pid(system.config_path)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{system.dashboard}/wall/command-center")
        page.wait_for_selector(TILE, state="attached")
        time.sleep(3)  # let the wall's push channel settle
        page.evaluate(OBSERVE)
        have, results = 0, {}
        for n, size in enumerate(sorted(args.sizes)):
            took = fill(system, client, have, size)
            time.sleep(3)
            latencies, cpu = measure(system, page, client, pid, args.events, args.gap, n * args.events)
            have = size + args.events
            results[size] = (latencies, cpu)
            print(f"{size:7d} complaints in the window (filled in {took:.1f} s): n={len(latencies)} "
                  f"p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 95):.0f} ms, "
                  f"max {max(latencies):.0f} ms; derive CPU {cpu * 1000:.2f} ms per complaint; "
                  f"load {os.getloadavg()[0]:.2f}", flush=True)
        small, large = results[min(results)], results[max(results)]
        p95_ratio = percentile(large[0], 95) / percentile(small[0], 95)
        print(f"p95 {max(results)} / {min(results)}: {p95_ratio:.2f}x (target <= 1.5x, and p95 < 100 ms); "
              f"derive CPU per complaint {max(results)} / {min(results)}: {large[1] / small[1]:.2f}x (target <= 1.5x)")
        client.close()


if __name__ == "__main__":
    main()
