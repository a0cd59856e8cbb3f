"""Ingest throughput of a JSON feed against raw pipelined XADD of the same records, in one run.

    .venv/bin/python tests/bench/bench_ingest_throughput.py [--records 50000]

Ours: parse the JSON payload, validate and type every row, mask, build the envelope, dedup and
XADD (StreamWriter). Baseline: redis-py pipelined XADD (1,000 a round trip) of the already-encoded
envelopes, no parsing or checks. Target: ours at least half the baseline rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.config import parse_config  # noqa: E402
from core.redis import EmbeddedRedis, connect, connect_async  # noqa: E402
from core.streams import feed_stream  # noqa: E402
from ingest.feeds.http_json import parse_json, records_at  # noqa: E402
from ingest.health import HealthTracker  # noqa: E402
from ingest.intake import Intake  # noqa: E402
from ingest.records import RecordBuilder  # noqa: E402
from ingest.writer import StreamWriter  # noqa: E402

CITIES = ["3601", "3602", "3603", "3604", "3671", "3672", "3673", "3674"]
COMMODITIES = ["beras_medium", "cabai_rawit_merah", "bawang_merah", "telur_ayam", "gula_pasir"]


def payload(n: int) -> bytes:
    """A panel-harga answer with n distinct rows (prices as the source writes them)."""
    start = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=7)))
    rows = [{"date": (start + timedelta(minutes=i)).isoformat(), "province_id": "36", "city_id": CITIES[i % 8],
             "commodity_id": COMMODITIES[i % 5], "commodity_name": "Beras Medium",
             "rata_rata_geometrik": f"{13000 + i % 900:,}", "hpp_hap": 13500, "status": "aman"} for i in range(n)]
    return json.dumps({"data": rows}).encode()


CONFIG = parse_config({"feeds": {"panel_harga": {
    "kind": "http_json", "application": "e-disikap", "url": "http://x", "records": "data",
    "source_id": "{city_id}-{commodity_id}-{date}", "region": "city_id", "event_time": "date",
    "fields": {"commodity_id": "text", "rata_rata_geometrik": "number", "hpp_hap": "number"}}},
    "retention": {"default": {"maxlen": 10_000_000}}})


async def ours(url: str, raw: bytes) -> float:
    client = connect_async(url)
    feed = CONFIG.feeds["panel_harga"]
    intake = Intake("panel_harga", RecordBuilder("panel_harga", feed), StreamWriter(client, CONFIG),
                    HealthTracker(client, "panel_harga", "Panel harga", 300))
    t0 = time.perf_counter()
    rows = records_at(parse_json(raw), "data")
    result = await intake.take(rows)
    elapsed = time.perf_counter() - t0
    assert result.accepted == len(rows), result
    await client.aclose()
    return elapsed


def baseline(url: str, raw: bytes) -> float:
    """Raw pipelined XADD of the same envelopes, encoded before the clock starts."""
    builder = RecordBuilder("panel_harga", CONFIG.feeds["panel_harga"])
    now = datetime.now(UTC)
    encoded = [builder.build(row, now).encode() for row in records_at(parse_json(raw), "data")]
    client = connect(url)
    t0 = time.perf_counter()
    pipe = client.pipeline(transaction=False)
    for i, fields in enumerate(encoded, 1):
        pipe.xadd("bench:raw", fields)
        if i % 1000 == 0:
            pipe.execute()
    pipe.execute()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    raw = payload(args.records)
    with EmbeddedRedis(Path("/tmp") / f"bench-redis-{time.time_ns()}") as server:
        ours_t, base_t = [], []
        for _ in range(args.rounds):
            connect(server.url).flushall()
            base_t.append(baseline(server.url, raw))
            connect(server.url).flushall()
            ours_t.append(asyncio.run(ours(server.url, raw)))
            assert connect(server.url).xlen(feed_stream("panel_harga")) == args.records
    ours_rate, base_rate = args.records / min(ours_t), args.records / min(base_t)
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {args.records} records, best of {args.rounds}")
    print(f"baseline raw pipelined XADD: {base_rate:,.0f} records/s")
    print(f"ours (parse+validate+mask+envelope+dedup+XADD): {ours_rate:,.0f} records/s")
    print(f"ratio ours/baseline: {ours_rate / base_rate:.2f} (target >= 0.50)")


if __name__ == "__main__":
    main()
