"""The morning report: made once at 07.00 WIB (not a minute before), kept, sent on its channel; made
twice from the same data it is the same, PDF byte for byte; each number equals the wall's figure at
that moment (the incidents tile, the governor's count of services down, the active alerts)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import aiohttp
import pytest

from core.alerts import Alert
from core.clock import WIB, frozen, utc_now
from core.config import load_config
from core.incidents.report import lines, make_report, pdf
from core.monitors import TelegramChannel
from core.redis import connect
from core.streams import active_alerts, incident_report_pdf, incidents_current, monitor_state
from dashboard.auth.access import User, reset_current_user, set_current_user
from dashboard.context import PageContext
from dashboard.incidents import reports_page
from dashboard.incidents.tile import Tile, leaves, read_incidents
from dashboard.it.status import it_status_keys, read_it_status
from dashboard.live.snapshot import Frame, Snapshot
from dashboard.tiles import it_count as governor_count
from dashboard.tiles.base import WallContext, dom_id
from ingest.incidents.morning import MorningReporter
from tests.support.app import ROOT
from tests.support.incidents import at, seed
from tests.support.monitor import Receiver

ALERTS = [Alert("price:1", "price", "warning", "Cabai di atas HAP", "e-disikap", "3673", "pasar-rau"),
          Alert("price:2", "price", "warning", "Bawang di atas HAP", "e-disikap", "3671", "pasar-anyar"),
          Alert("bed_occupancy:RS01", "bed_occupancy", "critical", "RSUD Banten 96 %", "e-yankes", "3604", "RS01"),
          Alert("complaint_sla:T1:3", "complaint_sla", "warning", "Pengaduan lewat batas", "e-pormas", "36", "")]


@pytest.fixture
async def receiver():
    running = await Receiver().start()
    yield running
    await running.stop()


def config_with(receiver):
    cfg = load_config(ROOT / "config.yaml")
    channel = TelegramChannel(kind="telegram", api_url=receiver.url, bot_token="123456:demo-token",
                              chat_id="-100200300")
    return cfg.model_copy(update={
        "monitors": cfg.monitors.model_copy(update={"channels": {"tg-gubernur": channel}}),
        "incidents": cfg.incidents.model_copy(update={"report_notify": ["tg-gubernur"]})})


async def test_the_report_is_made_at_seven_identical_twice_and_equal_to_the_walls(r, redis_url, receiver):
    cfg = config_with(receiver)
    for alert in ALERTS:
        r.hset(active_alerts(), alert.alert_id, alert.encode())
    r.hset(monitor_state(), mapping={"portal": json.dumps({"state": "down"}), "sso": json.dumps({"state": "up"}),
                                     "simrs": json.dumps({"state": "down"})})
    with frozen(at(26, 11)) as advance:
        seed(r, lambda t: advance(t - utc_now()))
        advance(datetime(2026, 12, 3, 6, 59, tzinfo=WIB) - utc_now())
        async with aiohttp.ClientSession() as session:
            reporter = MorningReporter(cfg, r, session)
            assert await reporter.tick() is None  # 06.59 WIB: not yet
            advance(timedelta(seconds=60))
            seven = utc_now()
            assert await reporter.tick() == "2026-12-03"
            advance(timedelta(minutes=30))
            assert await reporter.tick() is None  # once a day
        stored = json.loads(r.hget("cc:incident:reports", "2026-12-03"))
        document = connect(redis_url).get(incident_report_pdf("2026-12-03"))  # bytes
        # Made again from the same data: the same figures, message and PDF.
        again = make_report(r, cfg, seven.astimezone(WIB).date())
        assert pdf(again, cfg) == document
        assert "\n".join(lines(again, cfg)) == stored["text"]
        # The walls at 07.00.
        snapshot = Snapshot(incidents=read_incidents(r.hgetall(incidents_current())), read_at=seven,
                            it=read_it_status(cfg, [r.hgetall(k) for k in it_status_keys(cfg)]))
        tile = leaves(Tile(id="insiden", kind="incidents", col=1, row=1, width=8, height=9), WallContext(cfg),
                      Frame(snapshot, seven))
        governor = governor_count.leaves(Frame(snapshot, seven), "id")
    assert document.startswith(b"%PDF") and rb"Insiden terbuka: 3; terlambat: 1 \(Dishub 1\)." in document
    assert stored["opened_yesterday"] == 1 and stored["closed_yesterday"] == 0  # C, Wednesday 09.30
    assert str(stored["open_now"]) == tile[(dom_id("insiden", "open"), "children")] == "3"
    assert str(stored["overdue"]) == tile[(dom_id("insiden", "late-0"), "children")].split(": ")[1]
    assert stored["overdue_by_opd"] == {"dishub": 1}
    assert str(stored["services_down"]) == governor[("gov-it-count", "children")] == "2"
    assert (stored["prices_above"], stored["beds_above"], stored["complaints_late"]) == (2, 1, 1)
    assert stored["mtta_s"] == 45 * 60 and stored["mttr_s"] == 24 * 3600
    # Sent once, in Bahasa Indonesia, with the way to the PDF.
    assert len(receiver.telegram) == 1
    sent = receiver.telegram[0]["text"]
    assert sent.startswith("Laporan Pagi Command Center Provinsi Banten — Kamis, 3 Desember 2026, pukul 07.00 WIB")
    assert "Harga pangan di atas acuan: 2." in sent and "/laporan/2026-12-03.pdf" in sent
    # Kept under /laporan.
    token = set_current_user(User(name="uji-pimpinan", role="executive"))
    try:
        page, _ = reports_page.route("/laporan", "", None, PageContext(cfg, {}, None, None, r, redis_url))
    finally:
        reset_current_user(token)
    assert "2026-12-03" in str(page) and "/laporan/2026-12-03.pdf" in str(page)
