"""Ingest abuse bounded, each against real HTTP: a source that redirects elsewhere or answers
without end, a camera listing naming files or other hosts, a zip-bomb workbook, a large workbook
while webhooks wait, oversized bodies before any check, and values that would forge log lines."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import logging
import time
import zipfile

import aiohttp
import openpyxl
import pytest
from aiohttp import web

from core.cameras import CameraGroup, CameraListing
from core.config import parse_config
from core.log_lines import keep_log_lines_whole
from core.redis import free_port
from core.streams import feed_stream
from ingest.cameras.registry import ListingSource
from ingest.feeds import registry as feed_kinds
from ingest.feeds.base import FetchError
from tests.support.ingest_server import running_ingest

UPLOAD_TOKEN = "upload-token-0123456789"
WEBHOOK_TOKEN = "webhook-token-0123456789"


class Site:
    """A real HTTP server on a free port with the routes a test gives it; counts the requests it gets."""

    def __init__(self, routes: dict):
        self.routes, self.hits, self.headers = routes, [], []
        self.port = free_port()

    async def __aenter__(self):
        app = web.Application()
        for path, handler in self.routes.items():
            async def counted(request, handler=handler):
                self.hits.append(request.path)
                self.headers.append(dict(request.headers))
                return await handler(request)
            app.router.add_get(path, counted)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc):
        await self.runner.cleanup()


def json_feed(url: str, **options):
    config = parse_config({"feeds": {"f": {"kind": "http_json", "application": "e-yankes", "url": url,
                                           "source_id": "{id}", "headers": {"X-Api-Key": "kunci-rahasia"}, **options}}})
    return feed_kinds()["http_json"]("f", config.feeds["f"], None)


async def test_a_source_redirecting_to_another_host_is_not_followed_and_gets_no_api_key():
    async def elsewhere(request):
        return web.json_response({"data": [{"id": "internal"}]})
    async with Site({"/metadata": elsewhere}) as internal:
        async def moved(request):
            raise web.HTTPFound(f"http://localhost:{internal.port}/metadata")
        async def same_host(request):
            raise web.HTTPFound("/api/bed")
        async def bed(request):
            return web.json_response({"data": [{"id": "RS01"}]})
        async with Site({"/api/moved": moved, "/api/old": same_host, "/api/bed": bed}) as source:
            async with aiohttp.ClientSession() as session:
                with pytest.raises(FetchError, match="redirect to another host, not followed"):
                    await json_feed(f"http://127.0.0.1:{source.port}/api/moved").fetch(session)
                # A move within the source's own host is followed.
                raw = await json_feed(f"http://127.0.0.1:{source.port}/api/old").fetch(session)
                assert json.loads(raw)["data"] == [{"id": "RS01"}]
    assert internal.hits == []  # the other host never saw the request, nor the API key


async def test_an_answer_without_end_is_cut_at_max_bytes_compressed_or_not():
    async def endless(request):
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(64):  # 64 MB if read to the end
            await response.write(b"[" + b"0," * 524_288)
        return response
    bomb = gzip.compress(b" " * (64 * 1024 * 1024), compresslevel=1)  # 64 MB in about 60 kB

    async def gzipped(request):
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
    async with Site({"/endless": endless, "/bomb": gzipped}) as source:
        async with aiohttp.ClientSession() as session:
            for path in ("/endless", "/bomb"):
                feed = json_feed(f"http://127.0.0.1:{source.port}{path}", max_bytes=1_048_576)
                with pytest.raises(FetchError, match="answer larger than 1048576 bytes"):
                    await feed.fetch(session)


async def test_a_camera_listing_may_name_network_streams_on_its_own_host_only():
    items = [{"id": "ok", "group": "dishub", "kode_kab": "3673", "lat": -6.1, "lon": 106.1, "name": "Simpang",
              "stream_url": "rtsp://u:p@127.0.0.1:8554/cam1"},
             {"id": "berkas", "group": "dishub", "kode_kab": "3673", "lat": -6.1, "lon": 106.1, "name": "Simpang",
              "protocol": "hls",
              "stream_url": "file:///etc/passwd"},
             {"id": "metadata", "group": "dishub", "kode_kab": "3673", "lat": -6.1, "lon": 106.1, "name": "Simpang",
              "stream_url": "http://169.254.169.254/latest/whep"},
             {"id": "lain", "group": "dishub", "kode_kab": "3673", "lat": -6.1, "lon": 106.1, "name": "Simpang",
              "stream_url": "rtsp://10.20.30.40:554/Streaming/Channels/101"},
             {"id": "sub-lain", "group": "dishub", "kode_kab": "3673", "lat": -6.1, "lon": 106.1, "name": "Simpang",
              "stream_url": "rtsp://127.0.0.1:8554/cam2", "stream_url_sub": "rtsp://10.20.30.40/sub"}]

    async def listing(request):
        return web.json_response({"data": items})
    groups = {"dishub": CameraGroup(roles=["operator"])}
    async with Site({"/api/cctv": listing}) as site:
        feed = parse_config({"feeds": {"daftar": {"kind": "cctv_listing", "application": "e-cctv", "source_id": "{id}",
                                                  "url": f"http://127.0.0.1:{site.port}/api/cctv"}}}).feeds["daftar"]
        own_host = ListingSource("daftar", feed, CameraListing(), groups)
        async with aiohttp.ClientSession() as session:
            await own_host.read(session)
            assert set(own_host.cameras) == {"ok"}
            reasons = sorted(own_host._told)
            assert any("berkas: stream address scheme 'file' is not allowed" in r for r in reasons)
            assert sum("on a host the listing may not name" in r for r in reasons) == 3
            # The site lists its camera network's host: those cameras join, the rest stays out.
            allowed = ListingSource("daftar", feed, CameraListing(hosts=["127.0.0.1", "10.20.30.40"]), groups)
            await allowed.read(session)
            assert set(allowed.cameras) == {"ok", "lain", "sub-lain"}


@pytest.fixture
async def ingest(redis_url):
    feed = {"source_id": "{kode_wilayah}-{pasar}-{commodity_key}-{tanggal}", "region": "kode_wilayah",
            "event_time": "tanggal", "fields": {"commodity": "text", "harga": "number"}}
    config = parse_config({
        "ingest": {"max_body": 2_000_000}, "auth": {"ingest_limit": {"per_second": 50, "burst": 2}},
        "feeds": {"harga": {"kind": "pihps", "application": "e-disikap", "url": "http://127.0.0.1:9/g",
                            "upload_tokens": [UPLOAD_TOKEN], **feed},
                  "lapor": {"kind": "webhook", "application": "e-pormas", "tokens": [WEBHOOK_TOKEN],
                            "source_id": "{id}"}}})
    async with running_ingest(config, redis_url) as (base, client, _):
        yield base, client


async def post_file(base: str, raw: bytes, name: str = "harga.xlsx") -> tuple[int, dict]:
    form = aiohttp.FormData()
    form.add_field("file", raw, filename=name)
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/upload/harga", data=form,
                             headers={"Authorization": f"Bearer {UPLOAD_TOKEN}"}) as resp:
            return resp.status, await resp.json()


def zip_bomb() -> bytes:
    """A real workbook whose sheet is padded to unpack to 300 MB (about 300 kB packed)."""
    book = openpyxl.Workbook()
    book.active.append(["commodity", "harga"])
    small = io.BytesIO()
    book.save(small)
    out = io.BytesIO()
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            data = source.read(part)
            if part.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(part, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            with archive.open(part.filename, "w") as sheet:
                sheet.write(head + b"<sheetData>")
                for _ in range(300):
                    sheet.write(b" " * 1_048_576)
                sheet.write(tail)
    return out.getvalue()


async def test_a_zip_bomb_workbook_is_refused_from_its_directory_unread(ingest):
    base, client = ingest
    bomb = zip_bomb()
    assert len(bomb) < 2_000_000
    status, body = await post_file(base, bomb)
    assert status == 400 and "unpacks to 300 MB, more than 200 MB: refused unread" in body["error"]
    assert await client.xlen(feed_stream("harga")) == 0


def big_workbook(rows: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["commodity", "commodity_key", "harga", "kode_wilayah", "pasar", "tanggal"])
    for i in range(rows):
        sheet.append([f"Komoditas {i}", f"k{i}", 10_000 + i, "3673", "Pasar Rau", "28/11/2026"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_webhooks_are_answered_while_a_large_workbook_is_read(ingest):
    base, _ = ingest
    # Big enough that reading it takes seconds: the loop's own turns (storing each batch) stay a
    # small part of it even when another test process shares the cores.
    raw = await asyncio.to_thread(big_workbook, 20_000)
    answered: list[float] = []

    async def probe(stop: asyncio.Event):
        async with aiohttp.ClientSession() as http:
            while not stop.is_set():
                async with http.get(f"{base}/healthz") as resp:
                    await resp.read()
                answered.append(time.monotonic())
                await asyncio.sleep(0.02)
    stop = asyncio.Event()
    prober = asyncio.create_task(probe(stop))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    status, body = await post_file(base, raw)
    took = time.monotonic() - started
    stop.set()
    await prober
    assert status == 202 and body["diterima"] == 20_000
    during = [t for t in answered if started <= t <= started + took]
    gaps = [b - a for a, b in zip([started, *during], [*during, started + took])]
    # On the event loop the health check would wait for the whole read (seconds); in a thread it
    # is answered throughout, at most a small part of the upload's time apart.
    assert took > 0.5 and max(gaps) < took / 3, (took, max(gaps), len(during))


async def test_oversized_bodies_are_refused_before_any_check_reads_them(ingest):
    base, _ = ingest
    async with aiohttp.ClientSession() as http:
        for path in ("/ingest/lapor", "/upload/harga"):  # anonymous: no token at all
            async with http.post(base + path, data=b"x" * 3_000_000) as resp:
                assert resp.status == 413, path
        async with http.post(base + "/ingest/lapor", data=b"[]", headers={"Authorization": "Bearer nope"}) as resp:
            assert resp.status == 401  # a small body goes on to the token check


async def test_values_from_outside_cannot_forge_log_lines(ingest):
    base, _ = ingest
    text = io.StringIO()
    handler = logging.StreamHandler(text)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    keep_log_lines_whole([handler])
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        async with aiohttp.ClientSession() as http:
            forged = "/ingest/x%0D%0AINFO%20ingest.http:%20upload%20accepted%20for%20admin"
            for _ in range(4):  # past the burst: the refusal is logged with the path
                async with http.post(base + forged, data=b"{}") as resp:
                    await resp.read()
        items = [{"id": "x", "group": "dishub\nINFO video.registry: all cameras fine", "kode_kab": "3673",
                  "lat": -6.1, "lon": 106.1, "stream_url": "rtsp://127.0.0.1/x"}]

        async def listing(request):
            return web.json_response({"data": items})
        async with Site({"/api/cctv": listing}) as site:
            feed = parse_config({"feeds": {"d": {"kind": "cctv_listing", "application": "e-cctv", "source_id": "{id}",
                                                 "url": f"http://127.0.0.1:{site.port}/api/cctv"}}}).feeds["d"]
            async with aiohttp.ClientSession() as session:
                await ListingSource("d", feed, CameraListing(),
                                    {"dishub": CameraGroup(roles=["operator"])}).read(session)
    finally:
        root.removeHandler(handler)
    lines = text.getvalue().splitlines()
    assert any("rate limited" in line for line in lines) and any("unknown camera group" in line for line in lines)
    assert not [line for line in lines if line.startswith("INFO ")], lines
    assert any("\\r\\nINFO ingest.http: upload accepted" in line for line in lines)
