"""The public portal /publik in headless Chromium, as an anonymous reader on a phone.

Figures from the real derive processor over the saved source payloads (tests/support/app_seed.py):
Indonesian numbers, "<5" for Kota Serang's 4 occupied beds, the kab/kota picked by dropdown or map
tap kept in the URL, English with ?lang=en, light and one column on a narrow screen.
"""

from __future__ import annotations

import re

import pytest

from dashboard.app import create_app
from tests.support.app import serve
from tests.support.app_seed import seed
from tests.support.map_click import click_region

WAIT = 20_000
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(config, redis_server):
    from core.redis import connect

    connect(redis_server.url).flushall()
    seed(redis_server.url)
    with serve(create_app(config, redis_server.url)) as base:
        yield base


def anonymous(browser, **kwargs):
    """A page with nobody signed in (the portal needs no login)."""
    return getattr(browser, "anonymous_page", browser.new_page)(**kwargs)


def cell(page, table: str, region: str, col: str, key: str = "") -> str:
    row = f'#{table} tr[data-region="{region}"][data-key="{key}"]'
    return page.locator(f'{row} td[data-col="{col}"]').inner_text()


def wait_region(page, code: str) -> None:
    page.wait_for_selector(f'#pub-page[data-wilayah="{code}"]', timeout=WAIT)


def test_figures_in_indonesian_with_small_counts_withheld(site, browser):
    page = anonymous(browser, viewport=PHONE)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{site}/publik")
        page.wait_for_selector("#pub-bansos", timeout=WAIT)
        assert page.locator("h1").inner_text() == "Portal Data Publik"
        assert page.locator("#pub-page").get_attribute("lang") == "id"
        # e-Bansos: thousands with a dot, a decimal comma, rupiah in juta/miliar.
        assert cell(page, "pub-bansos", "36", "target_kpm") == "46.200"
        assert cell(page, "pub-bansos", "36", "kpm_tersalur") == "21.000"
        assert cell(page, "pub-bansos", "36", "progres_pct") == "45,5 %"
        assert cell(page, "pub-bansos", "36", "nominal") == "Rp 15,0 M"
        assert cell(page, "pub-prices", "36", "harga", "beras_medium") == "Rp 13.300"
        assert cell(page, "pub-procurement", "3602", "efisiensi_pct") == "2,50 %"
        # e-Yankes: 4 of Kota Serang's 5 beds occupied: "<5", and the free beds and the share withheld.
        assert cell(page, "pub-beds", "3673", "terisi") == "<5"
        assert cell(page, "pub-beds", "3673", "kosong") == "*"
        assert cell(page, "pub-beds", "3673", "keterisian_pct") == "*"
        assert cell(page, "pub-beds", "3673", "tempat_tidur") == "5"
        # e-Pormas: 3 complaints in Kota Serang, 1 in Kota Tangerang: all small.
        assert cell(page, "pub-complaints", "3673", "terbuka") == "<5"
        assert "<5" in page.locator("#pub-note").inner_text()
        # The map labels Pandeglang with its disbursement progress.
        page.wait_for_function("() => document.querySelector('#pub-map').textContent.includes('45,5 %')",
                               timeout=WAIT)
        # The room pages' pushes that every page starts are refused quietly: a clean console.
        assert errors == []
        # Light, and one column: nothing wider than the phone (wide tables scroll inside their box).
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(245, 247, 250)"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        page.close()


def test_the_region_is_in_the_url_from_dropdown_and_map(site, browser, config):
    page = anonymous(browser, viewport={"width": 1280, "height": 1000})
    try:
        page.goto(f"{site}/publik")
        page.wait_for_selector("#pub-map .js-plotly-plot", timeout=WAIT)
        # A tap on Kota Serang on the map.
        click_region(page, config, "3673", "pub-map")
        wait_region(page, "3673")
        assert re.search(r"/publik\?wilayah=3673$", page.url)
        assert page.locator("#pub-profile h2").inner_text() == "Ringkasan Kota Serang"
        assert "is-selected" in page.locator('#pub-beds tr[data-region="3673"]').get_attribute("class")
        # The map's figure: bed occupancy, Kota Serang's withheld.
        page.locator(".pub-measure", has_text="Keterisian tempat tidur").click()
        page.wait_for_selector('#pub-page[data-peta="tempat-tidur"]', timeout=WAIT)
        assert "peta=tempat-tidur" in page.url and "wilayah=3673" in page.url
        # The map now reads bed occupancy: Kota Serang's is withheld, and says so.
        page.wait_for_function("() => document.querySelector('#pub-map').textContent.includes('Kota Serang*')",
                               timeout=WAIT)
        # Back in the browser's history: the previous view again.
        page.go_back()
        page.wait_for_selector('#pub-page[data-peta="bansos"]', timeout=WAIT)
        assert "peta=" not in page.url and page.locator("#pub-page").get_attribute("data-wilayah") == "3673"
        # Back to the whole province with the dropdown.
        page.locator("#pub-region").click()
        page.get_by_role("option", name="Seluruh Provinsi Banten").click()
        wait_region(page, "36")
        assert "wilayah" not in page.url and page.locator("#pub-profile").count() == 0
        # The URL alone reproduces a view, in a fresh page.
        fresh = anonymous(browser)
        fresh.goto(f"{site}/publik?wilayah=3601&lang=en")
        wait_region(fresh, "3601")
        assert fresh.locator("#pub-profile h2").inner_text() == "Kabupaten Pandeglang at a glance"
        fresh.close()
    finally:
        page.close()


def test_english(site, browser):
    page = anonymous(browser, viewport=PHONE)
    try:
        page.goto(f"{site}/publik?lang=en")
        page.wait_for_selector("#pub-bansos", timeout=WAIT)
        assert page.locator("h1").inner_text() == "Public Data Portal"
        assert cell(page, "pub-bansos", "36", "target_kpm") == "46,200"
        assert cell(page, "pub-bansos", "36", "progres_pct") == "45.5 %"
        assert cell(page, "pub-beds", "3673", "terisi") == "<5"
        assert page.locator("#pub-opendata-link").get_attribute("href") == "/opendata/?lang=en"
    finally:
        page.close()
