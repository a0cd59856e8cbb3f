"""/operator in Chromium, signed in as a market-price operator: acknowledge an alert, upload a file with
errors (every error by row and column, nothing stored), then a good file (stored, counted, listed)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from aiohttp import web

from core.alerts import Alert, acknowledgement
from core.redis import connect, connect_async, free_port
from core.streams import ALERTS, active_alerts, feed_stream
from core.users import Account, save_users
from dashboard.app import create_app
from ingest.http_api import create_api
from ingest.supervisor import Supervisor
from tests.support.app import RESULTS, SESSION_COOKIE, TEST_PASSWORD, known_hash, login, serve, with_test_users
from tests.support.paths import PAYLOADS

OPERATOR = "uji-harga"
PRICE = Alert("price_above_reference:3673:pasar-rau:cabai_rawit_merah", "price", "warning",
              "Cabai rawit merah di Pasar Rau Rp 62.150/kg, di atas HAP Rp 57.000", "e-disikap", "3673", "pasar-rau")
BEDS = Alert("bed_occupancy:3604:RS01", "bed_occupancy", "critical", "RSUD Banten terisi 96 %", "e-yankes",
             "3604", "RS01")


class IngestApi:
    """The ingest process's HTTP side (webhooks, uploads) on its own event loop in a thread."""

    def __init__(self, config, redis_url: str):
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()

        async def start():
            self.client = connect_async(redis_url, decode_responses=True)
            self.runner = web.AppRunner(create_api(Supervisor(config, self.client), self.client, redis_url))
            await self.runner.setup()
            await web.TCPSite(self.runner, config.ingest.host, config.ingest.port).start()
            self.ready.set()

        def run():
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(start())
            self.loop.run_forever()

        threading.Thread(target=run, daemon=True).start()
        assert self.ready.wait(15), "ingest API did not start"

    def close(self):
        async def stop():
            await self.runner.cleanup()
            await self.client.aclose()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture
def site(config, redis_url, tmp_path):
    """The shipped config with one operator bound to the PIHPS price feed (which takes uploads), the
    real ingest HTTP API and the dashboard, against the test Redis."""
    users = tmp_path / "users.yaml"
    save_users(users, {OPERATOR: Account(role="operator", password=known_hash(TEST_PASSWORD),
                                         display="Uji Disperindag", feeds=["harga_pihps"])})
    cfg = with_test_users(config, users)
    cfg = cfg.model_copy(update={"ingest": cfg.ingest.model_copy(update={"port": free_port()})})
    assert cfg.feeds["harga_pihps"].accepts_uploads
    ingest = IngestApi(cfg, redis_url)
    r = connect(redis_url, decode_responses=True)
    for alert in (PRICE, BEDS):
        r.hset(active_alerts(), alert.alert_id, alert.encode())
        r.xadd(ALERTS, alert.entry("raised"))
    with serve(create_app(cfg, redis_url)) as base:
        yield base, r
    ingest.close()
    r.close()


def wait_text(page, selector: str, wanted: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = page.locator(selector).inner_text() if page.locator(selector).count() else ""
        if wanted in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{selector}: {wanted!r} not in {shown!r}")


def test_an_operator_acknowledges_an_alert_and_uploads_files(browser, site):
    base, r = site
    context = browser.raw.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": SESSION_COOKIE, "value": login(base, username=OPERATOR), "url": base}])
    page = context.new_page()
    page.goto(f"{base}/operator")
    page.wait_for_selector("#op-page")
    assert "Masuk sebagai Uji Disperindag · Harga Pangan" in page.inner_text(".op-who")
    alerts = wait_text(page, "#op-alerts", PRICE.message)
    assert BEDS.message not in alerts  # the hospital's alert is another agency's

    # Acknowledge: it leaves the active list, and who and when are kept.
    page.click(f'#op-alerts [data-alert="{PRICE.alert_id}"] button')
    wait_text(page, "#op-acked", "Diterima oleh uji-harga")
    wait_text(page, "#op-alerts", "Tidak ada peringatan aktif yang menunggu.")
    assert PRICE.message in page.inner_text("#op-acked")
    assert "Diterima:" in page.inner_text("#op-ack-message")
    ack = acknowledgement(r, PRICE.alert_id)
    assert ack["who"] == OPERATOR and ack["at"].endswith("Z")

    assert page.inner_text(".op-card[data-feed=harga_pihps] .op-columns") == (
        "Kolom wajib: commodity, commodity_key, harga, kode_wilayah, pasar, price_type_id, tanggal")

    # A file with errors: each by row and column, nothing stored.
    upload = '.op-card[data-feed="harga_pihps"] input[type=file]'
    page.set_input_files(upload, str(PAYLOADS / "harga_unggah_2_salah_cp1252.csv"))
    page.wait_for_selector(".op-card[data-feed=harga_pihps] .op-errors")
    rows = page.locator(".op-card[data-feed=harga_pihps] .op-errors tbody tr")
    assert [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())] == [
        ["7", "harga", "'13.3OO' bukan angka"],
        ["8", "kode_wilayah", "kode wilayah '3699' bukan kab/kota di Banten"],
        ["8", "tanggal", "'31/02/2026' bukan tanggal/waktu yang dikenali (mis. 2026-11-28 13:00 atau 28/11/2026)"]]
    assert page.locator(".op-card[data-feed=harga_pihps] thead th").all_inner_texts() == ["Baris", "Kolom", "Kesalahan"]
    assert "Tidak ada yang disimpan" in page.inner_text(".op-card[data-feed=harga_pihps] .op-result")
    assert r.xlen(feed_stream("harga_pihps")) == 0

    # The corrected file: accepted whole.
    page.set_input_files(upload, str(PAYLOADS / "harga_unggah_ok.csv"))
    wait_text(page, ".op-card[data-feed=harga_pihps] .op-upload-result",
              "Berkas diterima: 4 baris (4 baru, 0 duplikat).")
    assert r.xlen(feed_stream("harga_pihps")) == 4

    # The last uploads, from the audit trail: the good one first, in the operator's name.
    wait_text(page, "#op-recent", "Diterima", timeout=10)
    recent = page.locator("#op-recent-table tbody tr")
    assert recent.count() == 2
    assert recent.nth(0).locator("td").all_inner_texts()[1:4] == [
        "Harga pasar tradisional (PIHPS Bank Indonesia)", OPERATOR, "Diterima"]
    assert recent.nth(1).locator("td").all_inner_texts()[2:4] == [OPERATOR, "Ditolak"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS / "operator.png"), full_page=True)
    context.close()
