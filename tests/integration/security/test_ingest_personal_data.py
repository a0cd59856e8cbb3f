"""Complaints pushed through the real webhook with personal data in every spelling and place: after
ingest (accepted, rejected, unparseable, cut off), no personal value is anywhere in Redis.

Every key is read whole whatever its type (strings, hashes, lists, sets, sorted sets, streams),
and key names are checked too: a NIK in a de-duplication key is stored as much as one in a value.
"""

from __future__ import annotations

import asyncio
import json
import re

import aiohttp
import pytest

from core.config import load_config, parse_config
from core.redis import connect
from core.streams import DEADLETTER, Record, feed_stream
from ingest.derive.figures_processor import FiguresProcessor
from ingest.derive.headline import HeadlineProcessor
from tests.support.ingest_server import running_ingest

TOKEN = "lapor-token-0123456789"
NIK, NIK2 = "3673015708900002", "3601124403850007"
PHONE, PHONE2 = "081234567891", "085711112222"
EMAIL = "siti.wulandari77@gmail.com"
NAMES = ("Siti Wulandari", "Bambang Hermawan")
ADDRESS = "Jl. Ki Mas Jong No. 17"

COMPLAINT = {"tracking_id": "LPR-0001", "status": "baru", "category": "Infrastruktur", "via": "web",
             "created_at": "2026-11-28T08:00:00+07:00", "updated_at": "2026-11-28T08:00:00+07:00",
             "city_id": "3673", "title": "Jalan rusak di Ciceri"}

# The shapes agencies send: upper-case names, WhatsApp numbers, a nested complainant, lists of
# contacts, and NIKs, numbers and addresses typed into the text.
EXAMPLES = [
    {**COMPLAINT, "NIK": NIK, "Nama": NAMES[0], "no_wa": PHONE},
    {**COMPLAINT, "tracking_id": "LPR-0002", "pelapor": {"nama": NAMES[1], "nik": NIK2, "telepon": PHONE2,
                                                        "alamat": ADDRESS}},
    {**COMPLAINT, "tracking_id": "LPR-0003", "kontak": [{"Email": EMAIL}, {"No-HP": PHONE}],
     "title": f"Lampu mati, hubungi {PHONE2} atau {EMAIL}, NIK {NIK}"},
    {**COMPLAINT, "tracking_id": "LPR-0004", "namaPelapor": NAMES[0], "noKtp": int(NIK2), "ALAMAT": ADDRESS},
]
# Refused rows and bodies: a row without its status, a body that is not JSON, a body cut off.
REJECTED_ROW = {**COMPLAINT, "tracking_id": "LPR-0005", "status": "", "NIK": NIK, "Nama_Pelapor": NAMES[1],
                "no_wa": PHONE2, "email": EMAIL}
NOT_JSON = f"nik={NIK}&nama={NAMES[0].replace(' ', '+')}&no_wa={PHONE}".encode()
CUT_OFF = json.dumps({**COMPLAINT, "tracking_id": "LPR-0006", "pelapor": {
    "telepon": PHONE, "nama": NAMES[1], "nik": NIK2, "email": EMAIL, "alamat": ADDRESS}})[:-3].encode()

PERSONAL = [NIK, NIK2, PHONE, PHONE2, EMAIL, ADDRESS, *NAMES, *(w for n in NAMES for w in n.split())]


def lapor_feed() -> dict:
    """The shipped lapor_banten webhook feed, with a test token."""
    shipped = load_config("config.yaml").feeds["lapor_banten"].model_dump()
    return {**shipped, "tokens": [TOKEN]}


CONFIG = parse_config({"feeds": {"lapor_banten": lapor_feed()},
                       "metrics": {"pengaduan_24j": load_config("config.yaml").metrics["pengaduan_24j"].model_dump()}})


@pytest.fixture
async def ingest(redis_url):
    async with running_ingest(CONFIG, redis_url) as (base, client, _):
        yield f"{base}/ingest/lapor_banten", client


async def derive_until(client, done, timeout: float = 15.0) -> None:
    """Run the derive processors (as `run.py derive` does) until `done()` or the timeout."""
    stop = asyncio.Event()
    tasks = [asyncio.create_task(p(CONFIG, client).run(stop)) for p in (HeadlineProcessor, FiguresProcessor)]
    for _ in range(int(timeout * 10)):
        if done():
            break
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.gather(*tasks)


def everything_in(url: str) -> str:
    """Every key name and every value in Redis, as one text."""
    r = connect(url, decode_responses=False)
    out = []
    for key in r.scan_iter(count=1000):
        out.append(key)
        kind = r.type(key).decode()
        if kind == "string":
            out.append(r.get(key) or b"")
        elif kind == "hash":
            out.extend(b for pair in r.hgetall(key).items() for b in pair)
        elif kind == "list":
            out.extend(r.lrange(key, 0, -1))
        elif kind == "set":
            out.extend(r.smembers(key))
        elif kind == "zset":
            out.extend(m for m, _ in r.zrange(key, 0, -1, withscores=True))
        elif kind == "stream":
            out.extend(b for _, fields in r.xrange(key) for pair in fields.items() for b in pair)
        else:
            raise AssertionError(f"{key!r}: a {kind} this scan does not read")
    r.close()
    # JSON inside values escapes non-ASCII and may escape '/': read it as a person would.
    return "\n".join(b.decode("utf-8", "replace") for b in out).replace("\\/", "/")


async def test_no_personal_value_of_the_examples_is_stored_anywhere_in_redis(ingest, redis_url, r):
    ingest, client = ingest
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with aiohttp.ClientSession() as http:
        async with http.post(ingest, json=EXAMPLES, headers=headers) as resp:
            assert resp.status == 202 and (await resp.json())["accepted"] == len(EXAMPLES)
        async with http.post(ingest, json=REJECTED_ROW, headers=headers) as resp:
            assert (await resp.json())["rejected"] == 1
        for body in (NOT_JSON, CUT_OFF):
            async with http.post(ingest, data=body, headers={**headers, "Content-Type": "application/json"}) as resp:
                assert resp.status == 400

    # What the screens read is derived from the stored records: let derive run over them too.
    await derive_until(client, lambda: r.keys("cc:app:e-pormas:*") and r.keys("cc:kpi*"))
    assert r.keys("cc:app:e-pormas:*") and r.keys("cc:kpi*"), "derive wrote the figures the screens read"
    stored = everything_in(redis_url)
    assert len(r.xrange(feed_stream("lapor_banten"))) == 4 and len(r.xrange(DEADLETTER)) == 3
    leaked = [value for value in PERSONAL if value in stored or (value.isdigit() and value in re.sub(r"\D",
                                                                                                     "", stored))]
    assert not leaked, f"stored unmasked: {leaked}"

    # What was masked is still recognisable as what it was, for an operator reading a record.
    records = [Record.decode(f) for _, f in r.xrange(feed_stream("lapor_banten"))]
    assert records[0].payload["NIK"] == "3673********0002" and records[0].payload["Nama"] == "S*** W***"
    assert records[0].payload["no_wa"] == "0812******91"
    assert records[1].payload["pelapor"] == {"nama": "B*** H***", "nik": "3601********0007",
                                             "telepon": "0857******22", "alamat": "[disamarkan]"}
    assert records[2].payload["kontak"] == [{"Email": "s***@gmail.com"}, {"No-HP": "0812******91"}]
    assert records[2].payload["title"] == "Lampu mati, hubungi 0857******22 atau s***@gmail.com, NIK 3673********0002"
    # The dead letters keep the reason and the input, masked.
    letters = [fields for _, fields in r.xrange(DEADLETTER)]
    assert letters[0]["reason"] == "field 'status': missing"
    assert json.loads(letters[0]["raw"])["Nama_Pelapor"] == "B*** H***"
    assert letters[1]["raw"] == "nik=3673********0002&nama=S***&no_wa=0812******91"
    assert letters[1]["reason"].startswith("invalid JSON") and letters[2]["reason"].startswith("invalid JSON")
