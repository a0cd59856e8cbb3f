"""yankes: hospitals and their beds, one row per ward with kapasitas and terisi.

Two shapes are read: the flat one (a row per ward with its counts, as the demo and Kemenkes'
summaries give it) and Banten's own nested one, hospital -> class of care -> ward
(kode_ruang, nama_ruang) -> bed (kode_bed, status), where the counts are made here.
"""

from __future__ import annotations

from typing import Any

from ingest.feeds.http_json import HttpJsonFeed, HttpJsonOptions, parse_json, records_at
from ingest.feeds.parsing import convert_each
from ingest.normalize import parse_integer

OCCUPIED = {"terisi", "isi", "occupied", "dipakai", "1"}
FREE = {"kosong", "tersedia", "available", "siap", "0"}
# A bed being cleaned or repaired is neither free nor occupied: it counts in neither figure.
OUT_OF_SERVICE = {"rusak", "perbaikan", "dibersihkan", "pembersihan", "maintenance", "tidak tersedia"}
HOSPITAL_FIELDS = ("kode_rs", "nama_rs", "jenis_rs", "kelas", "pemilik", "kode_kab", "total_tt")


class YankesOptions(HttpJsonOptions):
    records: str = "data"


class YankesFeed(HttpJsonFeed):
    kind = "yankes"
    Options = YankesOptions

    def parse(self, raw: bytes) -> list[Any]:
        return parse_beds(raw, self.options.records, self.feed.number_format)


def parse_beds(raw: bytes, path: str = "data", number_format: str = "auto") -> list[Any]:
    """One row per ward, from either shape; a ward or hospital that cannot be read is Malformed."""
    def hospital(item: dict) -> list[dict]:
        if "kelas_rawat" in item and isinstance(item["kelas_rawat"], list):
            return nested_wards(item)
        return [flat_ward(item, number_format)]

    return convert_each(records_at(parse_json(raw), path), hospital)


def flat_ward(item: dict, number_format: str = "auto") -> dict:
    """A ward row with its counts checked: terisi within kapasitas."""
    capacity = parse_integer(item["kapasitas"], number_format)
    occupied = parse_integer(item["terisi"], number_format)
    if capacity < 0 or not 0 <= occupied <= capacity:
        raise ValueError(f"terisi {occupied} does not fit kapasitas {capacity}")
    return dict(item, kapasitas=capacity, terisi=occupied, kosong=capacity - occupied)


def nested_wards(item: dict) -> list[dict]:
    """Banten's nested shape: count each ward's beds by status."""
    base = {k: item[k] for k in HOSPITAL_FIELDS if k in item}
    if not str(base.get("kode_rs") or "").strip():
        raise ValueError("hospital without kode_rs")
    rows = []
    for care in item["kelas_rawat"]:
        care_class = care.get("kelas_rawat") or care.get("nama_kelas") or care.get("kelas")
        for ward in care["ruang"]:
            counts = {"terisi": 0, "kosong": 0, "tidak_tersedia": 0}
            for bed in ward["bed"]:
                status = str(bed["status"]).strip().lower()
                if status in OCCUPIED:
                    counts["terisi"] += 1
                elif status in FREE:
                    counts["kosong"] += 1
                elif status in OUT_OF_SERVICE:
                    counts["tidak_tersedia"] += 1
                else:
                    raise ValueError(f"ward {ward.get('kode_ruang')}: bed {bed.get('kode_bed')} has unknown "
                                     f"status '{bed['status']}'")
            rows.append({
                **base, "kode_ruang": str(ward["kode_ruang"]), "nama_ruang": ward.get("nama_ruang"),
                "kelas_rawat": care_class, "kapasitas": counts["terisi"] + counts["kosong"], **counts,
                "updated_at": ward.get("updated_at") or care.get("updated_at") or item.get("updated_at"),
            })
    return rows
