"""The governor's screen in headless Chromium: seven applications with Indonesian figures and their trend,
what is red and why, live updates, and every tap opening its drill-down.

Figures come from the real derive processor over the saved source payloads (tests/support/app_seed.py),
plus a daily history in the shape ingest/derive/trend.py writes.
"""

from __future__ import annotations

import json
import re

import pytest

from core.alerts import Alert
from core.streams import active_alerts, app_regions
from dashboard.app import create_app
from tests.support.app import RESULTS, serve
from tests.support.app_seed import seed_with_history
from tests.support.map_click import click_region

pytestmark = pytest.mark.usefixtures("payload_day")  # seeds the saved payloads
WAIT = 15_000
PRICE_ALERT = ("Harga cabai rawit merah di Kota Tangerang Rp 64.250/kg, 12,7 % di atas harga acuan "
               "Rp 57.000/kg")


@pytest.fixture
def governor(config, redis_url, r):
    """The seeded province with a history for e-Yankes and e-Pormas, served; yields the base URL."""
    seed_with_history(redis_url, r)
    with serve(create_app(config, redis_url)) as base:
        yield base


def text_of(page, selector: str) -> str:
    return page.locator(selector).inner_text()


def wait_text(page, selector: str, expected: str) -> None:
    page.wait_for_function("([sel, want]) => { const el = document.querySelector(sel);"
                           " return el && el.textContent === want; }", arg=[selector, expected], timeout=WAIT)


def open_screen(browser, base: str, width: int = 1920, height: int = 1080, query: str = ""):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{base}/screen/governor{query}")
    page.wait_for_selector("#gov-app-e-yankes", timeout=WAIT)
    page.wait_for_function("() => document.querySelector('#wall').getAttribute('data-tick')", timeout=WAIT)
    return page



def test_seven_applications_with_indonesian_figures_and_their_trend(governor, browser):
    page = open_screen(browser, governor)
    try:
        values = {app: text_of(page, f"#gov-app-{app}-value") for app in
                  ("e-bansos", "e-pormas", "e-cctv", "e-statistik", "e-yankes", "e-lpse", "e-disikap")}
        assert values == {"e-bansos": "45,5 %", "e-pormas": "4", "e-cctv": "2", "e-statistik": "5,70 %",
                          "e-yankes": "80,0 %", "e-lpse": "Rp 1,2 M", "e-disikap": "Rp 13.300"}
        assert page.locator(".gov-app").count() == 7
        # Against yesterday and last week, from the seeded history.
        assert text_of(page, "#gov-app-e-yankes-day") == "▲ 5,0 poin dari kemarin"
        assert page.locator("#gov-app-e-yankes-day").get_attribute("data-tone") == "bad"
        assert text_of(page, "#gov-app-e-yankes-week") == "▼ 4,0 poin dari minggu lalu"
        assert text_of(page, "#gov-app-e-pormas-day") == "▼ 20,0 % dari kemarin"
        assert text_of(page, "#gov-app-e-pormas-week") == "belum ada pembanding"
        # No history: no invented number.
        assert text_of(page, "#gov-app-e-bansos-day") == "belum ada pembanding"
        assert text_of(page, "#gov-app-e-yankes-detail") == "4 dari 5 tempat tidur terisi"
        # Each figure's age; e-Pormas' newest complaint is a day old, so its tile says DATA LAMA.
        assert text_of(page, "#gov-app-e-yankes-age").startswith("diperbarui ")
        assert page.locator("#gov-app-e-yankes").get_attribute("data-stale") == "false"
        assert page.locator("#gov-app-e-pormas").get_attribute("data-stale") == "true"
        assert text_of(page, "#gov-app-e-pormas-age") == "diperbarui 1 hari lalu"
        assert page.locator("#gov-app-e-pormas .stale-mark").is_visible()
    finally:
        page.close()


def test_what_is_red_and_why_in_plain_words(governor, browser, r):
    beds = Alert("bed_occupancy:3673011", "bed_occupancy", "critical",
                 "Keterisian tempat tidur RSUD Banten di Kota Serang 95 %, di atas ambang 90 %", "e-yankes",
                 "3673", "3673011")
    r.hset(active_alerts(), beds.alert_id, beds.encode())
    page = open_screen(browser, governor)
    try:
        wait_text(page, "#gov-alerts-count", "4")
        assert text_of(page, "#gov-alert-0-msg") == beds.message  # the critical one first
        assert text_of(page, "#gov-alert-0-sev") == "KRITIS"
        messages = page.locator(".gov-alert .alert-msg").all_inner_texts()
        assert PRICE_ALERT in messages
        assert text_of(page, "#gov-attention") == "4 hal perlu perhatian"
        assert page.locator("#gov-app-e-yankes").get_attribute("class").split().count("has-critical") == 1
        assert text_of(page, "#gov-app-e-yankes-alerts") == "1 peringatan"
        # The alert resolves (the derive processor removes it): the screen drops it without a reload.
        r.hdel(active_alerts(), beds.alert_id)
        wait_text(page, "#gov-alerts-count", "3")
        assert beds.message not in page.locator(".gov-alert .alert-msg").all_inner_texts()
    finally:
        page.close()


def test_figures_update_without_reload(governor, browser, r):
    page = open_screen(browser, governor)
    try:
        page.evaluate("() => { window.__sameDocument = true; }")
        figures = json.loads(r.hget(app_regions("e-yankes"), "36"))
        r.hset(app_regions("e-yankes"), "36", json.dumps(dict(figures, keterisian_pct=85.0, terisi=4.25)))
        wait_text(page, "#gov-app-e-yankes-value", "85,0 %")
        wait_text(page, "#gov-app-e-yankes-day", "▲ 10,0 poin dari kemarin")
        assert page.evaluate("() => window.__sameDocument === true")  # no reload happened
    finally:
        page.close()


def test_a_tap_on_a_tile_a_kab_kota_or_an_alert_opens_its_drill_down(governor, browser, config):
    page = open_screen(browser, governor)
    try:
        page.locator("#gov-app-e-yankes").click()
        page.wait_for_url(re.compile(r"/app/e-yankes$"), timeout=WAIT)
        page.wait_for_selector('#app-page[data-level="provinsi"]', timeout=WAIT)

        # Coloured by alerts: Kota Serang's alerts are e-Pormas complaints, so that page opens there.
        page.goto(f"{governor}/screen/governor")
        page.wait_for_function("() => { const gd = document.querySelector('#gov-map .js-plotly-plot');"
                               " return gd && gd.data && gd.data.some(t => t.name === 'pick' &&"
                               " (t.customdata || []).some(c => c.startsWith('/app/e-pormas?wilayah=3673')));"
                               " }",
                               timeout=WAIT)
        click_region(page, config, "3673", "gov-map")
        page.wait_for_url(re.compile(r"/app/e-pormas\?wilayah=3673$"), timeout=WAIT)
        page.wait_for_selector('#app-page[data-wilayah="3673"]', timeout=WAIT)

        # Coloured by one application: the tap opens that application at the kab/kota.
        page.goto(f"{governor}/screen/governor")
        page.locator("#gov-mode-e-yankes").click()
        page.wait_for_selector('#gov-map-tile[data-mode="e-yankes"]', timeout=WAIT)
        wait_text(page, "#gov-map-legend", "Warna: Keterisian tempat tidur — Layanan Kesehatan")
        page.wait_for_function("() => document.querySelector('#gov-mode-e-yankes').classList"
                               ".contains('is-on')", timeout=WAIT)
        page.wait_for_function("() => { const gd = document.querySelector('#gov-map .js-plotly-plot');"
                               " return gd && gd.data && gd.data.some(t => t.name === 'pick' &&"
                               " (t.customdata || []).length &&"
                               " t.customdata.every(c => c.startsWith('/app/e-yankes'))); }",
                               timeout=WAIT)
        click_region(page, config, "3673", "gov-map")
        page.wait_for_url(re.compile(r"/app/e-yankes\?wilayah=3673$"), timeout=WAIT)
        page.wait_for_selector('#app-page[data-wilayah="3673"]', timeout=WAIT)

        # An alert opens its application at its region and unit.
        page.goto(f"{governor}/screen/governor")
        row = page.locator(".gov-alert", has_text=PRICE_ALERT)
        row.wait_for(timeout=WAIT)
        row.click()
        page.wait_for_url(re.compile(r"/app/e-disikap\?wilayah=3671&unit=panel-bapanas$"), timeout=WAIT)
        page.wait_for_selector('#app-page[data-unit="panel-bapanas"]', timeout=WAIT)
        # The governor lands on the alert's own market panel, in its kab/kota.
        assert page.get_attribute("#app-page", "data-wilayah") == "3671"
        assert page.get_attribute("#app-page", "data-unit") == "panel-bapanas"
    finally:
        page.close()


def test_english_and_full_hd_and_4k_without_scrollbars(governor, browser):
    sizes = {}
    for width, height in ((1920, 1080), (3840, 2160)):
        page = open_screen(browser, governor, width, height)
        try:
            page.wait_for_selector("#gov-map .textpoint text", timeout=WAIT)
            overflow = page.evaluate("() => [document.documentElement.scrollWidth > innerWidth,"
                                     " document.documentElement.scrollHeight > innerHeight,"
                                     " document.querySelector('#wall').scrollHeight > innerHeight]")
            assert overflow == [False, False, False], f"scrollbars at {width}x{height}"
            sizes[width] = page.evaluate("() => parseFloat(getComputedStyle("
                                         "document.querySelector('#gov-app-e-yankes-value')).fontSize)")
            RESULTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(RESULTS / f"governor-{width}x{height}.png"))
        finally:
            page.close()
    assert sizes[3840] == pytest.approx(2 * sizes[1920], rel=0.02)  # the screen scales with the display
    assert sizes[1920] >= 40  # read from across the governor's office
    page = open_screen(browser, governor, query="?lang=en")
    try:
        assert text_of(page, "h1.wall-title") == "The Province Today"
        assert text_of(page, "#gov-app-e-yankes-day") == "▲ 5.0 pts since yesterday"
        assert text_of(page, "#gov-app-e-bansos-day") == "no comparison yet"
        assert page.locator("#gov-app-e-yankes").get_attribute("href") == "/app/e-yankes?lang=en"
    finally:
        page.close()
