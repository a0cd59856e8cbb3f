"""Each application's figures from records in the real source shapes, at every drill level."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from core.config import parse_config
from core.redis import connect_async
from core.streams import FIGURES_GROUP, KPI_UPDATES, Record, feed_stream
from ingest.derive.figures_processor import CONSUMER, FiguresProcessor
from ingest.derive.trend import wib_day
from ingest.feeds.bansos import parse_disbursements
from ingest.feeds.bapanas import parse_panel
from ingest.feeds.bps import parse_webapi
from ingest.feeds.cctv_listing import parse_listing
from ingest.feeds.parsing import Answer
from ingest.feeds.pihps import parse_grid
from ingest.feeds.spse import parse_spse
from ingest.feeds.yankes import parse_beds
from tests.support.figures_helpers import (
    CONFIG,
    catch_up,
    record_level,
    records_of,
    region_level,
    store,
    trend_of,
    unit_level,
)
from tests.support.paths import PAYLOADS

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)  # Saturday 10:00 WIB


def complaint(tracking_id, status, category, city, created, updated, opd=None):
    payload = {"tracking_id": tracking_id, "status": status, "category": category, "via": "app", "city_id": city,
               "judul": "Jalan rusak", "nik": "3673********0001", "opd_tujuan": opd,
               "created_at": created.isoformat(), "updated_at": updated.isoformat()}
    return Record("pormas_laporan", "e-pormas", f"{tracking_id}-{status}", updated, updated, payload, city)


async def test_pormas_open_complaints_and_breaches_per_region_category_and_opd(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    day = timedelta(days=1)
    await store(client, [
        complaint("LPR-1", "diterima", "Infrastruktur", "3673", NOW - 6 * day, NOW - 6 * day),  # both levels missed
        complaint("LPR-2", "diterima", "Infrastruktur", "3673", NOW - 2 * day, NOW - 2 * day),
        complaint("LPR-2", "didisposisi", "Infrastruktur", "3673", NOW - 2 * day, NOW - day, "Dinas PUPR"),
        complaint("LPR-3", "diterima", "Kesehatan", "3671", NOW - day, NOW - day),
        complaint("LPR-3", "selesai", "Kesehatan", "3671", NOW - day, NOW - timedelta(hours=2), "Dinas Kesehatan"),
    ])
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)

    regions = await region_level(client, "e-pormas")
    assert regions["36"]["open"] == 2 and regions["36"]["closed"] == 1 and regions["36"]["sla_breach"] == 1
    assert regions["36"]["by_category"]["Infrastruktur"] == {"open": 2, "sla_breach": 1}
    assert regions["3673"]["open"] == 2 and regions["3673"]["name"] == "Kota Serang"
    assert regions["3673"]["by_opd"]["Dinas PUPR"] == {"open": 1, "sla_breach": 0}
    assert regions["3671"]["open"] == 0
    units = await unit_level(client, "e-pormas", "3673")
    assert set(units) == {"Infrastruktur"} and units["Infrastruktur"]["sla_verifikasi"] == 1
    rows = await record_level(client, "e-pormas", "3673", "Infrastruktur")
    assert rows["LPR-2"]["status"] == "didisposisi" and rows["LPR-2"]["opd_tujuan"] == "Dinas PUPR"
    assert "nik" not in rows["LPR-2"]  # the record level is not a restricted view
    assert (await trend_of(client, "e-pormas", "36"))["open"] == {wib_day(NOW): 2}
    await client.aclose()


async def test_disikap_prices_against_reference_and_the_day_before(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    grid = json.loads((PAYLOADS / "pihps_grid.json").read_text())
    await store(client, records_of("harga_pihps", parse_grid(grid, "3673"), NOW)
                + records_of("panel_bapanas", parse_panel((PAYLOADS / "bapanas_panel.json").read_bytes()), NOW))
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)

    rice = (await record_level(client, "e-disikap", "3673", "pihps"))["beras_medium_i"]
    # The newest day (27/11) against the newest day before it with a price (25/11).
    assert rice["harga"] == 13300 and rice["harga_sebelumnya"] == 13350 and rice["tanggal"] == "2026-11-27"
    assert rice["perubahan_pct"] == round((13300 - 13350) / 13350 * 100, 2) and rice["acuan"] == 13500
    panel = await unit_level(client, "e-disikap", "3671")
    chilli = panel["panel-bapanas"]["commodities"]["cabai_rawit_merah"]
    assert chilli["harga"] == 64250 and chilli["acuan"] == 57000 and chilli["status"] == "intervensi"
    regions = await region_level(client, "e-disikap")
    assert regions["3671"]["above_reference"] == 1 and regions["36"]["above_reference"] == 1
    assert regions["36"]["commodities"]["cabai_rawit_merah"]["harga"] == 64250
    await client.aclose()


async def test_yankes_occupancy_per_ward_hospital_and_region(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    await store(client, records_of("yankes_ruang", parse_beds((PAYLOADS / "yankes_nested.json").read_bytes()), NOW))
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)

    hospital = (await unit_level(client, "e-yankes", "3673"))["3673011"]
    assert (hospital["kapasitas"], hospital["terisi"], hospital["keterisian_pct"]) == (5, 4, 80.0)
    wards = await record_level(client, "e-yankes", "3673", "3673011")
    assert wards["R02"]["keterisian_pct"] == 100.0
    regions = await region_level(client, "e-yankes")
    assert regions["36"]["keterisian_pct"] == 80.0 and regions["3673"]["ruang"] == 2
    await client.aclose()


async def test_lpse_values_savings_and_stages_per_satker(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    answers = [Answer("tender", (PAYLOADS / "spse_tender.json").read_bytes()),
               Answer("jadwal", (PAYLOADS / "spse_jadwal.json").read_bytes(), {"kd_tender": "10160021"})]
    await store(client, records_of("lpse_spse", parse_spse(answers), NOW))
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)

    pupr = (await unit_level(client, "e-lpse", "3602"))["Dinas PUPR"]
    assert pupr["nilai_kontrak"] == 5_021_000_000 and pupr["selisih"] == 129_000_000
    assert pupr["hemat_pct"] == round(129_000_000 / 5_150_000_000 * 100, 2)
    health = (await unit_level(client, "e-lpse", "36"))["Dinas Kesehatan"]
    assert health["aktif"] == 1 and health["by_tahap"] == {"Evaluasi": 1} and health["hps_aktif"] == 1_180_000_000
    tender = (await record_level(client, "e-lpse", "36", "Dinas Kesehatan"))["10160021"]
    assert set(tender["jadwal"]) == {"PENGUMUMAN_LELANG", "EVALUASI_PENAWARAN"}
    province = (await region_level(client, "e-lpse"))["36"]
    assert province["paket"] == 2 and province["hps"] == 5_150_000_000 + 1_180_000_000
    await client.aclose()


async def test_bansos_progress_per_programme_and_tahap(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    await store(client, records_of("bansos_tahap",
                                   parse_disbursements((PAYLOADS / "bansos_penyaluran.json").read_bytes()), NOW))
    later = dict(kode_kab="3601", program="PKH", tahun=2026, tahap=4, status="Sudah Tersalur", status_urutan=2,
                 target_kpm=46200, kpm_tersalur=46000)
    await store(client, [Record("bansos_tahap", "e-bansos", "x", NOW, NOW, later, "3601")])
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)

    pkh = (await unit_level(client, "e-bansos", "3601"))["PKH"]
    assert pkh["kpm_tersalur"] == 46000 and pkh["status"] == "Sudah Tersalur" and pkh["progress_pct"] == 99.6
    assert set(await record_level(client, "e-bansos", "3601", "PKH")) == {"2026-4"}
    province = (await region_level(client, "e-bansos"))["36"]
    assert province["programs"]["PKH"]["target_kpm"] == 46200
    await client.aclose()


async def test_statistik_province_is_its_own_row_and_cctv_counts_active(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    bps = json.loads((PAYLOADS / "bps_webapi.json").read_text())
    await store(client, records_of("bps_webapi", parse_webapi(bps, {519: "kemiskinan"}), NOW)
                + records_of("cctv_kamera", parse_listing((PAYLOADS / "cctv_listing.json").read_bytes()), NOW))
    off = {"id": "cctv-3673-002", "nama_lokasi": "Pasar Rau", "is_active": False, "latitude": -6.1, "longitude": 106.1}
    await store(client, [Record("cctv_kamera", "e-cctv", "y", NOW, NOW, off, "3673")])
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)

    stats = await region_level(client, "e-statistik")
    assert stats["36"]["indicators"]["kemiskinan"]["nilai"] == 5.7  # BPS's own province row, not a mean
    poverty = stats["3601"]["indicators"]["kemiskinan"]
    assert (poverty["nilai"], poverty["tahun"], poverty["periode"]) == (9.03, 2024, "September")
    assert (await unit_level(client, "e-statistik", "3601"))["kemiskinan"]["by_year"] == {"2023": 9.21, "2024": 9.03}
    cctv = await region_level(client, "e-cctv")
    assert cctv["36"]["kamera"] == 3 and cctv["36"]["aktif"] == 2 and cctv["3673"]["nonaktif"] == 1
    camera = (await unit_level(client, "e-cctv", "3673"))["cctv-3673-002"]
    assert camera["aktif"] == 0 and camera["name"] == "Pasar Rau"
    assert {f["app"] for _, f in await client.xrange(KPI_UPDATES)} >= {"e-statistik", "e-cctv"}
    await client.aclose()


async def test_a_restart_resumes_with_pending_entries_and_reloaded_rows(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    ward = {"kode_rs": "RS1", "kode_ruang": "A", "kapasitas": 10, "terisi": 5}
    await store(client, [Record("yankes_ruang", "e-yankes", "1", NOW, NOW, ward, "3673")])
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)
    # The processor reads an entry and dies before acknowledging it.
    later = NOW + timedelta(minutes=1)
    await store(client, [Record("yankes_ruang", "e-yankes", "2", later, later, dict(ward, kode_ruang="B", terisi=10),
                                "3673")])
    await client.xreadgroup(FIGURES_GROUP, CONSUMER, {feed_stream("yankes_ruang"): ">"})
    assert (await client.xpending(feed_stream("yankes_ruang"), FIGURES_GROUP))["pending"] == 1

    await catch_up(client, FiguresProcessor(CONFIG, client), later)
    hospital = (await unit_level(client, "e-yankes", "3673"))["RS1"]
    assert hospital["kapasitas"] == 20 and hospital["terisi"] == 15  # ward A reloaded, ward B from the pending entry
    assert (await client.xpending(feed_stream("yankes_ruang"), FIGURES_GROUP))["pending"] == 0
    await client.aclose()


async def test_figures_read_through_a_group_of_their_own(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    config = parse_config({"feeds": {"beds": {"kind": "http_json", "application": "e-yankes", "url": "http://x",
                                              "source_id": "id"}}})
    await store(client, [Record("beds", "e-yankes", "1", NOW, NOW,
                                {"kode_rs": "RS1", "kode_ruang": "A", "kapasitas": 4, "terisi": 1}, "3601")])
    await catch_up(client, FiguresProcessor(config, client), NOW)
    # A group of its own: sharing the headline's would split the entries between the two processors.
    groups = {g["name"]: g for g in await client.xinfo_groups(feed_stream("beds"))}
    assert set(groups) == {FIGURES_GROUP} and groups[FIGURES_GROUP]["pending"] == 0
    assert (await region_level(client, "e-yankes"))["36"]["keterisian_pct"] == 25.0
    await client.aclose()


async def test_an_odd_record_is_skipped_and_acknowledged_not_retried(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    odd = {"kode_rs": "RS1", "kode_ruang": ["A"], "kapasitas": "sepuluh", "terisi": 1}
    ward = {"kode_rs": "RS2", "kode_ruang": "A", "kapasitas": 4, "terisi": 2}
    await store(client, [Record("panel_bapanas", "e-disikap", "1", NOW, NOW,
                                {"commodity_id": "x", "rata_rata_geometrik": 1, "date": "bukan tanggal"}, "3673"),
                         Record("yankes_ruang", "e-yankes", "2", NOW, NOW, odd, "3673"),
                         Record("yankes_ruang", "e-yankes", "3", NOW, NOW, ward, "3673")])
    await catch_up(client, FiguresProcessor(CONFIG, client), NOW)
    assert set(await unit_level(client, "e-yankes", "3673")) == {"RS2"}
    assert (await client.xpending(feed_stream("panel_bapanas"), FIGURES_GROUP))["pending"] == 0
    await client.aclose()
