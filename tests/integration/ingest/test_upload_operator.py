"""Uploads forwarded by the operator screen: the internal token names the operator, who goes into the
audit trail; the file is still checked row by row and written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from core.config import parse_config
from core.redis import connect_async, free_port
from core.streams import AUDIT, Record, feed_stream
from core.users import Account, save_users
from ingest.http_api import create_api
from ingest.supervisor import Supervisor
from tests.support.app import known_hash
from tests.support.paths import PAYLOADS

INTERNAL = "internal-token-0123456789abcdef"
FEED_TOKEN = "upload-token-0123456789"


def config(users_file: Path | None = None, **harga):
    return parse_config({
        "ingest": {"internal_token": INTERNAL},
        "auth": {"users_file": str(users_file or "var/no-such-users.yaml")},
        "feeds": {
            "harga": {"kind": "pihps", "application": "e-disikap", "url": "http://127.0.0.1:9/pihps/grid",
                      "source_id": "{kode_wilayah}-{pasar}-{commodity_key}-{tanggal}", "region": "kode_wilayah",
                      "event_time": "tanggal", "fields": {"commodity": "text", "harga": "number",
                                                          "price_type_id": "integer"}, **harga},
            "beds": {"kind": "http_json", "application": "e-yankes", "url": "http://127.0.0.1:9/api/bed",
                     "source_id": "{kode_rs}", "fields": {"kode_rs": "text"}}}})


def operators_file(folder: Path) -> Path:
    """The users file ingest checks a forwarded upload's operator against: siti may use `harga`."""
    path = folder / "users.yaml"
    save_users(path, {"siti.disperindag": Account(role="operator", password=known_hash("kata-sandi-uji-1"),
                                                  feeds=["harga"])})
    return path


@pytest.fixture
async def ingest_api(redis_url, tmp_path):
    """The ingest process's real HTTP side on a free port, with uploads on for `harga` (operators only)."""
    client = connect_async(redis_url, decode_responses=True)
    runner = web.AppRunner(create_api(Supervisor(config(operators_file(tmp_path), upload=True), client), client,
                                      redis_url))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}", client
    await runner.cleanup()
    await client.aclose()


async def post(base: str, feed: str, raw: bytes, headers: dict) -> tuple[int, dict]:
    form = aiohttp.FormData()
    form.add_field("file", raw, filename="harga.csv")
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/upload/{feed}", data=form, headers=headers) as resp:
            return resp.status, await resp.json()


def as_operator(name: str, token: str = INTERNAL) -> dict:
    return {"Authorization": f"Bearer {token}", "X-CC-Operator": name}


async def test_an_operators_whole_file_is_stored_and_audited_in_their_name(ingest_api):
    base, client = ingest_api
    status, body = await post(base, "harga", (PAYLOADS / "harga_unggah_ok.csv").read_bytes(),
                              as_operator("siti.disperindag"))
    assert status == 202 and (body["baris"], body["diterima"], body["duplikat"]) == (4, 4, 0)
    records = [Record.decode(f) for _, f in await client.xrange(feed_stream("harga"))]
    assert [(r.region, r.payload["commodity_key"], r.payload["harga"]) for r in records] == [
        ("3673", "beras_medium_i", 13300), ("3673", "cabai_rawit_merah", 62150),
        ("3671", "gula_pasir_lokal", 19750), ("3601", "telur_ayam_ras_segar", 30300)]
    [(_, entry)] = await client.xrange(AUDIT)
    assert (entry["who"], entry["action"], entry["target"], entry["outcome"]) == (
        "siti.disperindag", "upload", "feed:harga", "ok")
    assert entry["detail"] == "4 baris: 4 diterima, 0 duplikat"


async def test_one_bad_row_writes_nothing_and_lists_each_error_by_row_and_column(ingest_api):
    base, client = ingest_api
    raw = (PAYLOADS / "harga_unggah_2_salah_cp1252.csv").read_bytes()
    status, body = await post(base, "harga", raw, as_operator("siti.disperindag"))
    assert status == 422 and body["baris"] == 7
    assert [(e["baris"], e["kolom"]) for e in body["kesalahan"]] == [(7, "harga"), (8, "kode_wilayah"), (8, "tanggal")]
    assert body["kesalahan"][0]["alasan"] == "'13.3OO' bukan angka"
    assert await client.xlen(feed_stream("harga")) == 0
    [(_, entry)] = await client.xrange(AUDIT)
    assert (entry["who"], entry["outcome"], entry["detail"]) == (
        "siti.disperindag", "refused", "7 baris, 3 kesalahan: tidak ada yang disimpan")


async def test_the_internal_token_needs_an_operator_and_a_feed_that_takes_uploads(ingest_api):
    base, client = ingest_api
    raw = (PAYLOADS / "harga_unggah_ok.csv").read_bytes()
    assert (await post(base, "harga", raw, {"Authorization": f"Bearer {INTERNAL}"}))[0] == 401  # nobody named
    assert (await post(base, "harga", raw, as_operator("siti", token="wrong-internal-token-000")))[0] == 401
    assert (await post(base, "harga", raw, as_operator("<script>")))[0] == 401
    assert (await post(base, "beds", raw, as_operator("siti")))[0] == 404  # uploads are off for beds
    # `upload: true` without upload tokens: only the operator screen may upload, no token works.
    assert (await post(base, "harga", raw, {"Authorization": f"Bearer {FEED_TOKEN}"}))[0] == 401
    assert await client.xlen(feed_stream("harga")) == 0
    refused = [f for _, f in await client.xrange(AUDIT)]
    assert [f["action"] for f in refused] == ["token_refused"] * 4 and {f["target"] for f in refused} == {"feed:harga"}


async def test_a_feed_token_still_works_for_agency_systems(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    runner = web.AppRunner(create_api(Supervisor(config(upload_tokens=[FEED_TOKEN]), client), client, redis_url))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        status, body = await post(f"http://127.0.0.1:{port}", "harga", (PAYLOADS / "harga_unggah_ok.csv").read_bytes(),
                                  {"Authorization": f"Bearer {FEED_TOKEN}"})
        assert status == 202 and body["diterima"] == 4
        [(_, entry)] = await client.xrange(AUDIT)
        assert (entry["who"], entry["action"], entry["outcome"]) == ("token", "upload", "ok")
    finally:
        await runner.cleanup()
        await client.aclose()
