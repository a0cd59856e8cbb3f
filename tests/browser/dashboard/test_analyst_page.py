"""The analysts' page in headless Chromium: pick a comparison in the controls, share its URL, export what is shown.

Figures come from the real derive processor over the saved source payloads (tests/support/app_seed.py),
with the days before today added to the daily series the way the processor keeps them (analyst_seed.py).
"""

from __future__ import annotations

import csv
import time
from datetime import date
from urllib.parse import parse_qs, urlparse

from core.clock import utc_now
from core.redis import connect
from core.streams import AUDIT
from dashboard.app import create_app
from dashboard.text import formatting
from tests.support.analyst_seed import EGGS, seed_egg_prices
from tests.support.app import TEST_USERS, serve
from tests.support.app_seed import seed

WAIT = 15_000
VIEWPORT = {"width": 1500, "height": 1100}


def pick(page, dropdown: str, *labels: str, clear: bool = False) -> None:
    """Open a Dash dropdown, (empty it,) choose options by their text, close it."""
    page.locator(f"#{dropdown}").click()
    menu = page.locator(".dash-dropdown-content")
    menu.wait_for(timeout=WAIT)
    if clear:
        menu.get_by_role("button", name="Kosongkan").click()
    for label in labels:
        menu.get_by_role("option", name=label, exact=True).click()
    if menu.is_visible():
        page.keyboard.press("Escape")


def type_day(page, field: str, day: str) -> None:
    """Type a day into the range picker the way a person does: DD/MM/YYYY, then Enter."""
    page.locator(f"#{field}").fill(date.fromisoformat(day).strftime("%d/%m/%Y"))
    page.locator(f"#{field}").press("Enter")


def wait_view(page, **data: str) -> None:
    attrs = "".join(f'[data-{k}="{v}"]' for k, v in data.items())
    page.wait_for_selector(f"#ana-page{attrs}", state="attached", timeout=WAIT)


def cards(page) -> list[list[str]]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.ana-card:not(.is-empty)')].map(card =>
               ['name', 'value', 'when', 'change'].map(p => card.querySelector('.ana-card-' + p).textContent))""")


def table(page, rows: int) -> list[list[str]]:
    """The grid as shown, headers first, once it has drawn `rows` rows (ag-grid draws a moment after its data)."""
    page.wait_for_function("n => document.querySelectorAll('#ana-grid .ag-center-cols-container .ag-row').length === n"
                           " && [...document.querySelectorAll('#ana-grid .ag-center-cols-container .ag-cell')]"
                           ".some(c => c.textContent.startsWith('Rp'))", arg=rows, timeout=WAIT)
    return page.evaluate(
        """() => {
             const grid = document.querySelector('#ana-grid');
             const heads = [...grid.querySelectorAll('.ag-header-cell')]
               .sort((a, b) => a.getAttribute('aria-colindex') - b.getAttribute('aria-colindex'))
               .map(h => h.querySelector('.ag-header-cell-text').textContent.trim());
             const rows = [...grid.querySelectorAll('.ag-center-cols-container .ag-row')]
               .sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))
               .map(r => [...r.querySelectorAll('.ag-cell')]
                 .sort((a, b) => a.getAttribute('aria-colindex') - b.getAttribute('aria-colindex'))
                 .map(c => c.textContent.trim()));
             return [heads, ...rows];
           }""")


def bar_labels(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('#ana-bars .bartext')].map(t => t.textContent)")


def audit_entries(client, detail: str) -> list[dict]:
    """The audit entries whose detail starts with `detail`, once there is one (the audit is written server-side)."""
    deadline = time.monotonic() + WAIT / 1000
    while True:
        found = [e for _, e in client.xrange(AUDIT) if e.get("detail", "").startswith(detail)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def show(day: str, lang: str = "id") -> str:
    return formatting.day(date.fromisoformat(day), lang)


def test_compare_two_regions_share_the_url_and_export_the_table(config, redis_url, browser):
    now = utc_now()
    seed(redis_url, now)
    client = connect(redis_url, decode_responses=True)
    days = seed_egg_prices(client, now)  # six days ago .. yesterday
    start, end = days[2], days[5]        # four days ago .. yesterday: today's prices stay out
    app = create_app(config, redis_url)
    dialogs: list[str] = []
    with serve(app) as base:
        page = browser.new_page(viewport=VIEWPORT)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{base}/analyst")
        wait_view(page, app="e-bansos")

        pick(page, "ana-app", "Harga Pangan")
        wait_view(page, app="e-disikap")
        pick(page, "ana-regions", "Kota Tangerang", "Kota Serang", clear=True)
        wait_view(page, wilayah="3671,3673")
        pick(page, "ana-measure", "Harga Telur Ayam Ras Segar")
        type_day(page, "ana-range", start)
        type_day(page, "ana-range-end-date", end)
        page.keyboard.press("Escape")
        wait_view(page, app="e-disikap", measure=EGGS, wilayah="3671,3673", days="4")

        # Both regions side by side, the Indonesian way.
        expected_cards = [["Kota Tangerang", "Rp 30.500", f"per {show(end)}", f"+Rp 750 sejak {show(start)}"],
                          ["Kota Serang", "Rp 30.000", f"per {show(end)}", f"+Rp 1.200 sejak {show(start)}"]]
        assert cards(page) == expected_cards
        shown = table(page, 4)
        assert shown == [["Tanggal", "Kota Tangerang", "Kota Serang"],
                         [show(days[2]), "Rp 29.750", "Rp 28.800"], [show(days[3]), "Rp 30.000", "Rp 29.200"],
                         [show(days[4]), "Rp 30.250", "Rp 29.600"], [show(days[5]), "Rp 30.500", "Rp 30.000"]]
        assert sorted(bar_labels(page)) == sorted(["Rp 29.750", "Rp 30.500", "Rp 28.800", "Rp 30.000"])
        assert page.locator("#ana-trend-title").inner_text().lower() == "harga telur ayam ras segar per hari"

        # The URL holds the view.
        shared = page.url
        query = {k: v[0] for k, v in parse_qs(urlparse(shared).query).items()}
        assert query == {"app": "e-disikap", "ukuran": EGGS, "wilayah": "3671,3673", "dari": start, "sampai": end}

        # CSV: exactly the table shown, numbers as numbers; the export is in the audit trail.
        with page.expect_download(timeout=WAIT) as download:
            page.locator("#ana-csv").click()
        assert (download.value.suggested_filename
                == f"analisis-e-disikap-harga-telur_ayam_ras_segar-3671-3673-{start}-{end}.csv")
        with open(download.value.path(), encoding="utf-8") as f:
            exported = list(csv.reader(f))
        assert exported[0] == shown[0]
        assert [[show(row[0])] + [formatting.value(float(v), "rupiah") for v in row[1:]] for row in exported[1:]] \
            == shown[1:]
        assert exported[1] == [days[2], "29750", "28800"]
        entries = audit_entries(client, "csv ")
        assert [(e["action"], e["target"]) for e in entries] == [("export", f"analyst:e-disikap:{EGGS}")]
        assert "4 baris" in entries[0]["detail"] and entries[0]["who"] == TEST_USERS["admin"]

        # The same view in a fresh browser, from the URL alone.
        fresh = browser.new_context(viewport=VIEWPORT).new_page()
        fresh.goto(shared)
        wait_view(fresh, app="e-disikap", measure=EGGS, wilayah="3671,3673", days="4")
        assert cards(fresh) == expected_cards
        assert table(fresh, 4) == shown
        assert fresh.locator("#ana-app").inner_text() == "Harga Pangan"
        assert fresh.locator("#ana-measure").inner_text() == "Harga Telur Ayam Ras Segar"
        assert fresh.locator("#ana-range").input_value() == date.fromisoformat(start).strftime("%d/%m/%Y")
        assert fresh.url == shared
        fresh.context.close()

        # Back and forward in the browser: the view of each address comes back, controls included.
        page.go_back()  # before the end of the range was typed: from four days ago to today
        wait_view(page, measure=EGGS, wilayah="3671,3673", days="5")
        assert page.locator("#ana-range-end-date").input_value() == ""
        assert cards(page)[1][:2] == ["Kota Serang", "Rp 30.300"]  # today's price, from the processor
        page.go_forward()
        wait_view(page, measure=EGGS, wilayah="3671,3673", days="4")
        assert cards(page) == expected_cards
        assert page.locator("#ana-range-end-date").input_value() == date.fromisoformat(end).strftime("%d/%m/%Y")
        assert dialogs == []
        page.close()


def test_english_bars_chart_image_and_excel(config, redis_url, browser):
    now = utc_now()
    seed(redis_url, now)
    client = connect(redis_url, decode_responses=True)
    days = seed_egg_prices(client, now)
    app = create_app(config, redis_url)
    with serve(app) as base:
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(f"{base}/analyst?app=e-disikap&ukuran={EGGS}&wilayah=3671,3673&dari={days[0]}&sampai={days[5]}"
                  "&lang=en")
        wait_view(page, measure=EGGS, days="6")
        assert cards(page)[0] == ["Kota Tangerang", "Rp 30,500", f"as of {show(days[5], 'en')}",
                                  f"+Rp 1,500 since {show(days[0], 'en')}"]
        assert table(page, 6)[0] == ["Date", "Kota Tangerang", "Kota Serang"]
        # Chart kind: grouped bars per day, kept in the URL.
        trend_types = "() => document.querySelector('#ana-trend .js-plotly-plot').data.map(t => t.type)"
        assert page.evaluate(trend_types) == ["scatter", "scatter"]
        page.get_by_text("Bars", exact=True).click()
        page.wait_for_function(f"() => ({trend_types})().join() === 'bar,bar'", timeout=WAIT)
        page.wait_for_url("**grafik=batang**", timeout=WAIT)

        # The chart as a PNG, named after what it shows, audited.
        with page.expect_download(timeout=WAIT) as image:
            page.locator("#ana-png-trend").click()
        assert image.value.suggested_filename == (
            f"analisis-e-disikap-harga-telur_ayam_ras_segar-3671-3673-{days[0]}-{days[5]}-harian.png")
        with open(image.value.path(), "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
        entries = audit_entries(client, "png ")
        assert [(e["action"], e["target"]) for e in entries] == [("export", f"analyst:e-disikap:{EGGS}")]

        # Excel: the same table, real numbers and real dates.
        with page.expect_download(timeout=WAIT) as book_file:
            page.locator("#ana-xlsx").click()
        from openpyxl import load_workbook

        with open(book_file.value.path(), "rb") as f:
            rows = list(load_workbook(f).active.values)
        assert rows[0] == ("Date", "Kota Tangerang", "Kota Serang")
        assert [(r[0].date().isoformat(), r[1], r[2]) for r in rows[1:]] == [
            (d, a, b) for d, a, b in zip(days, (29000, 29500, 29750, 30000, 30250, 30500),
                                         (28000, 28400, 28800, 29200, 29600, 30000))]
        page.close()


def test_analysts_open_the_page_operators_do_not(config, redis_url, browser):
    now = utc_now()
    seed(redis_url, now)
    seed_egg_prices(connect(redis_url, decode_responses=True), now)
    app = create_app(config, redis_url)
    with serve(app) as base:
        analyst = browser.new_page(role="analyst", viewport=VIEWPORT)
        analyst.goto(f"{base}/analyst?app=e-disikap&ukuran={EGGS}&wilayah=3673")
        wait_view(analyst, measure=EGGS, wilayah="3673")
        assert cards(analyst)[0][:2] == ["Kota Serang", "Rp 30.300"]  # today's price, from the processor
        analyst.close()

        operator = browser.new_page(role="operator", viewport=VIEWPORT)
        answer = operator.goto(f"{base}/analyst?app=e-disikap&ukuran={EGGS}&wilayah=3673")
        assert answer.status == 403
        operator.wait_for_timeout(500)
        assert operator.locator("#ana-page").count() == 0
        assert "30.300" not in operator.locator("body").inner_text()
        operator.close()
