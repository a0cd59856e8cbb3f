"""Redis as run.py starts it: a password no other local process knows, and a memory limit that
never evicts a record and is announced on the alert strip before writes are refused."""

from __future__ import annotations

import stat
from pathlib import Path

import aiohttp
import pytest
import redis

from core.config import parse_config
from core.redis import EmbeddedRedis, connect
from core.streams import ALERTS, feed_stream
from ingest.http_api import MEMORY_WATCH
from tests.support.ingest_server import running_ingest

TOKEN = "lapor-token-0123456789"


def test_the_embedded_redis_refuses_a_client_without_its_password(tmp_path):
    with EmbeddedRedis(tmp_path / "redis") as server:
        with pytest.raises(redis.AuthenticationError):
            connect(f"redis://127.0.0.1:{server.port}/0").ping()
        with pytest.raises(redis.AuthenticationError):
            connect(f"redis://:wrong-password@127.0.0.1:{server.port}/0").ping()
        assert connect(server.url).ping()
        # The password is in owner-only files under the data folder, never on the command line.
        for name in ("requirepass", "redis-secret.conf"):
            assert stat.S_IMODE((tmp_path / "redis" / name).stat().st_mode) == 0o600
        cmdline = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().decode()
        assert server.password not in cmdline
        port, password = server.port, server.password
    # Started again on the same data, it keeps the password (roles reconnect with the URL they have).
    with EmbeddedRedis(tmp_path / "redis", port=port) as again:
        assert again.password == password and connect(again.url).ping()


@pytest.fixture
def small_redis(tmp_path):
    with EmbeddedRedis(tmp_path / "small", maxmemory="6mb") as server:
        yield server


@pytest.fixture
async def ingest(small_redis):
    feed = {"kind": "webhook", "application": "e-pormas", "tokens": [TOKEN], "source_id": "{tracking_id}",
            "fields": {"tracking_id": "text"}}
    config = parse_config({"feeds": {"lapor": feed}, "redis": {"memory_alert": 0.8}})
    async with running_ingest(config, small_redis.url) as (base, client, app):
        yield base, client, app[MEMORY_WATCH]


async def push(base: str, tracking_id: str) -> int:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/ingest/lapor", json={"tracking_id": tracking_id},
                             headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
            return resp.status


async def health(base: str) -> dict:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/healthz") as resp:
            return await resp.json()


async def test_a_full_redis_refuses_new_records_keeps_every_old_one_and_says_so_first(ingest, small_redis):
    base, client, watch = ingest  # the watch the ingest role runs every few seconds
    r = connect(small_redis.url)
    assert r.config_get("maxmemory-policy")["maxmemory-policy"] == "noeviction"
    for i in range(50):
        assert await push(base, f"LPR-{i}") == 202
    assert not (await watch.check()).near_limit
    # Something fills the memory (here: filler keys), past the alert share, then to the limit.
    filler = 0
    while not (await watch.check()).near_limit:
        r.set(f"filler:{filler}", b"x" * 50_000)
        filler += 1
    # Two keys more (1.6 % of 6 MB): just past the share, Redis's own bookkeeping can take the use
    # back under it before /healthz asks.
    for _ in range(2):
        r.set(f"filler:{filler}", b"x" * 50_000)
        filler += 1
    [alert] = [f for _, f in await client.xrange(ALERTS) if f["kind"] == "redis_memory"]
    assert alert["severity"] == "critical" and alert["message"].startswith("Memori Redis hampir penuh: ")
    assert " % dari 6 MB terpakai" in alert["message"]
    state = await health(base)
    assert state["status"] == "degraded" and state["redis"]["memory"]["near_limit"]
    assert state["redis"]["memory"]["policy"] == "noeviction"
    # A plain client fills it to the last bytes: the project's clients drop their connection on an
    # error reply, which would free the filler's own buffers and leave room again.
    outsider = redis.Redis.from_url(small_redis.url)
    for size in (50_000, 100):
        with pytest.raises(redis.ResponseError, match="maxmemory"):
            while True:
                outsider.set(f"filler:{filler}", b"x" * size)
                filler += 1
    # Full: the sender is told to retry (nothing taken, nothing pretended), and no record was evicted.
    assert await push(base, "LPR-new") == 503
    assert r.xlen(feed_stream("lapor")) == 50 and r.exists("filler:0")
    # Space again: the alert ends, the record goes in.
    r.delete(*[f"filler:{i}" for i in range(filler)])
    await watch.check()
    messages = [f["message"] for _, f in await client.xrange(ALERTS) if f["kind"] == "redis_memory"]
    assert len(messages) == 2 and messages[1].startswith("Memori Redis kembali normal")
    assert await push(base, "LPR-new") == 202
