"""Records for the public portal's tests, taken through the real figures processor into Redis.

Complaints and disbursements are written as the ingest side stores them (core.streams.Record on
cc:feed:<feed>), then the derive processor (ingest/derive/figures_processor.py) turns them into the
hashes the public page reads. `personal_feed_entries` adds raw feed records full of personal data
(NIK, phone numbers, names, camera addresses with passwords) that no public answer may ever show.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta

from core.redis import connect_async
from core.streams import Record, feed_stream
from ingest.derive.figures_processor import FiguresProcessor
from tests.support.figures_helpers import CONFIG, catch_up, store

DAY = timedelta(days=1)

# Personal data as it may sit in raw feed records (written straight to the streams, unmasked).
NIK = "3673012504870003"
PHONE = "081234567890"
PHONE_INTL = "+6285712345678"
PERSON = "Siti Nurhasanah"
CAMERA_URL = "rtsp://admin:rahasia-kamera@10.20.0.15:554/Streaming/Channels/101"


def complaint(tracking_id: str, region: str, created: datetime, status: str = "diterima",
              closed: datetime | None = None, judul: str = "Jalan berlubang", category: str = "Infrastruktur",
              **extra) -> Record:
    """One e-Pormas complaint in its latest status; a closed one carries its closing time as event time."""
    moment = closed or created
    payload = {"tracking_id": tracking_id, "status": status, "category": category, "via": "app",
               "city_id": region, "judul": judul, "opd_tujuan": "Dinas PUPR",
               "created_at": created.isoformat(), "updated_at": moment.isoformat(), **extra}
    return Record("pormas_laporan", "e-pormas", f"{tracking_id}-{status}", moment, moment, payload, region)


def disbursement(region: str, programme: str, target: int, paid: int, nominal: float, when: datetime,
                 tahap: int = 2) -> Record:
    """One e-Bansos row: a programme's stage in a kab/kota."""
    payload = {"kode_kab": region, "program": programme, "tahun": 2026, "tahap": tahap,
               "status": "Sudah Tersalur", "status_urutan": 2, "target_kpm": target, "kpm_tersalur": paid,
               "nominal": nominal, "updated_at": when.isoformat()}
    source_id = f"{region}-{programme}-{tahap}-{paid}"
    return Record("bansos_tahap", "e-bansos", source_id, when, when, payload, region)


def personal_records(now: datetime) -> list[Record]:
    """Complaints whose text and extra fields carry personal data, derived like any other."""
    text = f"Saya {PERSON}, NIK {NIK}, hubungi {PHONE} atau {PHONE_INTL}"
    return [complaint(f"PDP-{i}", "3673", now - (i + 1) * DAY, judul=text, nik=NIK, nama=PERSON, no_hp=PHONE,
                      alamat="Jl. Kenari No. 7, Cipocok Jaya") for i in range(3)]


async def personal_feed_entries(client, now: datetime) -> None:
    """Raw feed entries as an unmasking source would leave them, for the scans (not derived)."""
    camera = Record("cctv_kamera", "e-cctv", "cam-pdp", now, now,
                    {"id": "cam-pdp", "nama_lokasi": "Simpang Pakupatan", "is_active": True,
                     "stream_url": CAMERA_URL, "latitude": -6.12, "longitude": 106.15,
                     "last_status_check": now.isoformat()}, "3673")
    beds = Record("yankes_ruang", "e-yankes", "pdp-bed", now, now,
                  {"kode_rs": "3673011", "kode_ruang": "R09", "kapasitas": 2, "terisi": 1,
                   "nama_pasien": PERSON, "nik_pasien": NIK, "telepon_keluarga": PHONE}, "3673")
    recipient = Record("bansos_tahap", "e-bansos", "pdp-kpm", now, now,
                       {"program": "PKH", "nik": NIK, "nama": PERSON, "no_hp": PHONE_INTL, "anak": 3}, "3673")
    for record in (camera, beds, recipient):
        await client.xadd(feed_stream(record.feed_id), record.encode())


def seed_records(redis_url: str, records: list[Record], now: datetime, raw_personal: bool = False) -> None:
    """Store the records and run the figures processor over them at `now` (in a thread of its own:
    a live sync Playwright holds the calling thread's event loop)."""
    errors: list[BaseException] = []

    async def run():
        client = connect_async(redis_url, decode_responses=True)
        try:
            await store(client, records)
            await catch_up(client, FiguresProcessor(CONFIG, client), now)
            if raw_personal:
                await personal_feed_entries(client, now)
        finally:
            await client.aclose()

    def thread():
        try:
            asyncio.run(run())
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=thread)
    t.start()
    t.join(60)
    if errors:
        raise errors[0]


def handling_scenario(now: datetime) -> list[Record]:
    """Complaints whose public figures are worked out by hand in test_public_figures.py.

    Kota Serang (3673): ten resolved half a day ago after 1..10 days (5 within the 5-day service
    level, 5 late; 6 of them received within the last 7 days) and 2 still open. Kota Cilegon (3672):
    3 open (Kependudukan). Every other kab/kota: 6 open received a day ago and 5 resolved in 2 days.
    """
    closed = now - DAY / 2
    out = [complaint(f"SRG-{d}", "3673", closed - d * DAY, "selesai", closed) for d in range(1, 11)]
    out += [complaint(f"SRG-O{i}", "3673", now - (i + 1) * DAY / 4) for i in range(2)]
    out += [complaint(f"CLG-{i}", "3672", now - DAY, category="Kependudukan") for i in range(3)]
    for code in ("3601", "3602", "3603", "3604", "3671", "3674"):
        out += [complaint(f"{code}-O{i}", code, now - DAY) for i in range(6)]
        out += [complaint(f"{code}-S{i}", code, now - 3 * DAY, "selesai", now - DAY) for i in range(5)]
    return out
