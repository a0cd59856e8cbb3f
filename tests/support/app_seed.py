"""Derive-shaped figures for the application pages: the real figures processor over the saved payloads."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import date, datetime, timedelta

from core.clock import utc_now, wib_today
from core.redis import connect_async
from core.streams import Record, app_trend
from ingest.derive.figures_processor import FiguresProcessor
from ingest.feeds.bansos import parse_disbursements
from ingest.feeds.bapanas import parse_panel
from ingest.feeds.bps import parse_webapi
from ingest.feeds.cctv_listing import parse_listing
from ingest.feeds.parsing import Answer
from ingest.feeds.pihps import parse_grid
from ingest.feeds.spse import parse_spse
from ingest.feeds.yankes import parse_beds
from tests.support.figures_helpers import CONFIG, catch_up, records_of, store
from tests.support.paths import PAYLOADS

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def complaint(tracking_id: str, judul: str, category: str, city: str, created: datetime, status: str = "diterima"):
    payload = {"tracking_id": tracking_id, "status": status, "category": category, "via": "app", "city_id": city,
               "judul": judul, "nik": "3673********0001", "opd_tujuan": "Dinas PUPR",
               "created_at": created.isoformat(), "updated_at": created.isoformat()}
    return Record("pormas_laporan", "e-pormas", f"{tracking_id}-{status}", created, created, payload, city)


async def _seed(redis_url: str, now: datetime) -> None:
    client = connect_async(redis_url, decode_responses=True)
    day = timedelta(days=1)
    answers = [Answer("tender", (PAYLOADS / "spse_tender.json").read_bytes()),
               Answer("jadwal", (PAYLOADS / "spse_jadwal.json").read_bytes(), {"kd_tender": "10160021"})]
    records = (
        records_of("yankes_ruang", parse_beds((PAYLOADS / "yankes_nested.json").read_bytes()), now)
        + records_of("lpse_spse", parse_spse(answers), now)
        + records_of("harga_pihps", parse_grid(json.loads((PAYLOADS / "pihps_grid.json").read_text()), "3673"), now)
        + records_of("panel_bapanas", parse_panel((PAYLOADS / "bapanas_panel.json").read_bytes()), now)
        + records_of("bansos_tahap", parse_disbursements((PAYLOADS / "bansos_penyaluran.json").read_bytes()), now)
        + records_of("bps_webapi", parse_webapi(json.loads((PAYLOADS / "bps_webapi.json").read_text()),
                                                {519: "kemiskinan"}), now)
        + records_of("cctv_kamera", parse_listing((PAYLOADS / "cctv_listing.json").read_bytes()), now)
        + [complaint("LPR-1", SCRIPT, "Infrastruktur", "3673", now - 6 * day),
           complaint("LPR-2", IMG, "Infrastruktur", "3673", now - 2 * day),
           complaint("LPR-3", "Jalan berlubang di Ciceri", "Infrastruktur", "3673", now - day),
           complaint("LPR-4", "Lampu jalan mati", "Penerangan", "3671", now - day)]
    )
    await store(client, records)
    await catch_up(client, FiguresProcessor(CONFIG, client), now)
    await client.aclose()


def seed(redis_url: str, now: datetime | None = None) -> None:
    """Write every application's figures to Redis (in a thread: a live sync Playwright owns this one's loop)."""
    now = now or utc_now()
    errors: list[BaseException] = []

    def run():
        try:
            asyncio.run(_seed(redis_url, now))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    if errors:
        raise errors[0]


def seed_with_history(redis_url, r) -> date:
    """The real derived state plus a daily history for two applications; returns today (WIB)."""
    seed(redis_url)
    today = wib_today()

    def back(n: int) -> str:
        return (today - timedelta(days=n)).isoformat()

    occupancy = {back(7): 84.0, back(1): 75.0, back(0): 80.0}
    r.hset(app_trend("e-yankes", "36"), "keterisian_pct", json.dumps(occupancy))
    r.hset(app_trend("e-pormas", "36"), "open", json.dumps({back(1): 5, back(0): 4}))
    return today
