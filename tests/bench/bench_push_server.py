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

import statistics
import sys
import tempfile
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
    serve,
    signed_in,
    with_test_users,
    write_test_users,
)
from tests.support.dash_walls import ProtocolWalls
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
                browser = None
                if mode == "ws":
                    # The writer's clock (time.time, ms) so that latencies read against it.
                    protocol = ProtocolWalls(app, base, walls, VALUE_ID, clock=lambda: time.time() * 1000)
                    protocol.__enter__()
                    seen = protocol.seen
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
                    protocol.__exit__()
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
