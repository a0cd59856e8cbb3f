"""Benchmark: the incident wall tile's figures (every open incident's three clocks, working days
included) for a busy province, against a plain count by state over the same incidents in the same run.

    .venv/bin/python -m tests.bench.bench_incident_figures [incidents=2000] [--no-redis]

The incidents: opened over the last 60 days, half in categories counted in working days (the
calendar walk over weekends, holidays and cuti bersama), half in hours; a third of them done. Timed,
best of 5: `figures()` (what the tile and /insiden compute on each frame) and the baseline (one pass
counting states). Also: `rebuild_all` of every incident from a 6-entry timeline in an embedded Redis.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import timedelta

from core.clock import frozen, utc_now
from core.config import load_config
from core.incidents.figures import figures
from core.incidents.lifecycle import SYSTEM_ACTOR, Actor, Incident
from core.incidents.timeline import open_incident, rebuild_all, take_step
from core.redis import EmbeddedRedis, connect
from core.streams import to_iso
from tests.support.app import ROOT


def incidents(n: int, now) -> list[Incident]:
    out = []
    for i in range(n):
        opened = now - timedelta(minutes=(i * 43) % (60 * 1440))
        state = ("baru", "diterima", "ditangani", "selesai", "ditutup", "ditugaskan")[i % 6]
        inc = Incident(id=f"INS-{i:06d}", category="pengaduan" if i % 2 else "faskes", opd="dinkes",
                       state=state, opened_at=to_iso(opened))
        if state != "baru":
            inc.acknowledged_at = to_iso(opened + timedelta(minutes=20))
        if state in ("selesai", "ditutup"):
            inc.resolved_at = to_iso(opened + timedelta(hours=30))
        out.append(inc)
    return out


def best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    write = len(sys.argv) < 3 or sys.argv[2] != "--no-redis"
    config = load_config(ROOT / "config.yaml")
    now = utc_now()
    found = incidents(n, now)
    ours = best(lambda: figures(found, config.incidents, now))
    baseline = best(lambda: {s: sum(1 for i in found if i.state == s) for s in {i.state for i in found}})
    print(f"figures() over {n} incidents: {ours * 1000:.1f} ms; plain count by state: {baseline * 1000:.2f} ms; "
          f"ratio {ours / baseline:.0f}x")
    if not write:
        return
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(tmp)
        server.start()
        try:
            r = connect(server.url, decode_responses=True)
            desk = Actor("desk", "analyst")
            t0 = time.perf_counter()
            with frozen(now - timedelta(days=3)):
                for i in range(n):
                    inc = open_incident(r, SYSTEM_ACTOR, title=f"Uji {i}", category="umum", opd="dishub")
                    for step in ("catatan", "terima", "tugaskan", "catatan", "catatan"):
                        take_step(r, desk, inc.id, step, "uji", **({"opd": "dishub"} if step == "tugaskan" else {}))
            written = time.perf_counter() - t0
            t0 = time.perf_counter()
            rebuilt = rebuild_all(r)
            took = time.perf_counter() - t0
            print(f"{n} incidents x 6 timeline entries written in {written:.1f} s ({n * 6 / written:.0f} steps/s); "
                  f"rebuild_all {took:.2f} s ({len(rebuilt)} incidents)")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
