"""e-pormas: complaints pushed to the ingest webhook with its token, moving through the LAPOR! flow."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict
from datetime import datetime, timedelta

from core.regions import KABKOTA
from ingest.demo.clock import iso, service_rng
from ingest.demo.pormas import CHANNELS, FLOW, TOPICS, Pormas
from tests.support.demo import TOKEN, FakeIngest, feed_problems, start_demo, wait_for
from tests.support.ports import free_port_block


def _statuses(records: list[dict]) -> dict[str, list[str]]:
    seen = defaultdict(list)
    for record in records:
        seen[record["tracking_id"]].append(record["status"])
    return seen


async def test_complaints_arrive_with_the_bearer_token_and_the_fields_the_feed_needs(demo, ingest):
    await wait_for(lambda: len(ingest.records) >= 80)
    assert {auth for auth, _ in ingest.requests} == {f"Bearer {TOKEN}"}
    feed = demo.config.feeds["lapor_banten"]
    for record in ingest.records:
        assert feed_problems(feed, record) == [], record
        assert re.fullmatch(r"LPR-\d{4}-\d{6}", record["tracking_id"])
        assert record["status"] in FLOW
        assert record["category"] in TOPICS and record["via"] in CHANNELS
        assert record["city_id"] in KABKOTA
        assert re.fullmatch(r"\d{16}", record["nik"]) and record["nik"].startswith(record["city_id"])
        assert re.fullmatch(r"08\d{9,10}", record["telepon"])
        assert record["judul"] and record["isi"] and record["nama_pelapor"]
        # Only a disposition names the OPD that must act.
        assigned = FLOW.index(record["status"]) >= FLOW.index("didisposisi")
        assert (record["opd_tujuan"] is not None) == assigned
        assert record["created_at"] <= record["updated_at"]


async def test_each_complaint_moves_forward_through_the_flow(demo, ingest):
    await wait_for(lambda: any(len(s) >= 3 for s in _statuses(ingest.records).values()), timeout=8)
    for tracking_id, statuses in _statuses(ingest.records).items():
        steps = [FLOW.index(s) for s in statuses]
        assert steps == sorted(steps) and len(set(steps)) == len(steps), (tracking_id, statuses)
    # The first push carries the last 24 hours, some of it already closed.
    assert any(r["status"] == "selesai" for r in ingest.records)


def test_complaints_come_from_all_kabkota_weighted_by_population(clock):
    pormas = Pormas(clock, service_rng("e-pormas"), history=0)
    cities = defaultdict(int)
    categories = defaultdict(int)
    for _ in range(2000):
        complaint = pormas.new_complaint()
        cities[complaint.city_id] += 1
        categories[complaint.category] += 1
    assert set(cities) == set(KABKOTA)
    assert cities["3603"] > 4 * cities["3672"]  # Kab. Tangerang has seven times Cilegon's people
    assert max(categories, key=categories.get) == "Infrastruktur"


async def test_pull_api_gives_the_latest_state_and_filters_by_since(demo):
    records = (await demo.json("e-pormas", "/api/laporan"))["data"]
    assert len(records) >= 40 and len({r["tracking_id"] for r in records}) == len(records)
    middle = records[len(records) // 2]["updated_at"]
    later = (await demo.json("e-pormas", "/api/laporan", since=middle))["data"]
    assert later and all(r["updated_at"] >= middle for r in later) and len(later) < len(records)
    # An unencoded '+' of the offset arrives as a space; it still means +07:00.
    raw = await demo.session.get(demo.url("e-pormas", f"/api/laporan?since={middle}"))
    assert [r["tracking_id"] for r in (await raw.json())["data"]][:5] == [r["tracking_id"] for r in later][:5]
    assert (await demo.get("e-pormas", "/api/laporan", since="yesterday")).status == 400


async def test_complaints_wait_while_the_ingest_is_down_and_arrive_when_it_is_up(caplog):
    caplog.set_level(logging.INFO, logger="ingest.demo.webhook_sender")
    port = free_port_block(1)
    run, stop, task = await start_demo(port)
    receiver = None
    try:
        await asyncio.sleep(0.6)  # nothing listens yet: every push fails
        receiver = await FakeIngest().start(port)
        await wait_for(lambda: len(receiver.records) >= 40, timeout=5)
    finally:
        # The demo stops before its receiver does: a push cut off by the receiver going away would
        # be a second, real "cannot deliver".
        stop.set()
        await asyncio.wait_for(task, 5)
        await run.session.close()
        if receiver is not None:
            await receiver.stop()
    messages = [r.getMessage() for r in caplog.records]
    assert sum("cannot deliver" in m for m in messages) == 1
    assert sum("delivering again" in m for m in messages) == 1
    # Backlogged records go as lists, in order.
    assert any(isinstance(body, list) for _, body in receiver.requests)


def test_history_is_numbered_in_order_and_spans_a_day(clock):
    pormas = Pormas(clock, service_rng("e-pormas"))
    records = sorted(pormas.records(), key=lambda r: r["created_at"])
    assert len(records) == 40
    numbers = [int(r["tracking_id"].rsplit("-", 1)[1]) for r in records]
    assert numbers == sorted(numbers)
    assert records[0]["created_at"] >= iso(clock.now() - timedelta(hours=24))
    assert len({r["status"] for r in records}) >= 3  # older ones have moved on, recent ones not yet


def test_status_moves_set_updated_at_and_stop_at_selesai(clock):
    pormas = Pormas(clock, service_rng("e-pormas"), history=0)
    complaint = pormas.new_complaint()
    assert complaint.status == "diterima" and complaint.tracking_id in pormas.open
    for expected in FLOW[1:]:
        clock.advance(60)
        pormas.advance(complaint)
        assert complaint.status == expected
        assert complaint.record()["updated_at"] == iso(clock.now())
    clock.advance(60)
    pormas.advance(complaint)
    assert complaint.status == "selesai" and complaint.tracking_id not in pormas.open
    assert complaint.record()["updated_at"] != iso(clock.now())
    assert datetime.fromisoformat(complaint.record()["created_at"]) < clock.now()
