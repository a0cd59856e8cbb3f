"""Operator upload: every row checked, errors per row and column in Bahasa Indonesia, all or nothing."""

from __future__ import annotations

import io

import aiohttp
import openpyxl
import pytest
from aiohttp import web

from core.config import parse_config
from core.redis import connect_async, free_port
from core.streams import DEADLETTER, Record, feed_stream
from ingest.http_api import create_api
from ingest.supervisor import Supervisor
from ingest.upload import FileRefused, upload
from tests.support.paths import PAYLOADS

TOKEN = "upload-token-0123456789"
HEADER = ["commodity", "commodity_key", "harga", "kode_wilayah", "pasar", "price_type_id", "tanggal"]


def config():
    return parse_config({"feeds": {"harga": {
        "kind": "pihps", "application": "e-disikap", "url": "http://127.0.0.1:9/pihps/grid",
        "source_id": "{kode_wilayah}-{pasar}-{commodity_key}-{tanggal}", "region": "kode_wilayah",
        "event_time": "tanggal", "fields": {"commodity": "text", "harga": "number", "price_type_id": "integer"},
        "upload_tokens": [TOKEN]}}})


async def test_a_good_file_is_accepted_whole(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    feed = Supervisor(config(), client).feeds["harga"]
    result = await upload("harga", feed.feed, feed.intake, (PAYLOADS / "harga_unggah_ok.csv").read_bytes())
    assert result.ok and (result.rows, result.accepted) == (4, 4)
    records = [Record.decode(f) for _, f in await client.xrange(feed_stream("harga"))]
    assert [(r.region, r.payload["harga"]) for r in records] == [
        ("3673", 13300), ("3673", 62150), ("3671", 19750), ("3601", 30300)]
    assert {r.event_time.date().isoformat() for r in records} == {"2026-11-27"}  # 28 Nov 00:00 WIB in UTC
    await client.aclose()


async def test_a_file_with_two_bad_rows_is_refused_whole_with_every_error(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    feed = Supervisor(config(), client).feeds["harga"]
    raw = (PAYLOADS / "harga_unggah_2_salah_cp1252.csv").read_bytes()  # ';'-separated, Windows-1252
    result = await upload("harga", feed.feed, feed.intake, raw)
    assert not result.ok and result.rows == 7
    assert [str(e) for e in result.errors] == [
        "baris 7, kolom harga: '13.3OO' bukan angka",
        "baris 8, kolom kode_wilayah: kode wilayah '3699' bukan kab/kota di Banten",
        "baris 8, kolom tanggal: '31/02/2026' bukan tanggal/waktu yang dikenali (mis. 2026-11-28 13:00 atau "
        "28/11/2026)",
    ]
    assert await client.xlen(feed_stream("harga")) == 0 and await client.xlen(DEADLETTER) == 0
    await client.aclose()


async def test_a_file_that_is_no_table_is_refused(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    feed = Supervisor(config(), client).feeds["harga"]
    with pytest.raises(FileRefused, match="HTML"):
        await upload("harga", feed.feed, feed.intake, (PAYLOADS / "gateway_error.html").read_bytes())
    await client.aclose()


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_upload_over_http_needs_the_feed_token(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    supervisor = Supervisor(config(), client)
    runner = web.AppRunner(create_api(supervisor, client, redis_url))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    url = f"http://127.0.0.1:{port}/upload/harga"

    def form(raw: bytes, name: str) -> aiohttp.FormData:
        data = aiohttp.FormData()
        data.add_field("file", raw, filename=name)
        return data

    good = workbook([HEADER, ["Beras Medium I", "beras_medium_i", 13300, "3673", "Pasar Rau", 1, "28/11/2026"],
                     ["Gula Pasir", "gula_pasir", "19.750,00", "3674", "Pasar Ciputat", 1, "2026-11-28"]])
    bad = workbook([HEADER, ["Beras Medium I", "beras_medium_i", "13.300", "3673", "Pasar Rau", 1, "28/11/2026"],
                    ["Gula Pasir", "gula_pasir", 19750, "3674", "Pasar Ciputat", "satu", "2026-11-28"]])
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(url, data=form(good, "harga.xlsx")) as resp:
                assert resp.status == 401
            async with http.post(url, data=form(good, "harga.xlsx"), headers={"Authorization": "Bearer wrong"}) as resp:
                assert resp.status == 401
            auth = {"Authorization": f"Bearer {TOKEN}"}
            async with http.post(url, data=form(bad, "harga.xlsx"), headers=auth) as resp:
                assert resp.status == 422
                body = await resp.json()
            assert [e["pesan"] for e in body["kesalahan"]] == [
                "baris 2, kolom harga: '13.300' ambigu (pemisah ribuan atau titik desimal?): "
                "tulis 13300 atau 13.300,00",
                "baris 3, kolom price_type_id: 'satu' bukan angka"]
            assert await client.xlen(feed_stream("harga")) == 0
            async with http.post(url, data=form(good, "harga.xlsx"), headers=auth) as resp:
                assert resp.status == 202
                assert (await resp.json())["diterima"] == 2
            async with http.post(f"http://127.0.0.1:{port}/upload/nope", data=form(good, "x.xlsx"),
                                 headers=auth) as resp:
                assert resp.status == 404
        assert await client.xlen(feed_stream("harga")) == 2
    finally:
        await runner.cleanup()
        await client.aclose()
