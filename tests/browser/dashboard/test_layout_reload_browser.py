"""In real Chromium: an edited layout file and a new deployment reach open walls with nobody touching them."""

from __future__ import annotations

import os
import time

import pytest

from core.redis import free_port
from core.streams import utc_now
from dashboard.app import create_app
from tests.support.app import serve
from tests.support.layouts import SCREEN_A, SCREEN_B, SLOW, with_layouts
from tests.support.sample import write_wall


def save(path, text):
    """Save a layout file as an editor would, with a modification time the watcher cannot miss."""
    path.write_text(text)
    stamp = time.time() + 2
    os.utime(path, (stamp, stamp))


@pytest.fixture
def folder(tmp_path):
    for name, text in (("uji-a", SCREEN_A), ("uji-b", SCREEN_B), ("putaran-lambat", SLOW)):
        (tmp_path / f"{name}.yaml").write_text(text)
    return tmp_path


def open_wall(browser, url):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(url)
    page.wait_for_function("() => document.getElementById('wall')?.dataset.tick")
    page.evaluate("() => { window.__sameDocument = true; }")
    return page


def test_an_edited_layout_reaches_open_walls_and_a_broken_one_changes_nothing(browser, config, folder, redis_url, r):
    write_wall(r, config, utc_now())
    with serve(create_app(with_layouts(config, folder), redis_url)) as base:
        wall = open_wall(browser, base + "/wall/uji-a")
        rotation = open_wall(browser, base + "/wall/putaran-lambat")
        other = open_wall(browser, base + "/wall/uji-b")
        try:
            assert wall.inner_text("#wall-title") == "Harga Pangan Uji"
            t0 = time.monotonic()
            save(folder / "uji-a.yaml", SCREEN_A.replace("title: Harga Pangan Uji", "title: Harga Beras Hari Ini")
                 .replace("{id: jam, kind: clock, col: 3, row: 2, width: 2}",
                          "{id: cabai, kind: metric, metric: harga_cabai_rawit, col: 3, row: 2, width: 2}"))
            # The wall showing it reloads by itself (a new document) with the new screen.
            wall.wait_for_function("() => window.__sameDocument !== true && "
                                   "document.getElementById('wall-title')?.textContent === 'Harga Beras Hari Ini'",
                                   timeout=8000)
            assert time.monotonic() - t0 < 6
            wall.wait_for_selector('[data-tile="cabai"] .tile-value[data-value="62400.0"]')
            assert wall.locator('[data-tile="jam"]').count() == 0
            # So does the playlist wall that holds it; a wall showing another screen does not.
            rotation.wait_for_function("() => window.__sameDocument !== true && "
                                       "document.querySelector('[data-tile=\"uji-a--cabai\"]') !== null", timeout=8000)
            assert other.evaluate("() => window.__sameDocument === true")

            # A broken edit: logged, the last good version stays on screen, nothing reloads.
            wall.evaluate("() => { window.__sameDocument = true; }")
            save(folder / "uji-a.yaml", SCREEN_A.replace("metric: harga_beras, col: 3", "metric: harga_emas, col: 3"))
            time.sleep(3)
            assert wall.evaluate("() => window.__sameDocument === true")
            assert wall.inner_text("#wall-title") == "Harga Beras Hari Ini"
            wall.reload()
            wall.wait_for_function("() => document.getElementById('wall-title')?.textContent"
                                   " === 'Harga Beras Hari Ini'")
        finally:
            for page in (wall, rotation, other):
                page.close()


def test_a_new_deployment_reloads_open_walls(browser, config, redis_url, r, monkeypatch):
    """The dashboard restarts with other code (another build id): the wall's push connection comes
    back, says so, and the watchdog reloads the page onto the new build."""
    write_wall(r, config, utc_now())
    port = free_port()
    monkeypatch.setenv("CC_BUILD_ID", "build-satu")
    old = create_app(config, redis_url)
    context = None
    try:
        with serve(old, port) as base:
            context = browser.new_context(viewport={"width": 1920, "height": 1080})  # signed in there
            # Restore the push connection soon after the server is back; the last-resort reload far
            # away, so only the build id can explain a reload here.
            context.add_init_script("window.CC_WATCHDOG = {lostMs: 1000, restoreMs: 1500, reloadMs: 120000};")
            page = context.new_page()
            page.goto(base + "/wall/command-center")
            page.wait_for_function("() => document.getElementById('wall')?.dataset.tick")
            assert page.get_attribute("#wall", "data-build") == "build-satu"
            page.evaluate("() => { window.__sameDocument = true; }")
        monkeypatch.setenv("CC_BUILD_ID", "build-dua")
        with serve(create_app(config, redis_url), port):
            page.wait_for_function("() => window.__sameDocument !== true && "
                                   "document.getElementById('wall')?.dataset.build === 'build-dua'", timeout=25_000)
            page.wait_for_function("() => document.getElementById('wall').dataset.tick !== ''")
            assert page.url.endswith("/wall/command-center")
    finally:
        if context is not None:
            context.close()
