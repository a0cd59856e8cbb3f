"""Headline figures from real streams: aggregates per province and kab/kota, windows, restarts."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.clock import utc_now
from core.config import parse_config
from core.redis import connect_async
from core.streams import DERIVE_GROUP, KPI_UPDATES, KpiValue, Record, feed_stream, kpi
from ingest.derive.headline import CONSUMER, HeadlineProcessor

NOW = utc_now()

CONFIG = parse_config({
    "feeds": {
        "beds": {"kind": "http_json", "application": "e-yankes", "url": "http://x", "source_id": "id"},
        "lapor": {"kind": "webhook", "application": "e-pormas", "tokens": ["x" * 12], "source_id": "id"},
        "bps": {"kind": "csv", "application": "e-statistik", "url": "http://x", "source_id": "id"},
    },
    "metrics": {
        "occupancy": {"application": "e-yankes", "label": "Keterisian", "feed": "beds", "entity": ["rs", "ruang"],
                      "aggregate": "ratio", "value": ["terisi", "kapasitas"], "unit": "percent"},
        "open_complaints": {"application": "e-pormas", "label": "Pengaduan", "feed": "lapor", "entity": ["tid"],
                            "aggregate": "count", "window": "24h", "where": {"status": ["diterima", "diverifikasi"]}},
        "received_24h": {"application": "e-pormas", "label": "Pengaduan masuk 24 jam", "feed": "lapor",
                         "entity": ["tid"], "aggregate": "count", "window": "24h", "window_field": "created_at"},
        "poverty": {"application": "e-statistik", "label": "Kemiskinan", "feed": "bps", "entity": ["wil", "ind"],
                    "aggregate": "last", "value": "nilai", "where": {"ind": "kemiskinan"}, "headline_region": "36"},
    },
})


def record(feed, region, payload, minutes_ago=0):
    t = NOW - timedelta(minutes=minutes_ago)
    return Record(feed, "e-yankes", str(payload), t, NOW, payload, region).encode()


async def figure(client, metric_id) -> KpiValue:
    return KpiValue.decode(metric_id, await client.hgetall(kpi(metric_id)))


async def run_until_caught_up(client, processor_factory, streams):
    stop = asyncio.Event()
    task = asyncio.create_task(processor_factory().run(stop))
    for _ in range(100):
        await asyncio.sleep(0.05)
        groups = [await client.xinfo_groups(s) for s in streams]
        if all(g and g[0]["pending"] == 0 and g[0]["lag"] == 0 for g in groups):
            break
    stop.set()
    await task


async def test_ratios_counts_and_last_values(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    for payload, region in [({"rs": "A", "ruang": "1", "terisi": 30, "kapasitas": 40}, "3673"),
                            ({"rs": "A", "ruang": "2", "terisi": 10, "kapasitas": 10}, "3673"),
                            ({"rs": "B", "ruang": "1", "terisi": 5, "kapasitas": 50}, "3601")]:
        await client.xadd(feed_stream("beds"), record("beds", region, payload, minutes_ago=5))
    # A newer version of ward A/1 replaces the old one; an older one arriving late changes nothing.
    await client.xadd(feed_stream("beds"),
                      record("beds", "3673", {"rs": "A", "ruang": "1", "terisi": 40, "kapasitas": 40}))
    await client.xadd(feed_stream("beds"),
                      record("beds", "3673", {"rs": "A", "ruang": "1", "terisi": 0, "kapasitas": 40}, 60))
    for tid, status, age, created in [("1", "diterima", 10, 10), ("2", "selesai", 10, 60 * 20),
                                      ("3", "diverifikasi", 60 * 30, 60 * 30), ("4", "selesai", 5, 60 * 72)]:
        payload = {"tid": tid, "status": status, "created_at": (NOW - timedelta(minutes=created)).isoformat()}
        await client.xadd(feed_stream("lapor"), record("lapor", "3673", payload, age))
    for wil, ind, nilai in [("36", "kemiskinan", 5.70), ("3601", "kemiskinan", 8.9), ("3673", "kemiskinan", 5.4),
                            ("36", "pengangguran", 6.68)]:
        await client.xadd(feed_stream("bps"), record("bps", wil, {"wil": wil, "ind": ind, "nilai": nilai}))

    await run_until_caught_up(client, lambda: HeadlineProcessor(CONFIG, client),
                              [feed_stream(f) for f in ("beds", "lapor", "bps")])

    occupancy = await figure(client, "occupancy")
    assert round(occupancy.value, 2) == 55.0  # (40 + 10 + 5) / (40 + 10 + 50)
    assert occupancy.regions == {"3673": 100.0, "3601": 10.0} and occupancy.entities == 3
    complaints = await figure(client, "open_complaints")
    assert complaints.value == 1  # "selesai" is done; the 30-hour-old one is outside the window
    # Received in the last 24 h: by creation time, so the 3-day-old complaint closed 5 minutes ago is not new.
    received = await figure(client, "received_24h")
    assert received.value == 2 and received.regions == {"3673": 2.0}
    poverty = await figure(client, "poverty")
    assert poverty.value == 5.70 and poverty.regions == {"3601": 8.9, "3673": 5.4}
    updates = {f["metric"] for _, f in await client.xrange(KPI_UPDATES)}
    assert updates == {"occupancy", "open_complaints", "received_24h", "poverty"}
    await client.aclose()


async def test_a_restart_resumes_with_unacknowledged_entries(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    await client.xadd(feed_stream("beds"),
                      record("beds", "3673", {"rs": "A", "ruang": "1", "terisi": 1, "kapasitas": 4}))
    await run_until_caught_up(client, lambda: HeadlineProcessor(CONFIG, client), [feed_stream("beds")])
    # The processor reads an entry and dies before acknowledging it.
    await client.xadd(feed_stream("beds"),
                      record("beds", "3601", {"rs": "B", "ruang": "1", "terisi": 3, "kapasitas": 4}))
    await client.xreadgroup(DERIVE_GROUP, CONSUMER, {feed_stream("beds"): ">"})
    assert (await client.xinfo_groups(feed_stream("beds")))[0]["pending"] == 1

    await run_until_caught_up(client, lambda: HeadlineProcessor(CONFIG, client), [feed_stream("beds")])
    occupancy = await figure(client, "occupancy")
    assert occupancy.value == 50.0 and occupancy.entities == 2  # the first entity was reloaded, the pending one applied
    await client.aclose()


async def test_a_figure_without_any_data_is_no_data_not_zero(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    await run_until_caught_up(client, lambda: HeadlineProcessor(CONFIG, client), [feed_stream("lapor")])
    complaints = await figure(client, "open_complaints")
    assert complaints.value is None and complaints.updated is None
    await client.aclose()
