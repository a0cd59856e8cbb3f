"""Ingest against a real Redis and real HTTP: an agency service, the supervisor, webhooks, health."""

from __future__ import annotations

import asyncio
import json

import aiohttp

from core.config import parse_config
from core.health import FeedHealth
from core.redis import connect_async, free_port
from core.streams import ALERTS, DEADLETTER, Record, feed_health, feed_stream
from ingest.service import run_ingest
from ingest.supervisor import Supervisor
from tests.support.paths import PAYLOADS
from tests.support.price_panel import PricePanel

TOKEN = "test-token-0123456789"


def make_config(agency_port: int, ingest_port: int = 8060):
    return parse_config({
        "ingest": {"port": ingest_port},
        "feeds": {
            "panel_harga": {
                "kind": "http_json", "application": "e-disikap", "title": "Panel harga",
                "url": f"http://127.0.0.1:{agency_port}/api/panel-harga", "records": "data",
                "interval": 0.2, "stale_after": 2,
                "source_id": "{city_id}-{commodity_id}-{date}", "region": "city_id", "event_time": "date",
                "fields": {"rata_rata_geometrik": "number"},
            },
            "lapor": {
                "kind": "webhook", "application": "e-pormas", "title": "Pengaduan",
                "tokens": [TOKEN, "next-token-abcdef"],
                "source_id": "{tracking_id}-{status}", "region": "city_id", "stale_after": 1,
                "fields": {"tracking_id": "text", "status": "text"},
            },
        },
    })


async def wait_for(predicate, timeout=5.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await predicate()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


async def health(client, feed_id) -> FeedHealth:
    return FeedHealth.decode(await client.hgetall(feed_health(feed_id)))


async def test_a_polled_feed_end_to_end(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    async with PricePanel() as agency:
        config = make_config(agency.port)
        stop = asyncio.Event()
        task = asyncio.create_task(Supervisor(config, client).run(stop))
        try:
            # Two good rows are accepted; the unknown region and the "-" price go to dead letters.
            await wait_for(lambda: _xlen(client, feed_stream("panel_harga"), 2))
            stored = [Record.decode(f) for _, f in await client.xrange(feed_stream("panel_harga"))]
            assert {(r.region, r.payload["rata_rata_geometrik"]) for r in stored} == {("3673", 13300), ("3671", 13450)}
            letters = await client.xrange(DEADLETTER)
            reasons = sorted(f["reason"] for _, f in letters)
            assert reasons == ["field 'city_id': unknown region code '3699' (not a kab/kota of Banten)",
                               "field 'rata_rata_geometrik': '-' is not a number"]
            assert all(f["feed"] == "panel_harga" and f["raw"].startswith("{") for _, f in letters)

            # Later polls bring the same records: they are dropped as duplicates, not stored twice.
            await wait_for(lambda: _health_is(client, lambda h: h.duplicates >= 4))
            assert await client.xlen(feed_stream("panel_harga")) == 2
            h = await health(client, "panel_harga")
            assert (h.state, h.records_in) == ("ok", 2) and h.lag_s is not None

            # The source breaks: an HTML error page is a feed error; truncated JSON a dead letter.
            agency.status, agency.body = 502, (PAYLOADS / "gateway_error.html").read_bytes()
            await wait_for(lambda: _health_is(client, lambda h: h.state == "error" and "HTTP 502" in h.last_error))
            agency.status, agency.body = 200, (PAYLOADS / "truncated.json").read_bytes()
            await wait_for(lambda: _deadletter_has(client, "truncated JSON"))

            # It comes back by itself, and the recovery is announced once.
            agency.body = (PAYLOADS / "panel_harga.json").read_bytes()
            await wait_for(lambda: _health_is(client, lambda h: h.state == "ok"), timeout=10)
            # The announcement follows the state by a moment: wait for it, then count.
            await wait_for(lambda: _alerts_say(client, "pulih"))
            alerts = [f["message"] for _, f in await client.xrange(ALERTS)]
            assert sum("gagal mengambil data" in a for a in alerts) >= 1
            assert sum("pulih" in a for a in alerts) == 1
        finally:
            stop.set()
            await task
    await client.aclose()


async def test_webhook_over_http_with_tokens_dead_letters_and_staleness(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    port = free_port()
    config = make_config(free_port(), ingest_port=port)
    stop = asyncio.Event()
    task = asyncio.create_task(run_ingest(config, redis_url, stop))
    url = f"http://127.0.0.1:{port}/ingest/lapor"
    complaint = {"tracking_id": "LPR-1", "status": "diterima", "city_id": "3673", "nik": "3673012345670001"}
    try:
        async with aiohttp.ClientSession() as http:
            await wait_for(lambda: _answers(http, f"http://127.0.0.1:{port}/healthz"))
            async with http.post(url, json=complaint, headers={"Authorization": "Bearer wrong-token-000000"}) as resp:
                assert resp.status == 401
            async with http.post(url, json=complaint) as resp:
                assert resp.status == 401
            async with http.post(url, json=[complaint, complaint, {"status": "x"}],
                                 headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
                assert resp.status == 202
                assert await resp.json() == {"accepted": 1, "rejected": 1, "duplicates": 1}
            # The second token works too (rotation).
            async with http.post(url, data=b'{"tracking_id": "LPR-2", "stat',
                                 headers={"Authorization": "Bearer next-token-abcdef"}) as resp:
                assert resp.status == 400 and "invalid JSON" in (await resp.json())["error"]
            async with http.post(f"http://127.0.0.1:{port}/ingest/panel_harga", json=complaint,
                                 headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
                assert resp.status == 404

            [(_, stored)] = await client.xrange(feed_stream("lapor"))
            assert json.loads(stored["payload"])["nik"] == "3673********0001"
            assert await _deadletter_has(client, "invalid JSON")

            # No pushes for longer than stale_after: stale; a push brings it back.
            await wait_for(lambda: _health_is(client, lambda h: h.state == "stale", "lapor"), timeout=10)
            async with http.post(url, json={**complaint, "status": "selesai"},
                                 headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
                assert resp.status == 202
            assert (await health(client, "lapor")).state == "ok"
            async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                body = await resp.json()
                assert resp.status == 200 and body["redis"]["ok"] and body["feeds"]["lapor"]["state"] == "ok"
    finally:
        stop.set()
        await task
        await client.aclose()


async def _xlen(client, key, n):
    return await client.xlen(key) >= n


async def _health_is(client, test, feed_id="panel_harga"):
    return test(await health(client, feed_id))


async def _deadletter_has(client, text):
    return any(text in f["reason"] for _, f in await client.xrange(DEADLETTER))


async def _alerts_say(client, text):
    return any(text in f["message"] for _, f in await client.xrange(ALERTS))


async def _answers(http, url):
    try:
        async with http.get(url) as resp:
            return resp.status in (200, 503)
    except aiohttp.ClientError:
        return False
