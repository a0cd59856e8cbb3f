"""The eighth application (tests/support/eighth_app.py) on the governor's screen in headless Chromium:
its tile after the seven in the same row, its figure pushed live, in its own colour; the seven keep theirs."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from core import apps
from core.config import parse_config
from dashboard.app import create_app
from dashboard.figures.specs import PAGE_SPECS
from tests.support.app import serve
from tests.support.eighth_app import ENTRY, SPEC
from tests.support.eighth_seed import SETTINGS, derive

WAIT = 15_000


def rgb(colour: str) -> str:
    """#38bdf8 as a browser's computed style writes it: rgb(56, 189, 248)."""
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.fixture
def served(config, redis_url, monkeypatch):
    """config.yaml plus e-Banjir's feed and metric, its reports derived, the dashboard served."""
    monkeypatch.setitem(PAGE_SPECS, SPEC.app, SPEC)
    with apps.registered(ENTRY):
        own = parse_config(SETTINGS)
        both = config.model_copy(update={"feeds": {**config.feeds, **own.feeds},
                                         "metrics": {**config.metrics, **own.metrics}})
        with ThreadPoolExecutor(1) as pool:  # a live sync Playwright holds this thread's event loop
            pool.submit(asyncio.run, derive(redis_url, both)).result(timeout=60)
        with serve(create_app(both, redis_url)) as base:
            yield base


def test_the_governor_sees_the_eighth_tile_in_its_colour(browser, served):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{served}/screen/governor")
    page.wait_for_function("() => { const el = document.querySelector('#gov-app-e-banjir-value');"
                           " return el && el.textContent === '13'; }", timeout=WAIT)
    tiles = page.eval_on_selector_all(".gov-apps > .gov-app", "els => els.map(e => e.dataset.app)")
    assert tiles == [a.id for a in (*apps.BUILT_IN, ENTRY)]
    assert page.locator("#gov-app-e-banjir .app-name").inner_text() == "Siaga Banjir"
    assert page.locator("#gov-app-e-banjir-label").inner_text() == "Pos siaga"
    assert page.locator("#gov-app-e-banjir-day").inner_text() == "▲ 30,0 % dari kemarin"
    # Each badge in its application's colour (the tiles' top borders turn amber while stale).
    colours = page.eval_on_selector_all(
        ".gov-apps > .gov-app .app-badge", "els => els.map(e => getComputedStyle(e).color)")
    assert colours == [rgb(a.colour) for a in (*apps.BUILT_IN, ENTRY)]
    # One row of eight tiles across the screen, as the seven were.
    tops = page.eval_on_selector_all(".gov-apps > .gov-app", "els => els.map(e => e.getBoundingClientRect().top)")
    assert len(set(tops)) == 1
    page.close()
