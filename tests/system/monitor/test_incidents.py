"""Alerts that do not storm, over real HTTP: a data-center network and the 30 services behind it go
down -> one notification per channel naming the 30 (Telegram Bot API, WhatsApp gateway, SMTP);
reminders until someone acknowledges; quiet in maintenance; the probe's own uplink cut -> "monitor
offline" and not one service DOWN. Time to DOWN and back UP is measured against interval x retries + 10 s.

The monitor runs on real time here (checks every second, DOWN after two misses, reminders):
about 25 s in all, so these live in the system lane, beside the other tests that wait on the clock."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import aiohttp

from core.clock import monotonic, utc_now, wib_now
from core.it_incidents import acknowledge_incident, incidents
from core.redis import connect, connect_async, free_port
from core.streams import monitor_probe, monitor_state
from ingest.monitor.monitor import Monitor
from ingest.monitor.result import CheckResult
from ingest.monitor.scheduler import Scheduler
from ingest.monitor.service import keep_figures
from tests.support.monitor import settings

CHILDREN = 30
FAST = {"interval": 1, "timeout": 0.8, "down_after": 2, "up_after": 2, "retry_interval": 0.5}


def data_center(systems, receiver, smtp_port: int, children: int = CHILDREN, **top):
    children = {f"layanan-{i:02d}": {"name": f"Layanan {i:02d}", "kind": "http", "parent": "jaringan-dc",
                                     "target": systems.url(f"dc/layanan-{i:02d}"), **FAST} for i in range(children)}
    return settings(
        {"diskominfo": {"name": "Diskominfo SP", "notify": ["telegram", "wa", "email"], "services": {
            "jaringan-dc": {"name": "Jaringan Pusat Data", "kind": "http", "target": systems.url("dc"), **FAST}}},
         "rsud-banten": {"name": "RSUD Banten", "services": children}},
        group_wait=top.pop("group_wait", 2), channels={
            "telegram": {"kind": "telegram", "api_url": receiver.url, "bot_token": "123456:demo-token",
                         "chat_id": "-100200300"},
            "wa": {"kind": "whatsapp", "url": f"{receiver.url}/wa/send", "token": "wa-gateway-token",
                   "to": ["6281200000001"]},
            "email": {"kind": "email", "host": "127.0.0.1", "port": smtp_port, "sender": "cc@bantenprov.go.id",
                      "to": ["piket-ti@bantenprov.go.id"]}},
        **top)


async def until(condition, timeout: float, step: float = 0.1):
    deadline = monotonic() + timeout
    while monotonic() < deadline:
        if await condition():
            return True
        await asyncio.sleep(step)
    return False


async def states(client) -> dict[str, str]:
    return {k: json.loads(v)["state"] for k, v in (await client.hgetall(monitor_state())).items()}


class Running:
    """A monitor with its scheduler and upkeep loop on this event loop."""

    def __init__(self, monitors, redis_url):
        self.monitors, self.redis_url = monitors, redis_url

    async def __aenter__(self):
        self.client = connect_async(self.redis_url, decode_responses=True)
        self.session = aiohttp.ClientSession()
        self.monitor = Monitor(self.monitors, self.client, self.session)
        self.scheduler = Scheduler(self.monitor.own(), self.monitor.check, 64)
        self.stop = asyncio.Event()
        self.tasks = [asyncio.create_task(self.scheduler.run(self.stop)),
                      asyncio.create_task(keep_figures(self.monitor, self.scheduler, self.stop))]
        return self

    async def __aexit__(self, *exc):
        self.stop.set()
        await asyncio.wait(self.tasks, timeout=5)
        await self.session.close()
        await self.client.aclose()


async def test_one_parent_and_thirty_children_down_is_one_notification_naming_the_thirty(
        systems, receiver, smtp, redis_url):
    controller, mailbox = smtp
    async with Running(data_center(systems, receiver, controller.port), redis_url) as run:
        client = run.client
        assert await until(lambda: _all(client, "up", CHILDREN + 1), 15), "every service up first"
        cut = monotonic()
        systems.force("dc", "down")  # the data-center network and everything behind it
        assert await until(lambda: _all(client, "down", CHILDREN + 1), 15)
        to_down = monotonic() - cut
        assert to_down <= FAST["interval"] * FAST["down_after"] + 10
        # group_wait passes, then one message per channel
        assert await until(lambda: _count(receiver.telegram, 1), 10)
        await asyncio.sleep(1.5)  # nothing else comes
        assert len(receiver.telegram) == 1 and len(receiver.whatsapp) == 1 and len(mailbox.messages) == 1
        text = receiver.telegram[0]["text"]
        assert text.startswith("[MATI] Jaringan Pusat Data (Diskominfo SP) — 30 layanan lain terdampak")
        assert all(f"Layanan {i:02d} (RSUD Banten)" in text for i in range(CHILDREN))
        assert receiver.telegram[0]["chat_id"] == "-100200300"
        assert receiver.whatsapp[0]["to"] == "6281200000001"
        assert receiver.whatsapp[0]["auth"] == "Bearer wa-gateway-token"
        assert "Subject: [MATI] Jaringan Pusat Data" in mailbox.messages[0]
        assert "Layanan 29 (RSUD Banten)" in mailbox.messages[0]
        # the children are DOWN on the wall, counted under their parent
        child = json.loads(await client.hget(monitor_state(), "layanan-07"))
        assert child["state"] == "down" and child["suppressed_by"] == "jaringan-dc"
        stored = incidents(connect(redis_url, decode_responses=True))
        assert len(stored) == 1 and len(stored[0]["affected"]) == CHILDREN

        back = monotonic()
        systems.force("dc", None)
        assert await until(lambda: _all(client, "up", CHILDREN + 1), 15)
        assert monotonic() - back <= FAST["interval"] * FAST["up_after"] + 10
        assert await until(lambda: _count(receiver.telegram, 2), 5)
        assert receiver.telegram[1]["text"].startswith("[PULIH] Jaringan Pusat Data (Diskominfo SP)")
        await asyncio.sleep(1)
        assert len(receiver.telegram) == 2
    print(f"time to DOWN {to_down:.1f} s")


async def test_reminders_until_acknowledged_and_quiet_in_maintenance(systems, receiver, smtp, redis_url):
    controller, _ = smtp
    monitors = data_center(systems, receiver, controller.port, children=3, renotify_every=1.0, group_wait=0.5)
    async with Running(monitors, redis_url) as run:
        assert await until(lambda: _all(run.client, "up", 4), 15)
        systems.force("dc", "down")
        assert await until(lambda: _count(receiver.telegram, 2), 15), "the first message and one reminder"
        assert receiver.telegram[1]["text"].startswith("[MASIH MATI] Jaringan Pusat Data")
        sync = connect(redis_url, decode_responses=True)
        ack = acknowledge_incident(sync, incidents(sync)[0]["id"], "operator-kominfo")
        assert ack["who"] == "operator-kominfo"
        told = len(receiver.telegram)
        await asyncio.sleep(1.5)
        assert len(receiver.telegram) == told, "no reminder after the acknowledgement"
        systems.force("dc", None)

    now = wib_now().replace(tzinfo=None)
    window = {"title": "Ganti router inti", "services": ["diskominfo", "rsud-banten"],
              "start": (now - timedelta(minutes=5)).isoformat(), "end": (now + timedelta(hours=1)).isoformat()}
    receiver.telegram.clear()
    connect(redis_url).flushall()
    async with Running(data_center(systems, receiver, controller.port, children=3, maintenance=[window],
                                   group_wait=0.5), redis_url) as run:
        assert await until(lambda: _all(run.client, "up", 4), 15)
        systems.force("dc", "down")
        assert await until(lambda: _all(run.client, "down", 4), 15)
        await asyncio.sleep(1.5)
        assert receiver.telegram == [], "nobody is told about planned work"
        systems.force("dc", None)


async def test_probe_uplink_cut_is_monitor_offline_not_thirty_downs(systems, receiver, smtp, redis_url):
    controller, _ = smtp
    uplink_port = free_port()
    uplink = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", uplink_port)
    monitors = data_center(systems, receiver, controller.port, uplink=[f"127.0.0.1:{uplink_port}"], notify=["telegram"])
    async with Running(monitors, redis_url) as run:
        client = run.client
        assert await until(lambda: _all(client, "up", CHILDREN + 1), 15)
        uplink.close()
        await uplink.wait_closed()
        for path in ["dc", *[f"dc/layanan-{i:02d}" for i in range(CHILDREN)]]:
            systems.force(path, "down")  # from the probe's side, nothing answers any more
        assert await until(lambda: _all(client, "unknown", CHILDREN + 1), 10)
        await asyncio.sleep(3)
        assert "down" not in (await states(client)).values()
        probe = await client.hgetall(monitor_probe("pusat"))
        assert probe["state"] == "offline" and "uplink" in probe["reason"]
        subjects = [m["text"].split("\n")[0] for m in receiver.telegram]
        assert subjects == ["[MONITOR OFFLINE] probe pusat"]
        assert incidents(connect(redis_url, decode_responses=True)) == []

        uplink = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", uplink_port)
        for path in ["dc", *[f"dc/layanan-{i:02d}" for i in range(CHILDREN)]]:
            systems.force(path, None)
        assert await until(lambda: _all(client, "up", CHILDREN + 1), 15)
        assert (await client.hgetall(monitor_probe("pusat")))["state"] == "online"
    uplink.close()


async def _all(client, state: str, n: int) -> bool:
    found = await states(client)
    return len(found) == n and all(s == state for s in found.values())


async def _count(items: list, n: int) -> bool:
    return len(items) >= n


async def test_degraded_and_expiring_certificates_are_told_once(receiver, redis_url):
    monitors = settings(
        {"dinkes": {"name": "Dinas Kesehatan", "short": "Dinkes", "notify": ["telegram"], "services": {
            "sisrute": {"name": "SISRUTE", "kind": "http", "target": "http://sisrute/", "degraded_ms": 800},
            "satu-data": {"name": "Satu Data", "kind": "tls", "target": "https://satudata/"}}}},
        group_wait=1, channels={"telegram": {"kind": "telegram", "api_url": receiver.url,
                                             "bot_token": "123456:demo-token", "chat_id": "-100200300"}})
    client = connect_async(redis_url, decode_responses=True)
    async with aiohttp.ClientSession() as session:
        monitor = Monitor(monitors, client, session)
        now = utc_now()
        for i, ms in enumerate((120.0, 1350.0)):
            await monitor.apply(CheckResult("sisrute", now + timedelta(seconds=i), True, ms))
        await monitor.apply(CheckResult("satu-data", now, True, 30.0, "", now + timedelta(days=6, hours=1)))
        await monitor.desk.tick(now + timedelta(seconds=1.5))  # not yet: it may be on its way to DOWN
        assert [m["text"].split("\n")[0] for m in receiver.telegram] == [
            "[SERTIFIKAT] Satu Data (Dinkes) berakhir dalam 6 hari"]
        await monitor.desk.tick(now + timedelta(seconds=2.5))
        await monitor.desk.tick(now + timedelta(seconds=60))
        subjects = [m["text"].split("\n")[0] for m in receiver.telegram]
        assert subjects == ["[SERTIFIKAT] Satu Data (Dinkes) berakhir dalam 6 hari", "[TERGANGGU] SISRUTE (Dinkes)"]
        assert "lambat: 1350 ms (batas 800 ms)" in receiver.telegram[1]["text"]
    await client.aclose()
