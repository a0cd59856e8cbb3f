"""e-yankes: about thirty hospitals, two to five wards each, occupancy drifting around 60-85 %."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from core.regions import KABKOTA
from ingest.demo.clock import iso, service_rng
from ingest.demo.yankes import Yankes

WARD_CLASSES = {"VIP", "Kelas 1", "Kelas 2", "Kelas 3", "ICU", "Isolasi"}


async def test_wards_have_consistent_bed_counts(demo):
    wards = (await demo.json("e-yankes", "/api/bed"))["data"]
    hospitals = defaultdict(list)
    for ward in wards:
        hospitals[ward["kode_rs"]].append(ward)
        assert 0 <= ward["terisi"] <= ward["kapasitas"]
        assert ward["kosong"] == ward["kapasitas"] - ward["terisi"]
        assert ward["kelas"] in "ABCD" and ward["kelas_rawat"] in WARD_CLASSES
        assert ward["kode_kab"] in KABKOTA and re.fullmatch(rf"{ward['kode_kab']}\d{{3}}", ward["kode_rs"])
    assert 25 <= len(hospitals) <= 35 and all(2 <= len(w) <= 5 for w in hospitals.values())
    names = {w["nama_rs"] for w in wards}
    assert {"RSUD Banten", "RSUD dr. Dradjat Prawiranegara", "RSUD Kota Tangerang"} <= names
    classes = Counter(w[0]["kelas"] for w in hospitals.values())
    assert classes["C"] > classes["B"] > classes["D"] > 0
    occupancy = sum(w["terisi"] for w in wards) / sum(w["kapasitas"] for w in wards)
    assert 0.6 <= occupancy <= 0.88


def test_beds_fill_and_empty_and_only_changed_wards_get_a_new_time(clock):
    yankes = Yankes(clock, service_rng("e-yankes"))
    full_seen = set()
    for _ in range(300):
        before = yankes.records()
        clock.advance(10)
        yankes.step()
        after = yankes.records()
        for old, new in zip(before, after):
            changed = old["terisi"] != new["terisi"]
            assert (new["updated_at"] == iso(clock.now())) == changed
            assert changed or new == old
        full_seen |= {(w["kode_rs"], w["kode_ruang"]) for w in after if w["kosong"] == 0}
    occupancy = sum(w["terisi"] for w in after) / sum(w["kapasitas"] for w in after)
    assert 0.6 <= occupancy <= 0.88 and full_seen
