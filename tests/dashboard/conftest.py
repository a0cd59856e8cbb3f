"""Dashboard fixtures: the project's config, an app served by uvicorn in a thread, headless Chromium."""

from __future__ import annotations

import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from core.config import Config, load_config
from core.redis import free_port

ROOT = Path(__file__).resolve().parents[2]
GEOJSON = Path("/work/shared/geo/banten-kabkota.geojson")
CHROMIUM = os.environ.get("CC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
RESULTS = ROOT / "test-results" / "dashboard"


@pytest.fixture(scope="session")
def config() -> Config:
    """config.yaml as shipped, with the boundary file when this machine has it."""
    cfg = load_config(ROOT / "config.yaml")
    geojson = str(GEOJSON) if GEOJSON.exists() else None
    return cfg.model_copy(update={"dashboard": cfg.dashboard.model_copy(update={"geojson": geojson})})


@contextmanager
def serve(app, port: int | None = None):
    """Run a Dash app's FastAPI server on a (free) port in a thread; yields its base URL."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app.server, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")  # not session: a live sync Playwright blocks later asyncio tests
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}: `python3 run.py test` installs it")
        pytest.skip(f"no Chromium at {CHROMIUM}; `python3 run.py test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
