"""The real-source kinds over HTTP: the simulated agencies -> adapter -> Redis stream, bad rows -> dead letters."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest
import yaml
from aiohttp import web

from core.config import parse_config
from core.health import FeedHealth
from core.redis import connect_async, free_port
from core.regions import KABKOTA, PROVINCE_CODE
from core.streams import DEADLETTER, Record, feed_health, feed_stream, feed_watermark
from ingest.supervisor import Supervisor
from tests.support.demo import FakeIngest, start_demo
from tests.support.paths import PAYLOADS

ROOT = Path(__file__).resolve().parents[3]
SOURCE_FEEDS = ("harga_pihps", "panel_bapanas", "lpse_spse", "pormas_laporan", "bps_webapi", "yankes_ruang",
                "bansos_tahap", "cctv_kamera")
REGIONS = {*KABKOTA, PROVINCE_CODE}


def project_feeds(ids, base_port: int) -> dict:
    """The project's own config of these feeds, moved to the demo's test ports as the system tests do."""
    feeds = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["feeds"]
    out = {}
    for fid in ids:
        feed = dict(feeds[fid])
        port = int(feed["url"].split("127.0.0.1:")[1].split("/")[0])
        feed["url"] = feed["url"].replace(f"127.0.0.1:{port}", f"127.0.0.1:{base_port + port - 8071}")
        feed.pop("upload_tokens", None)
        feed["key"] = "demo" if fid == "bps_webapi" else feed.get("key")
        out[fid] = {k: v for k, v in feed.items() if v is not None}
    return out


async def poll_once(feed, session):
    """One poll as the supervisor runs it: fetch, parse, store, then move any watermark."""
    rows = feed.parse(await feed.fetch(session))
    result = await feed.intake.take(rows)
    await feed.taken(rows)
    return rows, result


@pytest.fixture
async def demo():
    ingest = await FakeIngest().start()
    run, stop, task = await start_demo(ingest.port)
    yield run
    stop.set()
    await asyncio.wait_for(task, 5)
    await run.session.close()
    await ingest.stop()


async def test_every_source_kind_stores_the_demo_records(redis_url, demo):
    config = parse_config({"feeds": project_feeds(SOURCE_FEEDS, demo.config.demo.base_port)})
    client = connect_async(redis_url, decode_responses=True)
    supervisor = Supervisor(config, client)
    async with aiohttp.ClientSession() as session:
        for feed_id, feed in supervisor.feeds.items():
            rows, result = await poll_once(feed, session)
            assert result.accepted > 0 and result.rejected == 0, (feed_id, result)
            records = [Record.decode(f) for _, f in await client.xrange(feed_stream(feed_id))]
            assert len(records) == result.accepted
            for record in records:
                assert record.region in REGIONS, (feed_id, record.region)
                assert record.application == config.feeds[feed_id].application
                assert all(name in record.payload for name in config.feeds[feed_id].fields)
                if config.feeds[feed_id].event_time:
                    assert record.event_time != record.ingest_time
    by_type = {}
    for _, fields in await client.xrange(feed_stream("lpse_spse")):
        payload = Record.decode(fields).payload
        by_type.setdefault(payload["record_type"], payload)
    assert set(by_type) == {"tender", "jadwal", "hasil"}
    assert isinstance(by_type["hasil"]["nilai_kontrak"], int)
    cameras = await client.xrange(feed_stream("cctv_kamera"))
    assert cameras and not any("rtsp://" in f["payload"] for _, f in cameras)
    prices = [Record.decode(f).payload for _, f in await client.xrange(feed_stream("harga_pihps"))]
    assert {p["kode_wilayah"] for p in prices} == {"3673", "3671", "3601", "3602"}
    await client.aclose()


async def test_pulled_complaints_resume_from_the_watermark_after_a_restart(redis_url, demo):
    config = parse_config({"feeds": project_feeds(["pormas_laporan"], demo.config.demo.base_port)})
    client = connect_async(redis_url, decode_responses=True)
    async with aiohttp.ClientSession() as session:
        first_rows, first = await poll_once(Supervisor(config, client).feeds["pormas_laporan"], session)
        watermark = await client.get(feed_watermark("pormas_laporan"))
        assert watermark == max(r["updated_at"] for r in first_rows)
        # A new worker (a restart) asks only for changes since the watermark; the edge second comes
        # again and is dropped as a duplicate, so nothing is stored twice and nothing is missed.
        rows, result = await poll_once(Supervisor(config, client).feeds["pormas_laporan"], session)
        assert len(rows) < len(first_rows) and all(r["updated_at"] >= watermark for r in rows)
        assert result.duplicates >= 1
        stored = [Record.decode(f).source_id for _, f in await client.xrange(feed_stream("pormas_laporan"))]
        assert len(stored) == len(set(stored)) == first.accepted + result.accepted
    await client.aclose()


class SavedSource:
    """A local agency serving saved payloads (malformed ones included) at the real paths."""

    def __init__(self, routes: dict[str, tuple[int, bytes]]):
        self.routes = routes
        self.port = free_port()

    async def __aenter__(self):
        app = web.Application()
        for path in self.routes:
            app.router.add_get(path, self._answer)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        return self

    async def _answer(self, request):
        status, body = self.routes[request.path]
        return web.Response(body=body, status=status, content_type="application/json")

    async def __aexit__(self, *exc):
        await self.runner.cleanup()


def saved_feeds(port: int) -> dict:
    common = {"interval": 0.2, "stale_after": 30}
    return {
        "bansos": {"kind": "bansos", "application": "e-bansos", "url": f"http://127.0.0.1:{port}/api/v1/penyaluran",
                   "source_id": "{kode_kab}-{program}-{tahap}-{status}", "region": "kode_kab",
                   "event_time": "updated_at",
                   "fields": {"program": "text", "tahap": "integer", "kpm_tersalur": "integer"}, **common},
        "kamera": {"kind": "cctv_listing", "application": "e-cctv", "url": f"http://127.0.0.1:{port}/api/cctv",
                   "source_id": "{id}", "region": "kode_kab", "event_time": "last_status_check", **common},
        "pihps": {"kind": "pihps", "application": "e-disikap", "url": f"http://127.0.0.1:{port}/pihps/grid",
                  "regencies": ["3673"], "source_id": "{kode_wilayah}-{commodity_key}-{tanggal}",
                  "region": "kode_wilayah", "event_time": "tanggal", "fields": {"harga": "number"}, **common},
        "rusak": {"kind": "bapanas", "application": "e-disikap", "url": f"http://127.0.0.1:{port}/api/panel-harga",
                  "source_id": "{city_id}", **common},
        "statistik": {"kind": "bps", "application": "e-statistik", "vars": [519],
                      "url": f"http://127.0.0.1:{port}/v1/api/list/model/data/domain/3600/var/{{var}}/key/{{key}}",
                      "source_id": "{kode_wilayah}-{tahun}-{periode}", "region": "kode_wilayah", **common},
    }


async def test_bad_rows_end_in_dead_letters_and_no_worker_crashes(redis_url):
    routes = {"/api/v1/penyaluran": (200, (PAYLOADS / "bansos_penyaluran.json").read_bytes()),
              "/api/cctv": (200, (PAYLOADS / "cctv_listing.json").read_bytes()),
              "/pihps/grid": (200, (PAYLOADS / "pihps_grid.json").read_bytes()),
              "/api/panel-harga": (200, (PAYLOADS / "truncated.json").read_bytes()),
              "/v1/api/list/model/data/domain/3600/var/519/key/": (200, (PAYLOADS / "bps_webapi.json").read_bytes())}
    client = connect_async(redis_url, decode_responses=True)
    async with SavedSource(routes) as source:
        config = parse_config({"feeds": saved_feeds(source.port)})
        stop = asyncio.Event()
        task = asyncio.create_task(Supervisor(config, client).run(stop))
        try:
            async def settled():
                feeds = {f["feed"] for _, f in await client.xrange(DEADLETTER)}
                return feeds >= {"bansos", "kamera", "pihps", "rusak", "statistik"} and \
                    all([await client.xlen(feed_stream(f)) for f in ("bansos", "kamera", "pihps", "statistik")])
            for _ in range(100):
                if await settled():
                    break
                await asyncio.sleep(0.05)
            letters = {}
            for _, f in await client.xrange(DEADLETTER):
                letters.setdefault(f["feed"], set()).add(f["reason"])
            assert "field 'kode_kab': unknown region code '3699' (not a kab/kota of Banten)" in letters["bansos"]
            assert any("'83.500' is ambiguous" in r for r in letters["bansos"])
            assert any("outside Banten" in r for r in letters["kamera"])
            assert any("'13.3OO' is not a number" in r for r in letters["pihps"])
            assert any("truncated JSON" in r for r in letters["rusak"])
            assert any("unknown region code '3699'" in r for r in letters["statistik"])
            assert any("matches no vervar" in r for r in letters["statistik"])
            # The good rows of the same payloads went in; the broken source counts as failing, not crashed.
            assert await client.xlen(feed_stream("bansos")) == 1 and await client.xlen(feed_stream("kamera")) == 2
            assert await client.xlen(feed_stream("pihps")) == 4 and await client.xlen(feed_stream("statistik")) == 4
            health = FeedHealth.decode(await client.hgetall(feed_health("rusak")))
            assert health.state == "error" and "truncated JSON" in health.last_error
            assert not task.done()
        finally:
            stop.set()
            await task
    await client.aclose()


async def test_a_source_that_cannot_be_reached_is_failing_without_its_address(redis_url):
    """Feed errors are shown on walls and in the public /healthz: the fault, never the internal address."""
    port = free_port()  # nothing listens here
    feeds = saved_feeds(port)
    client = connect_async(redis_url, decode_responses=True)
    await client.delete(feed_health("bansos"))
    config = parse_config({"feeds": {"bansos": feeds["bansos"]}})
    stop = asyncio.Event()
    task = asyncio.create_task(Supervisor(config, client).run(stop))
    try:
        health = None
        for _ in range(100):
            health = FeedHealth.decode(await client.hgetall(feed_health("bansos")))
            if health.last_error:
                break
            await asyncio.sleep(0.05)
        assert health.state == "error"
        assert health.last_error.startswith("ClientConnectorError")
        assert str(port) not in health.last_error and "127.0.0.1" not in health.last_error
        assert "<sumber>" in health.last_error
    finally:
        stop.set()
        await task
    await client.aclose()
