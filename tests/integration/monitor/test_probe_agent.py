"""A probe agent inside an OPD's network pushes its results to the ingest API with its own token; the
monitor applies them. Wrong tokens and other probes' services are refused; push heartbeats arrive;
a probe that cannot reach the command center keeps its results and sends them later."""

from __future__ import annotations

import asyncio
import json

import aiohttp
from aiohttp import web

from core.config import parse_config
from core.redis import connect_async, free_port
from core.streams import DEADLETTER, monitor_heartbeat, monitor_probe, monitor_state
from ingest.monitor.api import mount
from ingest.monitor.monitor import Monitor
from ingest.monitor.probe_agent import ProbeAgent
from ingest.monitor.service import follow_inbox

TOKEN = "probe-lebak-token-0123456789"


def config(systems):
    return parse_config({"monitors": {
        "probes": {"lebak": {"name": "Probe Diskominfo Lebak", "token": TOKEN}},
        "opds": {"kominfo-lebak": {"name": "Diskominfo Lebak", "services": {
            "pengaduan-lebak": {"name": "Pengaduan Lebak", "kind": "http", "target": systems.url("sehat"),
                                "interval": 1, "timeout": 0.8, "probe": "lebak"},
            "simpeg-lebak": {"name": "SIMPEG Lebak", "kind": "http", "target": systems.url("mati"),
                             "interval": 1, "timeout": 0.8, "down_after": 2, "probe": "lebak"},
            "cadangan": {"name": "Cadangan harian", "kind": "push", "token": "cron-cadangan-0123456789",
                         "interval": 60}}}}}})


async def serve_api(cfg, client) -> tuple[web.AppRunner, str]:
    app = web.Application()
    mount(app, cfg, client)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


async def test_probe_results_reach_the_wall_through_the_ingest_api(systems, redis_url):
    cfg = config(systems)
    systems.force("mati", "down")
    client = connect_async(redis_url, decode_responses=True)
    stop = asyncio.Event()
    async with aiohttp.ClientSession() as session:
        # the command center's ingest is not up yet: the agent keeps what it checks
        dead_url = f"http://127.0.0.1:{free_port()}"
        agent = ProbeAgent(cfg, "lebak", dead_url, session)
        for _ in range(3):
            await agent.check("pengaduan-lebak")
        await agent.send()
        assert len(agent.waiting) == 3 and agent.sent == 0

        runner, url = await serve_api(cfg, client)
        monitor = Monitor(cfg.monitors, client, session)
        follower = asyncio.create_task(follow_inbox(monitor, stop))
        await asyncio.sleep(0.2)
        agent.url = url + "/monitor/results"
        await agent.send()
        assert agent.sent == 3 and not agent.waiting
        running = asyncio.create_task(agent.run(stop, 8))
        try:
            for _ in range(60):
                state = {k: json.loads(v)["state"] for k, v in (await client.hgetall(monitor_state())).items()}
                if state.get("pengaduan-lebak") == "up" and state.get("simpeg-lebak") == "down":
                    break
                await asyncio.sleep(0.1)
            assert state["pengaduan-lebak"] == "up" and state["simpeg-lebak"] == "down"
            down = json.loads(await client.hget(monitor_state(), "simpeg-lebak"))
            assert down["probe"] == "lebak" and down["reason"] == "HTTP 503 (diharapkan 200)"
            assert (await client.hgetall(monitor_probe("lebak")))["state"] == "online"

            # another's token, and a service the probe does not own
            async with session.post(url + "/monitor/results", json={"results": []},
                                    headers={"Authorization": "Bearer not-the-token"}) as resp:
                assert resp.status == 401
            async with session.post(url + "/monitor/results", headers={"Authorization": f"Bearer {TOKEN}"},
                                    json={"results": [{"service": "cadangan", "at": "2026-12-01T00:00:00Z", "ok": "1"},
                                                      {"service": "pengaduan-lebak"}]}) as resp:
                answer = await resp.json()
            assert resp.status == 202 and answer["accepted"] == 0
            assert [r["reason"] for r in answer["rejected"]] == [
                "service 'cadangan' is not checked by probe lebak", "missing field 'ok'"]
            assert {e[1]["feed"] for e in await client.xrange(DEADLETTER)} == {"monitor:lebak"}

            # a cron job's heartbeat
            async with session.post(url + "/monitor/push/cadangan?token=wrong-token-000000") as resp:
                assert resp.status == 401
            async with session.post(url + "/monitor/push/cadangan",
                                    headers={"Authorization": "Bearer cron-cadangan-0123456789"}) as resp:
                assert resp.status == 200
            assert await client.get(monitor_heartbeat("cadangan"))
        finally:
            stop.set()
            await asyncio.wait([running, follower], timeout=5)
            await runner.cleanup()
            await client.aclose()
