"""Escalation with the clock moved, never slept: an alert opens an incident; unacknowledged, it reaches
each level within the level's wait + 60 s and that level is told on the real channels (a local SMTP
server, the Telegram Bot API's and a WhatsApp gateway's shape over HTTP); acknowledged, it never climbs."""

from __future__ import annotations

from datetime import datetime, timedelta

import aiohttp
import pytest

from core.alerts import Alert
from core.clock import WIB, frozen, utc_now
from core.config import parse_config
from core.incidents.lifecycle import Actor
from core.incidents.timeline import load, take_step, timeline
from core.streams import ALERTS, from_iso, incident_notifications
from ingest.incidents.escalation import Escalator
from ingest.incidents.intake import AlertIntake
from tests.support.monitor import Receiver

START = datetime(2026, 12, 2, 9, 0, tzinfo=WIB)  # a Wednesday morning
WAITS = [1800, 7200, 14400]  # operator 30 min, kepala OPD 2 h, Sekda 4 h
PRICE = Alert("price_above_reference:3673:panel:cabai", "price", "warning",
              "Cabai rawit di Pasar Rau Rp 62.150, di atas HAP", "e-disikap", "3673", "pasar-rau")


@pytest.fixture
async def receiver():
    running = await Receiver().start()
    yield running
    await running.stop()


def config(receiver, smtp_port: int):
    return parse_config({
        "monitors": {
            "opds": {"disperindag": {"name": "Disperindag Provinsi Banten", "notify": ["tg-operator"]}},
            "channels": {
                "tg-operator": {"kind": "telegram", "api_url": receiver.url, "bot_token": "123456:demo-token",
                                "chat_id": "-100200300"},
                "mail-kepala": {"kind": "email", "host": "127.0.0.1", "port": smtp_port,
                                "sender": "cc@bantenprov.go.id", "to": ["kadis@disperindag.bantenprov.go.id"]},
                "wa-sekda": {"kind": "whatsapp", "url": f"{receiver.url}/wa/send", "to": ["6281200000009"]}}},
        "incidents": {"categories": {"harga": {
            "name": "Harga pangan", "alert_kinds": ["price"], "opd": "disperindag",
            # The operators are told on their OPD's own channel (monitors.opds.disperindag.notify).
            "escalation": [{"level": "operator", "wait": WAITS[0], "opd_channels": True},
                           {"level": "kepala_opd", "wait": WAITS[1], "notify": ["mail-kepala"]},
                           {"level": "sekda", "wait": WAITS[2], "notify": ["wa-sekda"]}]}}}})


def raise_alert(r, alert: Alert) -> None:
    r.xadd(ALERTS, alert.entry("raised"))


async def run_until(advance, escalator, until: datetime, step: float = 30.0) -> list[tuple[str, int, datetime]]:
    """Move the clock in `step`s, ticking the desk as its loop does; every level reached, with when."""
    reached = []
    while utc_now() < until:
        advance(timedelta(seconds=step))
        reached += [(i, level, utc_now()) for i, level in await escalator.tick()]
    return reached


async def test_an_unacknowledged_incident_climbs_each_level_within_its_wait_and_tells_it(r, receiver, smtp):  # noqa: F811
    controller, mailbox = smtp
    cfg = config(receiver, controller.port)
    with frozen(START) as advance:
        raise_alert(r, PRICE)
        assert AlertIntake(cfg, r).step() == 1
        incident = load(r, "INS-000001")
        assert (incident.state, incident.opd, incident.alerts) == ("baru", "disperindag", [PRICE.alert_id])
        opened = from_iso(incident.opened_at)
        # The same condition raised again under another id joins the open incident.
        raise_alert(r, Alert(PRICE.alert_id + ":2", **{k: getattr(PRICE, k) for k in
                                                       ("kind", "severity", "message", "source", "region", "unit")}))
        AlertIntake(cfg, r).step()
        assert load(r, "INS-000001").alerts == [PRICE.alert_id, PRICE.alert_id + ":2"]
        assert r.hlen("cc:incidents") == 1
        async with aiohttp.ClientSession() as session:
            reached = await run_until(advance, Escalator(cfg, r, session), opened + timedelta(seconds=sum(WAITS) + 120))
    assert [(i, level) for i, level, _ in reached] == [("INS-000001", 0), ("INS-000001", 1), ("INS-000001", 2)]
    due = opened
    for (_, level, at), wait in zip(reached, WAITS):
        due += timedelta(seconds=wait)
        assert due <= at <= due + timedelta(seconds=60), (level, at, due)
        due = at
    # Each level was told on its own channel, once.
    assert len(receiver.telegram) == 1 and "[ESKALASI Operator OPD] INS-000001" in receiver.telegram[0]["text"]
    assert len(mailbox.messages) == 1 and "Subject: [ESKALASI Kepala OPD] INS-000001" in mailbox.messages[0]
    assert "kadis@disperindag.bantenprov.go.id" in mailbox.messages[0]
    assert [m["to"] for m in receiver.whatsapp] == ["6281200000009"]
    assert "Sekda" in receiver.whatsapp[0]["message"]
    sent = r.xrange(incident_notifications())
    assert [(f["channel"], f["ok"]) for _, f in sent] == [("tg-operator", "1"), ("mail-kepala", "1"), ("wa-sekda", "1")]
    steps = [e["step"] for e in timeline(r, "INS-000001")]
    assert steps == ["buka", "alert", "eskalasi", "eskalasi", "eskalasi"]


async def test_an_acknowledged_incident_never_climbs(r, receiver, smtp):  # noqa: F811
    controller, mailbox = smtp
    cfg = config(receiver, controller.port)
    operator = Actor("siti.disperindag", "operator", frozenset({"disperindag"}))
    with frozen(START) as advance:
        raise_alert(r, PRICE)
        AlertIntake(cfg, r).step()
        async with aiohttp.ClientSession() as session:
            escalator = Escalator(cfg, r, session)
            assert await run_until(advance, escalator, START + timedelta(minutes=10)) == []
            take_step(r, operator, "INS-000001", "terima", "Sedang dicek ke pasar")
            reached = await run_until(advance, escalator, START + timedelta(hours=30), step=60)
    assert reached == []
    assert load(r, "INS-000001").escalation_level == -1
    assert receiver.telegram == [] and receiver.whatsapp == [] and mailbox.messages == []
    assert [e["step"] for e in timeline(r, "INS-000001")] == ["buka", "terima"]
