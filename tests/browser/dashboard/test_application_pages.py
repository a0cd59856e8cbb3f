"""The application pages in headless Chromium: drill from the province map to a record and back, shareable URLs.

Figures come from the real derive processor over the saved source payloads (tests/support/app_seed.py).
"""

from __future__ import annotations

import re

from core.clock import utc_now
from dashboard.app import create_app
from dashboard.applications.page import SPECS, View, parse_view
from tests.support.app import serve
from tests.support.app_seed import IMG, SCRIPT, seed
from tests.support.map_click import click_region

WAIT = 15_000


def wait_level(page, level: str) -> None:
    page.wait_for_selector(f'#app-page[data-level="{level}"]', timeout=WAIT)



def click_row(page, row_id: str, grid: str = "app-grid") -> None:
    cell = page.locator(f'#{grid} .ag-center-cols-container .ag-row[row-id="{row_id}"] .ag-cell').first
    cell.wait_for(timeout=WAIT)
    cell.click()


def shows(page, *texts: str, grid: str = "app-grid") -> bool:
    """Wait until the grid shows every text (ag-grid draws its rows a moment after rowData arrives)."""
    page.wait_for_function(
        "([sel, texts]) => { const el = document.querySelector(sel);"
        " return el && texts.every(t => el.textContent.includes(t)); }",
        arg=[f"#{grid} .ag-center-cols-container", list(texts)], timeout=WAIT)
    return True


def test_view_round_trips_through_the_url():
    view = parse_view("/app/e-yankes", "?wilayah=3673&unit=RS%20001&rekaman=R02&dari=2026-11-01&lang=en")
    assert (view.region, view.unit, view.record, view.start, view.lang, view.level) == (
        "3673", "RS 001", "R02", "2026-11-01", "en", "rekaman")
    assert parse_view("/app/e-yankes", view.search()) == view
    assert parse_view("/app/e-yankes", "?wilayah=9999&unit=x").level == "provinsi"  # no unknown regions
    assert View("e-lpse", "36").href(unit="Dinas PUPR") == "/app/e-lpse?wilayah=36&unit=Dinas+PUPR"
    assert set(SPECS) == {"e-bansos", "e-pormas", "e-cctv", "e-statistik", "e-yankes", "e-lpse", "e-disikap"}


def test_drill_down_from_map_to_record_and_back(config, redis_url, browser):
    seed(redis_url)
    app = create_app(config, redis_url)
    dialogs = []
    with serve(app) as base:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{base}/app/e-yankes")
        wait_level(page, "provinsi")
        # Headline tiles: the province's figures, Indonesian style.
        page.wait_for_function("() => document.querySelector('#app-stat-value-3').textContent === '80,0 %'",
                               timeout=WAIT)
        assert page.locator("#app-stat-label-3").inner_text() == "KETERISIAN"  # CSS upper-cases the label
        assert shows(page, "Kota Serang")

        click_region(page, config, "3673")  # province -> kab/kota, by the map
        wait_level(page, "wilayah")
        assert re.search(r"wilayah=3673(&|$)", page.url)
        assert shows(page, "RSUD Banten")

        click_row(page, "3673011")  # kab/kota -> hospital, by a row
        wait_level(page, "unit")
        assert "unit=3673011" in page.url
        assert shows(page, "Ruang Melati", "66,7 %")

        click_row(page, "R02")  # hospital -> ward (the record)
        wait_level(page, "rekaman")
        assert "rekaman=R02" in page.url
        assert shows(page, "ICU", "100,0 %", grid="app-record")
        crumbs = page.locator("#app-crumbs a:not(.is-empty)").all_inner_texts()
        assert crumbs == ["Provinsi Banten", "Kota Serang", "RSUD Banten", "R02"]
        shared = page.url

        page.locator("#app-crumb-1").click()  # back up to the kab/kota by the breadcrumb
        wait_level(page, "wilayah")
        assert "unit=" not in page.url and "wilayah=3673" in page.url
        page.locator("#app-crumb-0").click()
        wait_level(page, "provinsi")
        assert "wilayah" not in page.url

        # The shared URL reproduces the view in a fresh browser context.
        fresh = browser.new_context().new_page()
        fresh.goto(shared)
        wait_level(fresh, "rekaman")
        assert fresh.locator("#app-page").get_attribute("data-unit") == "3673011"
        assert shows(fresh, "100,0 %", grid="app-record")
        fresh.context.close()
        assert dialogs == []
        page.close()


def test_numbers_english_and_source_text_shown_as_text(config, redis_url, browser):
    seed(redis_url)
    app = create_app(config, redis_url)
    with serve(app) as base:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        # e-LPSE: rupiah the Indonesian way, compact in the tiles and in full in the grid.
        page.goto(f"{base}/app/e-lpse?wilayah=3602")
        wait_level(page, "wilayah")
        page.wait_for_function("() => document.querySelector('#app-stat-value-2').textContent === 'Rp 5,2 M'",
                               timeout=WAIT)
        assert shows(page, "Rp 5.150.000.000")

        page.goto(f"{base}/app/e-lpse?wilayah=3602&lang=en")
        wait_level(page, "wilayah")
        page.wait_for_function("() => document.querySelector('#app-stat-value-2').textContent === 'Rp 5.2 bn'",
                               timeout=WAIT)
        assert shows(page, "Rp 5,150,000,000")
        assert page.locator("#app-crumb-0").inner_text() == "Banten Province"

        # e-Pormas: complaint titles that look like HTML are shown as the text they are.
        page.goto(f"{base}/app/e-pormas?wilayah=3673&unit=Infrastruktur")
        wait_level(page, "unit")
        assert shows(page, SCRIPT, IMG)
        click_row(page, "LPR-2")
        wait_level(page, "rekaman")
        assert shows(page, IMG, grid="app-record")
        assert page.locator("#app-page img[src='x']").count() == 0
        assert page.locator("#app-page script").count() == 0
        page.wait_for_timeout(300)
        assert dialogs == []
        page.close()


def test_home_links_the_seven_pages_and_excel_export(config, redis_url, browser):
    seed(redis_url)
    app = create_app(config, redis_url)
    with serve(app) as base:
        page = browser.new_page()
        page.goto(base + "/")
        page.wait_for_selector(".home-apps a", timeout=WAIT)
        hrefs = page.locator(".home-apps a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert sorted(hrefs) == sorted(f"/app/{a}" for a in SPECS)
        assert page.locator("#home-logout").get_attribute("href") == "/logout"
        assert page.locator(".home-rooms a[href='/admin/audit']").count() == 1

        # An operator's list holds what they may open: their own application, their screen, no walls.
        operator = browser.new_page(role="operator")
        operator.goto(base + "/")
        operator.wait_for_selector(".home-apps a", timeout=WAIT)
        links = operator.locator("#home a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert [h for h in links if h.startswith("/app/")] == ["/app/e-pormas"]
        assert "/operator" in links and "/publik" in links and "/logout" in links
        assert not any(h.startswith(("/wall/", "/screen/", "/analyst", "/admin/", "/remote")) for h in links)
        operator.close()

        page.goto(f"{base}/app/e-yankes?wilayah=3673")
        wait_level(page, "wilayah")
        page.wait_for_selector('#app-grid .ag-row[row-id="3673011"]', timeout=WAIT)
        with page.expect_download(timeout=WAIT) as download:
            page.locator("#app-xlsx").click()
        import openpyxl

        assert download.value.suggested_filename == "e-yankes-3673.xlsx"
        with open(download.value.path(), "rb") as f:
            book = openpyxl.load_workbook(f)
        rows = list(book.active.values)
        assert rows[0][0] == "Rumah sakit" and rows[1][0] == "RSUD Banten" and rows[1][3] == 5
        with page.expect_download(timeout=WAIT) as csv_download:
            page.locator("#app-csv").click()
        assert "RSUD Banten" in open(csv_download.value.path(), encoding="utf-8").read()
        page.close()


def test_time_range_limits_trend_and_records(redis_url, r):
    from datetime import timedelta

    from dashboard.applications.page import OUTPUTS, render
    from dashboard.tiles.map import seat_geometry

    now = utc_now()
    seed(redis_url, now)
    names = [f"{o.component_id}.{o.component_property}" for o in OUTPUTS]

    def props(search):
        return dict(zip(names, render(r, seat_geometry(), parse_view("/app/e-pormas", search))))

    every = props("?wilayah=3673&unit=Infrastruktur")
    assert {row["_id"] for row in every["app-grid.rowData"]} == {"LPR-1", "LPR-2", "LPR-3"}
    assert every["app-trend.figure"]["data"][0]["x"]  # today's value
    later = (now + timedelta(days=3)).date().isoformat()
    none = props(f"?wilayah=3673&unit=Infrastruktur&dari={later}")
    assert none["app-grid.rowData"] == [] and none["app-trend.figure"]["data"][0]["x"] == []
    recent = (now - timedelta(days=3)).date().isoformat()
    assert {row["_id"] for row in props(f"?wilayah=3673&unit=Infrastruktur&dari={recent}")["app-grid.rowData"]} \
        == {"LPR-2", "LPR-3"}


def test_a_unit_of_many_records_shows_the_newest_and_counts_all(redis_url, r, monkeypatch):
    from datetime import timedelta

    from core.clock import utc_now
    from dashboard.applications import page as application
    from dashboard.applications.page import OUTPUTS, render
    from dashboard.tiles.map import seat_geometry
    from tests.support.public_seed import complaint, seed_records

    now = utc_now()
    # Twelve complaints a day apart; the page is set to show five, as it shows 1,000 of a disaster's 80,000.
    seed_records(redis_url, [complaint(f"LPR-{d:02d}", "3673", now - timedelta(days=d)) for d in range(12)], now)
    monkeypatch.setattr(application, "RECORDS_SHOWN", 5)
    names = [f"{o.component_id}.{o.component_property}" for o in OUTPUTS]

    def props(search):
        return dict(zip(names, render(r, seat_geometry(), parse_view("/app/e-pormas", search))))

    every = props("?wilayah=3673&unit=Infrastruktur")
    assert {row["_id"] for row in every["app-grid.rowData"]} == {f"LPR-{d:02d}" for d in range(5)}
    assert every["app-table-count.children"] == "12 data"
    since = (now - timedelta(days=9)).astimezone(application.formatting.WIB).date().isoformat()
    until = (now - timedelta(days=4)).astimezone(application.formatting.WIB).date().isoformat()
    ranged = props(f"?wilayah=3673&unit=Infrastruktur&dari={since}&sampai={until}")
    assert {row["_id"] for row in ranged["app-grid.rowData"]} == {f"LPR-{d:02d}" for d in range(4, 9)}
    assert ranged["app-table-count.children"] == "6 data"  # days 4..9 ago, the newest five shown
    chosen = props("?wilayah=3673&unit=Infrastruktur&rekaman=LPR-11")  # an old one, linked to directly
    assert chosen["app-record.rowData"]
