"""serve(): one service per application on consecutive ports, and every feed of config.yaml satisfied."""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit

import pytest

from core.config import APPLICATIONS
from ingest.demo import build_services, serve, service_ports
from tests.support.demo import FakeClock, demo_config, feed_problems, feed_records
from tests.support.ports import free_port_block


async def test_each_application_listens_on_base_port_plus_its_index(demo):
    base = demo.config.demo.base_port
    assert demo.ports == {app: base + i for i, app in enumerate(APPLICATIONS)}
    assert demo.ports["e-bansos"] == base and demo.ports["e-disikap"] == base + 6
    # Each port is its own service: an endpoint of one is not found on another.
    assert (await demo.get("e-bansos", "/api/v1/penyaluran")).status == 200
    assert (await demo.get("e-cctv", "/api/v1/penyaluran")).status == 404


async def test_every_pulled_feed_in_config_accepts_what_the_demo_serves(demo):
    # The generic kinds read the demo's answers as they are; the source-format kinds (pihps, spse,
    # bps, ...) are checked against the demo through their own adapters in tests/integration/ingest.
    pulled = {fid: f for fid, f in demo.config.feeds.items() if "url" in f.options and f.kind in ("http_json", "csv")}
    assert {f.application for f in pulled.values()} >= {"e-bansos", "e-cctv", "e-statistik", "e-yankes",
                                                           "e-lpse", "e-disikap"}
    for feed_id, feed in pulled.items():
        url = urlsplit(feed.options["url"])
        path = url.path + (f"?{url.query}" if url.query else "")
        response = await demo.get(feed.application, path)
        assert response.status == 200, (feed_id, response.status)
        records = feed_records(feed, await response.read())
        assert records, feed_id
        for record in records:
            assert feed_problems(feed, record, from_csv=feed.kind == "csv") == [], (feed_id, record)
            for name in feed.drop_fields:
                assert name in record, f"{feed_id}: the real source has {name}, so the demo serves it"


async def test_a_busy_port_is_reported_by_application_and_nothing_is_left_listening():
    base = free_port_block(10)
    config = demo_config(base, free_port_block(1))
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", base + 3))
        blocker.listen()
        with pytest.raises(OSError, match="e-statistik"):
            await asyncio.wait_for(serve(config, asyncio.Event()), 5)
    for port in (base, base + 1, base + 2):
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))  # released again


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


async def test_stop_ends_serve_promptly(ingest):
    config = demo_config(free_port_block(10), ingest.port)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(config, stop))
    port = service_ports(config)["e-bansos"]
    deadline = asyncio.get_running_loop().time() + 5
    while not listening(port):  # e-Bansos answers while it runs
        assert asyncio.get_running_loop().time() < deadline, "e-Bansos never listened"
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, 3)  # serve returns within 3 s of the stop
    assert task.done() and task.exception() is None
    assert not listening(port), "e-Bansos still listens after the stop"


def test_the_same_seed_and_day_give_the_same_data():
    config = demo_config(8071, 8060)
    first = build_services(config, FakeClock())
    second = build_services(config, FakeClock())
    for application in APPLICATIONS:
        a, b = first[application], second[application]
        if hasattr(a, "records"):
            assert a.records() == b.records(), application
    assert first["e-disikap"].panel() == second["e-disikap"].panel()
