"""e-bansos: one row per kab/kota, programme and tahap so far; the current tahap pays out over time."""

from __future__ import annotations

from datetime import datetime

from core.clock import WIB, wib_now
from core.regions import KABKOTA
from ingest.demo.bansos import PER_KPM, PROGRAMMES, STATUSES, Bansos
from ingest.demo.clock import iso, service_rng
from tests.support.demo import ISO_WIB, FakeClock


async def test_rows_cover_every_kabkota_programme_and_tahap_so_far(demo):
    rows = (await demo.json("e-bansos", "/api/v1/penyaluran"))["data"]
    current = (wib_now().month - 1) // 3 + 1
    assert {(r["kode_kab"], r["program"], r["tahap"]) for r in rows} == {
        (k, p, t) for k in KABKOTA for p in PROGRAMMES for t in range(1, current + 1)}
    for row in rows:
        assert row["nama_kab"] == KABKOTA[row["kode_kab"]].name
        assert row["status"] in STATUSES and isinstance(row["tahap"], int)
        assert 0 <= row["kpm_tersalur"] <= row["target_kpm"]
        assert ISO_WIB.match(row["updated_at"])
        if row["program"] == "BPNT":
            assert row["nominal"] == row["kpm_tersalur"] * 600_000  # Rp 200 k a month, paid by quarter
        elif row["kpm_tersalur"]:
            per_kpm = row["nominal"] / row["kpm_tersalur"]
            assert 0.9 * PER_KPM["PKH"] <= per_kpm <= 1.1 * PER_KPM["PKH"]
        if row["tahap"] < current:
            assert row["status"] == "Sudah Tersalur" and row["kpm_tersalur"] >= 0.95 * row["target_kpm"]


def test_targets_follow_the_poor_population(clock):
    rows = Bansos(clock, service_rng("e-bansos")).records()
    first = [r for r in rows if r["tahap"] == 1]
    pkh = {r["kode_kab"]: r["target_kpm"] for r in first if r["program"] == "PKH"}
    assert 255_000 < sum(pkh.values()) < 275_000
    assert 455_000 < sum(r["target_kpm"] for r in first if r["program"] == "BPNT") < 485_000
    assert pkh["3603"] > pkh["3601"] > pkh["3674"] > pkh["3672"]


def test_current_tahap_pays_out_forward_only_and_closes(clock):
    bansos = Bansos(clock, service_rng("e-bansos"))
    before = {(r["kode_kab"], r["program"], r["tahap"]): r for r in bansos.records()}
    steps = 0
    while any(r["status"] != "Sudah Tersalur" for r in before.values()) and steps < 3000:
        steps += 1
        clock.advance(40)
        bansos.step()
        after = {(r["kode_kab"], r["program"], r["tahap"]): r for r in bansos.records()}
        for key, row in after.items():
            old = before[key]
            assert row["kpm_tersalur"] >= old["kpm_tersalur"]
            assert STATUSES.index(row["status"]) >= STATUSES.index(old["status"])
            # Only rows that changed carry the new time.
            if row != {**old, "updated_at": row["updated_at"]}:
                assert row["updated_at"] == iso(clock.now())
            else:
                assert row == old
        before = after
    assert all(r["status"] == "Sudah Tersalur" for r in before.values())
    assert steps > 100  # payouts take a while: several hours at speed 1


def test_a_new_year_starts_at_tahap_one():
    clock = FakeClock(datetime(2026, 1, 5, 10, tzinfo=WIB))
    rows = Bansos(clock, service_rng("e-bansos")).records()
    assert {r["tahap"] for r in rows} == {1} and len(rows) == 16
    assert sum(r["kpm_tersalur"] for r in rows) < 0.3 * sum(r["target_kpm"] for r in rows)
