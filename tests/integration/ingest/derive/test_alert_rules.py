"""Alert rules: each condition is raised once, resolved once when it ends, and can be acknowledged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.alerts import Alert, acknowledge, acknowledgement
from core.config import ConfigError, parse_config
from core.redis import connect_async
from core.streams import ALERTS, Record, active_alerts
from ingest.derive.figures_processor import FiguresProcessor
from tests.support.figures_helpers import CONFIG, catch_up, store

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # Wednesday 10:00 WIB


async def alert_entries(client, alert_id):
    return [(f["state"], f) for _, f in await client.xrange(ALERTS) if f.get("alert_id") == alert_id]


def price(city, commodity, day, value, reference=None, at=NOW):
    payload = {"date": day, "city_id": city, "commodity_id": commodity,
               "commodity_name": commodity.replace("_", " ").title(),
               "rata_rata_geometrik": value, "hpp_hap": reference}
    return Record("panel_bapanas", "e-disikap", f"{city}-{commodity}-{day}-{value}", at, at, payload, city)


async def test_price_up_day_on_day_is_raised_once_and_resolved_the_next_day(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    processor = FiguresProcessor(CONFIG, client)
    await store(client, [price("3673", "cabai_rawit_merah", "2026-11-23", 70000),
                         price("3673", "cabai_rawit_merah", "2026-11-24", 85000)])
    await catch_up(client, processor, NOW)
    alert_id = "price_day_on_day:3673:panel-bapanas:cabai_rawit_merah:2026-11-24"
    [(state, entry)] = await alert_entries(client, alert_id)
    assert state == "raised" and entry["severity"] == "warning" and entry["kind"] == "price"
    assert entry["message"] == "Harga cabai rawit merah di Kota Serang Rp 85.000/kg, 21,4 % di atas kemarin"
    assert entry["region"] == "3673" and entry["source"] == "e-disikap" and entry["at"].endswith("Z")

    # The same price again (a re-poll) raises nothing new; the next day's small change ends the condition.
    await store(client, [price("3673", "cabai_rawit_merah", "2026-11-24", 85000, at=NOW + timedelta(minutes=5))])
    await catch_up(client, processor, NOW, started=True)
    assert [s for s, _ in await alert_entries(client, alert_id)] == ["raised"]
    await store(client, [price("3673", "cabai_rawit_merah", "2026-11-25", 86000, at=NOW + timedelta(hours=1))])
    await catch_up(client, processor, NOW, started=True)
    assert [s for s, _ in await alert_entries(client, alert_id)] == ["raised", "resolved"]
    assert not await client.hexists(active_alerts(), alert_id)
    await client.aclose()


async def test_price_above_reference_survives_a_restart_without_a_second_raise(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    await store(client, [price("3671", "beras_medium", "2026-11-25", 14200, 13500)])
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)  # a restart judges the same figures again
    alert_id = "price_above_reference:3671:panel-bapanas:beras_medium"
    entries = await alert_entries(client, alert_id)
    assert [s for s, _ in entries] == ["raised"]
    assert "Rp 14.200/kg, 5,2 % di atas harga acuan Rp 13.500/kg" in entries[0][1]["message"]
    await client.aclose()


async def test_complaint_past_its_service_level_is_raised_by_the_clock_and_resolved_when_done(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    created = NOW - timedelta(days=1)
    payload = {"tracking_id": "LPR-9", "status": "diterima", "category": "Sosial", "city_id": "3601",
               "created_at": created.isoformat(), "updated_at": created.isoformat()}
    await store(client, [Record("pormas_laporan", "e-pormas", "LPR-9-diterima", created, created, payload, "3601")])
    processor = await catch_up(client, FiguresProcessor(CONFIG, client), NOW)
    assert await client.xlen(ALERTS) == 0

    # Received Tuesday 10:00 WIB: 3 working days end Friday 10:00; nothing new arrives meanwhile.
    await processor.sweep(datetime(2026, 11, 27, 4, 0, tzinfo=UTC))
    await processor.sweep(datetime(2026, 11, 27, 5, 0, tzinfo=UTC))
    alert_id = "complaint_sla:LPR-9:verifikasi"
    [(state, entry)] = await alert_entries(client, alert_id)
    assert state == "raised" and entry["unit"] == "Sosial"
    assert entry["message"] == "Pengaduan LPR-9 (Sosial) di Kabupaten Pandeglang belum diverifikasi lewat 3 hari kerja"

    done = dict(payload, status="selesai", updated_at=NOW.isoformat())
    await store(client, [Record("pormas_laporan", "e-pormas", "LPR-9-selesai", NOW, NOW, done, "3601")])
    await catch_up(client, processor, datetime(2026, 11, 27, 6, 0, tzinfo=UTC), started=True)
    assert [s for s, _ in await alert_entries(client, alert_id)] == ["raised", "resolved"]
    await client.aclose()


async def test_bed_occupancy_at_the_threshold_raises_once(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    ward = {"kode_rs": "RS7", "nama_rs": "RSUD Banten", "kode_ruang": "ICU", "kapasitas": 10, "terisi": 9}
    await store(client, [Record("yankes_ruang", "e-yankes", "1", NOW, NOW, ward, "3673"),
                         Record("yankes_ruang", "e-yankes", "2", NOW + timedelta(seconds=1), NOW,
                                dict(ward, terisi=10), "3673")])
    processor = await catch_up(client, FiguresProcessor(CONFIG, client), NOW)
    [(state, entry)] = await alert_entries(client, "bed_occupancy:RS7")
    assert entry["severity"] == "critical"
    assert entry["message"] == "Keterisian tempat tidur RSUD Banten (Kota Serang) 100 %, mencapai ambang 90 %"
    later = NOW + timedelta(minutes=1)
    await store(client, [Record("yankes_ruang", "e-yankes", "3", later, later, dict(ward, terisi=6), "3673")])
    await catch_up(client, processor, later, started=True)
    assert [s for s, _ in await alert_entries(client, "bed_occupancy:RS7")] == ["raised", "resolved"]
    await client.aclose()


async def test_tender_stage_overdue_while_still_in_that_stage(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    tender = {"record_type": "tender", "kd_tender": "T1", "nama_paket": "Ambulans", "nama_satker": "Dinas Kesehatan",
              "status_tender": "Aktif", "nama_tahapan": "Evaluasi", "hps": 1e9,
              "tgl_update": "2026-11-20T08:00:00+07:00"}
    stage = {"record_type": "jadwal", "kd_tender": "T1", "kd_tahapan": "EVALUASI_PENAWARAN", "nama_tahapan": "Evaluasi",
             "tgl_awal": "2026-11-20T08:00:00+07:00", "tgl_akhir": "2026-11-23T16:00:00+07:00"}
    # The schedule arrives before its tender: it waits for it.
    await store(client, [Record("lpse_spse", "e-lpse", "j", NOW, NOW, stage, "36"),
                         Record("lpse_spse", "e-lpse", "t", NOW, NOW, tender, "36")])
    processor = await catch_up(client, FiguresProcessor(CONFIG, client), NOW)
    alert_id = "tender_stage_overdue:T1:EVALUASI_PENAWARAN"
    [(state, entry)] = await alert_entries(client, alert_id)  # ended Monday 16:00 + 1 day grace < Wednesday
    assert "masih di tahap Evaluasi, jadwal berakhir 23/11/2026 16:00 WIB" in entry["message"]
    moved = dict(tender, nama_tahapan="Pembuktian Kualifikasi", tgl_update="2026-11-25T09:00:00+07:00")
    await store(client, [Record("lpse_spse", "e-lpse", "t2", NOW, NOW, moved, "36")])
    await catch_up(client, processor, NOW, started=True)
    assert [s for s, _ in await alert_entries(client, alert_id)] == ["raised", "resolved"]
    await client.aclose()


async def test_acknowledging_keeps_who_and_when(redis_url, r):
    client = connect_async(redis_url, decode_responses=True)
    await store(client, [price("3671", "beras_medium", "2026-11-25", 14200, 13500)])
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)
    alert_id = "price_above_reference:3671:panel-bapanas:beras_medium"

    ack = acknowledge(r, alert_id, "operator.disperindag", "sudah dikoordinasikan dengan pasar")
    kept = acknowledgement(r, alert_id)
    assert kept == ack and kept["who"] == "operator.disperindag" and kept["at"].endswith("Z")
    assert kept["note"] == "sudah dikoordinasikan dengan pasar"
    states = [f["state"] for _, f in r.xrange(ALERTS) if f.get("alert_id") == alert_id]
    assert states == ["raised", "acknowledged"]
    assert Alert.decode(r.hget(active_alerts(), alert_id)).region == "3671"  # still active until it ends
    with pytest.raises(KeyError):
        acknowledge(r, "no-such-alert", "operator")
    await client.aclose()


def test_mistakes_in_the_alert_rules_come_with_their_path():
    with pytest.raises(ConfigError) as caught:
        parse_config({"alerts": {"price": {"day_on_day": 20, "severity": "loud"},
                                 "bed_occupancy": {"threshold_pct": 120}, "tender_stage_overdue": {"grace": "soon"}}})
    paths = {p.path: p.message for p in caught.value.problems}
    assert paths["alerts.price.day_on_day"] == "unknown key"
    assert paths["alerts.price.severity"].startswith("must be one of")
    assert paths["alerts.bed_occupancy.threshold_pct"].startswith("must be <= 100")
    assert "not a duration" in paths["alerts.tender_stage_overdue.grace"]
