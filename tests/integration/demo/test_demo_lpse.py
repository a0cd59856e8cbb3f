"""e-lpse: the last twelve months' tenders (ISB shape) with their schedules; HPS about Rp 2 billion, 2-3 % savings."""

from __future__ import annotations

import asyncio
import statistics

from core.clock import wib_now, wib_today
from ingest.demo.clock import iso, service_rng
from ingest.demo.lpse import STAGES, Lpse
from tests.support.demo import ISO_WIB

STAGE_NAMES = [name for _, name, _ in STAGES]


async def test_tender_listing_is_a_top_level_list_with_the_isb_fields(demo):
    tenders = await demo.json("e-lpse", "/isb/tender")
    assert isinstance(tenders, list) and tenders
    this_year = wib_today().year
    for tender in tenders:
        assert tender["status_tender"] in ("Aktif", "Selesai", "Gagal")
        assert tender["nama_tahapan"] in STAGE_NAMES
        assert tender["sumber_dana"] == "APBD" and tender["tahun_anggaran"] in (this_year - 1, this_year)
        assert str(tender["tahun_anggaran"]) == tender["tgl_pengumuman_tender"][:4]  # the year it was announced
        assert tender["pagu"] >= tender["hps"] >= 200_000_000
        assert ISO_WIB.match(tender["tgl_pengumuman_tender"]) and ISO_WIB.match(tender["tgl_update"])
        done = tender["status_tender"] == "Selesai"
        assert (tender["nilai_kontrak"] is not None) == done == (tender["nama_penyedia"] is not None)
        if done:
            assert tender["nilai_kontrak"] < tender["hps"]
        assert tender["nama_paket"] and tender["nama_satker"] and tender["kd_rup"].isdigit()


async def test_schedule_of_a_tender(demo):
    for _ in range(40):
        tenders = await demo.json("e-lpse", "/isb/tender")
        active = next((t for t in tenders if t["status_tender"] == "Aktif"), None)
        if active:
            break
        await asyncio.sleep(0.05)
    schedule = await demo.json("e-lpse", "/isb/jadwal", kd_tender=active["kd_tender"])
    assert [s["nama_tahapan"] for s in schedule] == STAGE_NAMES
    assert all(s["kd_tender"] == active["kd_tender"] and s["tgl_awal"] <= s["tgl_akhir"] for s in schedule)
    assert all(a["tgl_akhir"] <= b["tgl_awal"] for a, b in zip(schedule, schedule[1:]))
    current = schedule[STAGE_NAMES.index(active["nama_tahapan"])]
    assert current["tgl_awal"] <= iso(wib_now()) < current["tgl_akhir"]
    assert (await demo.get("e-lpse", "/isb/jadwal")).status == 400
    assert await demo.json("e-lpse", "/isb/jadwal", kd_tender="1") == []


def test_a_year_of_tenders_has_realistic_values(clock):
    tenders = Lpse(clock, service_rng("e-lpse")).records()
    assert 500 <= len(tenders) <= 560  # 500-650 a year, on any date
    hps = [t["hps"] for t in tenders]
    assert 1.5e9 <= statistics.mean(hps) <= 2.6e9 and statistics.median(hps) < statistics.mean(hps)
    assert 0.7e12 <= sum(hps) <= 1.3e12
    done = [t for t in tenders if t["status_tender"] == "Selesai"]
    savings = 1 - sum(t["nilai_kontrak"] for t in done) / sum(t["hps"] for t in done)
    assert 0.015 <= savings <= 0.035
    status = {s: sum(t["status_tender"] == s for t in tenders) for s in ("Aktif", "Selesai", "Gagal")}
    assert status["Selesai"] > status["Aktif"] > status["Gagal"] > 0
    assert len({t["kd_tender"] for t in tenders}) == len(tenders)


def test_open_tenders_move_stage_by_stage_to_a_contract(clock):
    lpse = Lpse(clock, service_rng("e-lpse"))
    tender = lpse.announce(clock.now())
    tender.fails_at = None
    for expected in STAGE_NAMES[1:]:
        clock.advance(45)
        lpse.advance(tender, clock.now())
        record = tender.record()
        assert record["nama_tahapan"] == expected and record["tgl_update"] == iso(clock.now())
        current = tender.jadwal()[STAGE_NAMES.index(expected)]
        assert current["tgl_awal"] == iso(clock.now())  # the schedule is re-planned from now
    clock.advance(45)
    lpse.advance(tender, clock.now())
    record = tender.record()
    assert record["status_tender"] == "Selesai" and record["nama_tahapan"] == "Kontrak"
    assert record["nilai_kontrak"] < record["hps"] and record["nama_penyedia"]
    before = len(lpse.tenders)
    for _ in range(200):
        clock.advance(40)
        lpse.step()
    assert len(lpse.tenders) > before  # new tenders are announced now and then
