"""spse: e-LPSE tenders from SPSE/ISB open data: announcements, stage schedules and finished-tender values.

One poll reads the tender listing, then the schedule (`/isb/jadwal?kd_tender=`) of each open
tender. Every row says what it is in `record_type` (tender | jadwal | hasil) and carries a
`record_key` that changes when its content does, so the derive side can tell them apart and
the dedup keeps one copy of each version.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urljoin

import aiohttp
from pydantic import Field

from core.regions import KABKOTA, PROVINCE_CODE
from ingest.feeds.base import PollingFeed, PollOptions
from ingest.feeds.http_json import records_at
from ingest.feeds.parsing import Answer, answer_json, convert_each
from ingest.normalize import parse_number, parse_time
from ingest.records import Malformed

TENDER_NUMBERS = ("pagu", "hps")
RESULT_NUMBERS = ("hps", "nilai_penawaran", "nilai_negosiasi", "nilai_kontrak")
OPEN = "Aktif"
# Work locations by name ("Kota Serang", "Kab. Tangerang") -> BPS code, for drill-down by kab/kota.
_PLACES = {name.lower(): code for code, k in KABKOTA.items() for name in (k.name, k.short)}
# Schedules asked for at once: a courtesy to the source.
PARALLEL_SCHEDULES = 8


class SpseOptions(PollOptions):
    # The ISB tender listing.
    url: str
    records: str = ""
    # The schedule endpoint, relative to `url` (one URL to move when the source moves).
    jadwal_path: str = "/isb/jadwal"
    # Schedules of which tenders: the open ones, or none.
    jadwal_for: str = Field(default="aktif", pattern="^(aktif|none)$")
    max_jadwal: int = Field(default=300, ge=0)


class SpseFeed(PollingFeed):
    kind = "spse"
    Options = SpseOptions

    async def fetch(self, session: aiohttp.ClientSession) -> list[Answer]:
        listing = Answer("SPSE tender", await self.get_url(session, self.options.url))
        if self.options.jadwal_for == "none":
            return [listing]
        codes = open_tenders(listing, self.options.records)[: self.options.max_jadwal]
        url = urljoin(self.options.url, self.options.jadwal_path)
        gate = asyncio.Semaphore(PARALLEL_SCHEDULES)

        async def schedule(code: str) -> Answer:
            async with gate:
                return Answer(f"SPSE jadwal {code}", await self.get_url(session, url, {"kd_tender": code}),
                              {"kd_tender": code})

        return [listing, *await asyncio.gather(*(schedule(c) for c in codes))]

    def parse(self, raw: list[Answer]) -> list[Any]:
        return parse_spse(raw, self.options.records)


def open_tenders(listing: Answer, path: str = "") -> list[str]:
    """The codes of the open tenders in a listing answer (none when it is unusable)."""
    data = answer_json(listing)
    try:
        items = records_at(data, path) if not isinstance(data, Malformed) else []
    except ValueError:
        return []
    return [str(t["kd_tender"]) for t in items
            if isinstance(t, dict) and t.get("kd_tender") and t.get("status_tender") == OPEN]


def parse_spse(answers: list[Answer], path: str = "") -> list[Any]:
    """Tender, hasil and jadwal rows; an unusable listing fails the poll, an unusable schedule is Malformed."""
    if not answers:
        raise ValueError("no answer from SPSE")
    listing = answer_json(answers[0])
    if isinstance(listing, Malformed):
        raise ValueError(listing.reason)
    tenders = records_at(listing, path)
    rows = convert_each(tenders, tender_rows, "SPSE tender: ")
    known = {r["kd_tender"]: r for r in rows if isinstance(r, dict) and r["record_type"] == "tender"}
    for answer in answers[1:]:
        data = answer_json(answer)
        if isinstance(data, Malformed):
            rows.append(data)
            continue
        code = answer.params.get("kd_tender", "")
        rows.extend(convert_each(records_at(data, ""), lambda s, code=code: [jadwal_row(s, known.get(code))],
                                 f"{answer.query}: "))
    return rows


def tender_rows(item: dict) -> list[dict]:
    """An announcement as a `tender` row, plus a `hasil` row once the contract value is known."""
    code = str(item["kd_tender"]).strip()
    if not code:
        raise ValueError("tender without kd_tender")
    tender = dict(item, kd_tender=code, record_type="tender")
    for name in TENDER_NUMBERS:
        if item.get(name) not in (None, ""):
            tender[name] = parse_number(item[name])
    updated = item.get("tgl_update") or item.get("tgl_pengumuman_tender")
    tender["tgl_update"] = parse_time(updated).isoformat()
    tender["kode_wilayah"] = _PLACES.get(str(item.get("lokasi_pekerjaan") or "").strip().lower(), PROVINCE_CODE)
    tender["record_key"] = f"tender-{code}-{item.get('status_tender')}-{item.get('nama_tahapan')}"
    rows = [tender]
    if item.get("nilai_kontrak") not in (None, ""):
        result = {"record_type": "hasil", "kd_tender": code, "nama_paket": item.get("nama_paket"),
                  "nama_satker": item.get("nama_satker"), "nama_penyedia": item.get("nama_penyedia"),
                  "kode_wilayah": tender["kode_wilayah"], "tgl_update": tender["tgl_update"]}
        for name in RESULT_NUMBERS:
            result[name] = parse_number(item[name]) if item.get(name) not in (None, "") else None
        if result["hps"] is not None:
            # Savings against the owner's estimate: what the province reports as "efisiensi".
            result["selisih"] = result["hps"] - result["nilai_kontrak"]
        result["record_key"] = f"hasil-{code}-{result['nilai_kontrak']}"
        rows.append(result)
    return rows


def jadwal_row(stage: dict, tender: dict | None) -> dict:
    """One stage of a tender's schedule, its times read; event time is its tender's last update."""
    start, end = parse_time(stage["tgl_awal"]), parse_time(stage["tgl_akhir"])
    if end < start:
        raise ValueError(f"stage {stage.get('kd_tahapan')} ends ({stage['tgl_akhir']}) before it starts")
    code = str(stage["kd_tender"])
    return dict(stage, record_type="jadwal", kd_tender=code, tgl_awal=start.isoformat(), tgl_akhir=end.isoformat(),
                tgl_update=tender["tgl_update"] if tender else start.isoformat(),
                kode_wilayah=tender["kode_wilayah"] if tender else PROVINCE_CODE,
                record_key=f"jadwal-{code}-{stage['kd_tahapan']}-{start.isoformat()}-{end.isoformat()}")
