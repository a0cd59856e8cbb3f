"""Benchmark: the analysts' page's server work per change of a control (p50, p95), at the worst size the data takes.

    .venv/bin/python -m tests.bench.bench_analyst [runs=200]

The data: e-Disikap with 10 commodities in the province and all 8 kab/kota, each series the full
92 days the derive processor keeps (ingest/derive/trend.py DAYS_KEPT), written with the processor's
own `Trend`. Timed: `measure_choices` (the measure list of an application: up to 9 HKEYS in one
pipeline) and `render` (the `compare` callback's whole work: one pipelined read of one field per
chosen region, the figures, the grid rows and every leaf prop) for 2, 5 and 9 regions, over all 92
days and over the last 30. Each in-process call against an embedded Redis on this machine.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

from core.redis import EmbeddedRedis, connect
from core.regions import PROVINCE_CODE
from core.streams import app_regions, app_trend
from dashboard.analyst.analysis import REGIONS, measure_choices
from dashboard.analyst.page import View, render
from ingest.derive.trend import DAYS_KEPT, Trend

COMMODITIES = ["beras_medium", "beras_premium", "gula_pasir", "minyak_goreng", "telur_ayam", "daging_ayam",
               "daging_sapi", "cabai_merah", "cabai_rawit", "bawang_merah"]


def seed(client, today: date) -> None:
    days = [(today - timedelta(days=k)).isoformat() for k in range(DAYS_KEPT - 1, -1, -1)]
    for i, code in enumerate(REGIONS):
        trend = Trend()
        fields = {}
        for j, key in enumerate(COMMODITIES):
            for n, day in enumerate(days):
                fields.update(trend.record(day, {f"harga:{key}": 10_000 + 1_000 * j + 10 * i + n}))
        client.hset(app_trend("e-disikap", code), mapping=fields)
    names = {k: {"name": k.replace("_", " ").title()} for k in COMMODITIES}
    client.hset(app_regions("e-disikap"), PROVINCE_CODE, json.dumps({"commodities": names}))


def timed(runs: int, call) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main(runs: int) -> None:
    server = EmbeddedRedis(tempfile.mkdtemp(prefix="bench-analyst-"))
    server.start()
    try:
        client = connect(server.url, decode_responses=True)
        today = date.today()
        seed(client, today)
        print(f"e-Disikap: {len(COMMODITIES)} series x {len(REGIONS)} regions x {DAYS_KEPT} days; {runs} runs each")
        p50, p95 = timed(runs, lambda: measure_choices(client, "e-disikap", REGIONS))
        print(f"measure_choices (9 regions)           p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")
        month = (today - timedelta(days=29)).isoformat()
        for n in (2, 5, 9):
            for label, start in (("92 days", None), ("30 days", month)):
                view = View("e-disikap", "harga:cabai_rawit", REGIONS[-n:], start, None, "garis", "id")
                p50, p95 = timed(runs, lambda view=view: render(client, view))
                print(f"render {n} regions, {label:8s}           p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
