"""Benchmark: XADD-to-screen latency with N walls open.

    .venv/bin/python -m tests.bench.bench_push_server ws [walls=10] [updates=30]
    .venv/bin/python -m tests.bench.bench_push_server browser [walls=3] [updates=20]

`ws`: N WebSocket clients speak Dash's protocol like a wall's renderer does (start the page's
persistent callback, answer its get_props) and time each `set_props` of the tile's value: the
server side of the path, as when every wall is its own machine. `browser`: N walls in headless
Chromium, each its own profile, timed at the DOM by a MutationObserver; on a 2-core machine the
browsers themselves then compete for the CPU. Both write a figure plus its KPI_UPDATES entry and
compare the writer's clock with the receiver's (same machine).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from core.config import load_config
from core.redis import EmbeddedRedis, connect
from core.streams import utc_now
from dashboard.app import create_app
from tests.support.app import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SESSION_COOKIE,
    login,
    serve,
    signed_in,
    with_test_users,
    write_test_users,
)
from tests.support.sample import write_figure, write_wall

VALUE_ID = "tile-beras-value"
OBSERVE = """() => {
  window.__seen = {};
  const el = document.querySelector('[data-tile="beras"] .tile-value');
  new MutationObserver(() => { window.__seen[el.textContent] = Date.now(); })
    .observe(el, {childList: true, characterData: true, subtree: true});
}"""


def shown(value: int) -> str:
    return f"Rp {value:,}".replace(",", ".")


def ws_walls(app, base: str, walls: int, seen: list[dict], ready: threading.Event, stop: threading.Event):
    """N fake renderers in one thread, each on its own WebSocket."""
    import websockets

    # The live push as Dash restarts it after a reconnect: no inputs, the page's meta as state.
    stream_cb = next(k for k, v in app.callback_map.items() if v.get("no_output") and not v["inputs"])
    url = base.replace("http://", "ws://") + "/_dash-ws-callback"
    cookie = {"Cookie": f"{SESSION_COOKIE}={login(base, 'executive')}"}  # walls are for the command-center room

    def meta(i: int) -> dict:
        """What the router put in the page: the wall, and this page load's id (the push checks it)."""
        return {"wall": "command-center", "lang": "id", "path": "/wall/command-center", "id": f"bench-{i}"}

    async def wall(i: int):
        async with websockets.connect(url, origin=base, max_size=None, additional_headers=cookie) as ws:
            await ws.send(json.dumps({"type": "callback_request", "requestId": f"q{i}", "rendererId": f"r{i}",
                                      "payload": {"output": stream_cb, "outputs": [], "inputs": [],
                                                  "state": [{"id": "wall-meta", "property": "data",
                                                             "value": meta(i)}],
                                                  "changedPropIds": []}}))
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), 0.5)
                except TimeoutError:
                    continue
                now = time.time() * 1000
                batch = json.loads(raw)
                for msg in batch if isinstance(batch, list) else [batch]:
                    if msg.get("type") == "get_props_request":
                        await ws.send(json.dumps({"type": "get_props_response", "requestId": msg["requestId"],
                                                  "rendererId": msg["rendererId"],
                                                  "payload": {"data": meta(i)}}))
                    elif msg.get("type") == "set_props" and msg["payload"]["componentId"] == VALUE_ID:
                        text = msg["payload"]["props"].get("children")
                        if text is not None:
                            seen[i].setdefault(text, now)

    async def all_walls():
        tasks = [asyncio.create_task(wall(i)) for i in range(walls)]
        await asyncio.sleep(2)
        ready.set()
        await asyncio.gather(*tasks)

    asyncio.run(all_walls())


def run(mode: str = "ws", walls: int = 10, updates: int = 30) -> None:
    config = load_config(ROOT / "config.yaml")
    sent: dict[str, float] = {}
    seen: list[dict] = [{} for _ in range(walls)]
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(tmp).start()
        config = with_test_users(config, write_test_users(Path(tmp) / "users.yaml"))
        try:
            r = connect(server.url, decode_responses=True)
            write_wall(r, config, utc_now())
            app = create_app(config, server.url)
            with serve(app) as base:
                stop, ready = threading.Event(), threading.Event()
                browser = None
                if mode == "ws":
                    thread = threading.Thread(target=ws_walls, args=(app, base, walls, seen, ready, stop), daemon=True)
                    thread.start()
                    ready.wait(10)
                else:
                    from playwright.sync_api import sync_playwright

                    pw = sync_playwright().start()
                    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    pages = []
                    for _ in range(walls):
                        context = signed_in(browser.new_context(viewport={"width": 1920, "height": 1080}), base)
                        page = context.new_page()
                        page.goto(base + "/wall/command-center")
                        page.wait_for_function("() => document.getElementById('wall')?.dataset.tick")
                        page.evaluate(OBSERVE)
                        pages.append(page)
                    time.sleep(2)
                open_walls = app.server.state.hub.walls
                for i in range(updates):
                    value = 14_000 + i * 7
                    sent[shown(value)] = time.time() * 1000
                    write_figure(r, "harga_beras", value, utc_now(), {"3673": value})
                    time.sleep(0.35)
                time.sleep(1.5)
                if mode == "ws":
                    stop.set()
                    thread.join(5)
                else:
                    seen = [page.evaluate("() => window.__seen") for page in pages]
                    browser.close()
                    pw.stop()
        finally:
            server.stop()
    latencies = [s[text] - at for s in seen for text, at in sent.items() if text in s]
    missing = walls * len(sent) - len(latencies)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"{mode}: {open_walls} walls, {updates} updates: n={len(latencies)} missing={missing} "
          f"p50={statistics.median(latencies):.0f} ms p95={p95:.0f} ms max={latencies[-1]:.0f} ms")


if __name__ == "__main__":
    args = sys.argv[1:]
    run(args[0] if args else "ws", *(int(a) for a in args[1:3]))
