"""The governor's screen and the meeting room on the whole system (`run.py all`): nothing is seeded.

The figures come from the simulated agencies over real HTTP, through the adapters and the derive
processors; the screen fills by itself, its figures are fresh, and a tap opens the drill-down. The
meeting room's screen follows a presenter on the same system.
"""

from __future__ import annotations

import re

import pytest

from core.config import APPLICATIONS
from tests.support.system import chromium, running_system, wait_until_governor_filled

FILL_MS = 90_000  # every application's first poll, derive and push


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    with running_system(tmp_path_factory.mktemp("governor")) as system:
        yield system


@pytest.fixture(scope="module")
def browser():
    with chromium(role="executive") as browser:  # the governor's staff
        yield browser


def test_the_governors_screen_fills_from_the_agencies_and_opens_a_drill_down(system, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(f"{system.dashboard}/screen/governor")
        wait_until_governor_filled(page, FILL_MS)
        for app in APPLICATIONS:
            change = page.locator(f"#gov-app-{app}-day").inner_text()
            assert change == "belum ada pembanding" or re.match(r"^(▲|▼) \d+,\d+ |^= sama", change), change
        assert "5,70 %" == page.locator("#gov-app-e-statistik-value").inner_text()  # BPS: poverty, Sep 2024
        assert page.locator("#gov-app-e-disikap-value").inner_text().startswith("Rp ")
        # Live from the agencies: the e-Yankes figure is current, not DATA LAMA.
        page.wait_for_function("() => document.querySelector('#gov-app-e-yankes').dataset.stale === 'false'",
                               timeout=FILL_MS)
        assert "rtsp://" not in page.content()
        page.locator("#gov-app-e-yankes").click()
        page.wait_for_url(re.compile(r"/app/e-yankes$"), timeout=30_000)
        page.wait_for_function("() => [...document.querySelectorAll('.app-stat:not(.is-empty)"
                               " .app-stat-value')].some(v => /\\d/.test(v.textContent))", timeout=30_000)
    finally:
        page.close()


def test_the_rooms_screen_follows_the_presenter_on_the_running_system(system, browser):
    presenter = browser.new_page(viewport={"width": 1920, "height": 1080})
    screen = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        presenter.goto(f"{system.dashboard}/screen/meeting/presenter?ruang=e2e")
        screen.goto(f"{system.dashboard}/screen/meeting?ruang=e2e")
        for page in (presenter, screen):
            page.wait_for_function("() => document.querySelector('#wall') &&"
                                   " document.querySelector('#wall').getAttribute('data-tick')",
                                   timeout=30_000)
        presenter.locator("#meet-topic-e-disikap").click()
        screen.wait_for_selector('#meet-stage[data-topic="e-disikap"]', timeout=3_000)
        screen.wait_for_function("() => /^Rp /.test(document.querySelector('#meet-stat-0-value')"
                                 ".textContent)", timeout=FILL_MS)
        presenter.locator("#meet-spot-peta").click()
        screen.wait_for_selector('#meet-stage[data-spotlight="peta"]', timeout=3_000)
        # The room's screen shows what the presenter chose: e-Disikap's prices, the map in the spotlight.
        assert screen.get_attribute("#meet-stage", "data-topic") == "e-disikap"
        assert screen.inner_text("#meet-stat-0-value").startswith("Rp ")
    finally:
        presenter.close()
        screen.close()
