"""Benchmark: 10,000 anonymous requests of each kind against the dashboard, and what they leave behind.

    .venv/bin/python -m tests.bench.bench_anonymous_abuse [n=10000]

The dashboard runs in a process of its own (the shipped config, its limits as shipped) on a private
Redis. For each kind it prints Redis keys and audit entries before and after, and the dashboard's
resident memory before and after, so a kind that stores something per request, writes an audit
entry per request, or grows the process shows at once. Kinds: the sign-in form, sign-ins with a
forged form token, sign-ins with wrong passwords, unknown walls, forged callbacks over HTTP and over
the WebSocket, WHEP offers and open-data downloads; all from one address, with X-Forwarded-For set
to random addresses (which the shipped config does not believe).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp

from core.redis import EmbeddedRedis, connect, free_port
from core.streams import AUDIT

ROOT = Path(__file__).resolve().parents[2]
CONCURRENCY = 16
SERVER = """
import sys, uvicorn
from core.config import load_config
from dashboard.app import create_app
config = load_config(sys.argv[1])
app = create_app(config, sys.argv[2])
uvicorn.run(app.server, host="127.0.0.1", port=int(sys.argv[3]), log_level="error", proxy_headers=False)
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def spoofed() -> dict:
    return {"X-Forwarded-For": f"{random.randint(1, 223)}.{random.randint(0, 255)}.{random.randint(0, 255)}.9"}


async def _many(n: int, one) -> dict[int, int]:
    """Run `one(session, i)` n times, CONCURRENCY at once; count the answers by status."""
    statuses: dict[int, int] = {}
    queue = iter(range(n))
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        async def worker():
            for i in queue:
                try:
                    status = await one(session, i)
                except aiohttp.ClientError:
                    status = -1
                statuses[status] = statuses.get(status, 0) + 1

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return statuses


def kinds(base: str, forged_callback: dict):
    async def login_form(session, i):
        async with session.get(base + "/login", headers=spoofed()) as r:
            await r.read()
            return r.status

    async def forged_token(session, i):
        async with session.post(base + "/login", data={"username": "admin", "password": "x", "csrf": "1.a.b"},
                                headers={**spoofed(), "Cookie": "cc_login=abc"}) as r:
            return r.status

    async def wrong_password(session, i):
        async with session.get(base + "/login") as form:
            text = await form.text()
            browser = form.cookies.get("cc_login")
        token = re.search(r'name="csrf" value="([^"]+)"', text).group(1)
        async with session.post(base + "/login", data={"username": f"admin{i % 3 or ''}", "password": "salah-123",
                                                       "csrf": token},
                                headers={"Cookie": f"cc_login={browser.value if browser else ''}", **spoofed()}) as r:
            return r.status

    async def unknown_wall(session, i):
        async with session.get(f"{base}/wall/tidak-ada-{i}", headers={"Accept": "application/json", **spoofed()}) as r:
            return r.status

    async def forged_http_callback(session, i):
        async with session.post(base + "/_dash-update-component", json=forged_callback, headers=spoofed()) as r:
            return r.status

    async def whep_offer(session, i):
        async with session.post(base + "/whep/cam-1", data="v=0\r\n", headers={"Content-Type": "application/sdp",
                                                                             **spoofed()}) as r:
            return r.status

    async def opendata(session, i):
        async with session.get(base + "/opendata/katalog.csv", headers=spoofed()) as r:
            await r.read()
            return r.status

    return {"GET /login": login_form, "POST /login, forged token": forged_token,
            "POST /login, wrong password": wrong_password, "GET /wall/<unknown>": unknown_wall,
            "POST /_dash-update-component, forged": forged_http_callback, "POST /whep/<camera>": whep_offer,
            "GET /opendata/katalog.csv": opendata}


async def websocket_flood(base: str, n: int, payload: dict) -> dict[str, int]:
    """n callback requests over 10 sockets; the answers by kind."""
    counts: dict[str, int] = {}
    async with aiohttp.ClientSession() as session:
        for s in range(10):
            async with session.ws_connect(base.replace("http", "ws") + "/_dash-ws-callback",
                                          headers={"Origin": base, **spoofed()}) as ws:
                per = n // 10
                for i in range(per):
                    await ws.send_json({"type": "callback_request", "requestId": f"{s}-{i}", "rendererId": "r",
                                        "payload": payload})
                got = 0
                while got < per:
                    try:
                        message = await ws.receive(timeout=10)
                    except TimeoutError:
                        break
                    if message.type != aiohttp.WSMsgType.TEXT:
                        break
                    data = json.loads(message.data)
                    for item in data if isinstance(data, list) else [data]:
                        if item.get("type") == "callback_response":
                            got += 1
                            what = item["payload"].get("message") or item["payload"].get("status")
                            counts[what] = counts.get(what, 0) + 1
    return counts


def main(n: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis(Path(tmp) / "redis") as redis_server:
        r = connect(redis_server.url, decode_responses=True)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(ROOT / "config.yaml"),
                                   redis_server.url, str(port)],
                                  cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2).read()
                    break
                except urllib.error.HTTPError:
                    break  # up (503: no feed data yet)
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
            forged = {"output": "..app-page.data-level...app-page.data-wilayah..", "outputs": [],
                      "inputs": [{"id": "app-loc", "property": "hash", "value": "/app/e-pormas"}], "state": []}
            asyncio.run(_many(200, kinds(base, forged)["GET /login"]))  # warm up (imports, caches)
            print(f"{n} anonymous requests of each kind; dashboard pid {server.pid}, "
                  f"machine load {os.getloadavg()[0]:.1f}")
            print(f"{'kind':42s} {'answers':28s} {'keys':>11s} {'audit':>11s} {'RSS MB':>13s} {'s':>5s}")
            rows = list(kinds(base, forged).items()) + [("WebSocket callbacks, forged", None)]
            for name, one in rows:
                keys0, audit0, rss0 = r.dbsize(), r.xlen(AUDIT), rss_mb(server.pid)
                started = time.monotonic()
                answers = asyncio.run(websocket_flood(base, n, forged)) if one is None else asyncio.run(_many(n, one))
                took = time.monotonic() - started
                keys1, audit1, rss1 = r.dbsize(), r.xlen(AUDIT), rss_mb(server.pid)
                shown = ", ".join(f"{k}:{v}" for k, v in sorted(answers.items(), key=lambda kv: str(kv[0])))
                print(f"{name:42s} {shown:28s} {keys0:>4d} -> {keys1:<4d} {audit0:>4d} -> {audit1:<4d} "
                      f"{rss0:>5.0f} -> {rss1:<5.0f} {took:5.0f}", flush=True)
            print("Redis keys after all:", sorted({re.sub(r"[:][^:]*$", ":*", k) for k in r.keys("*")}))
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
