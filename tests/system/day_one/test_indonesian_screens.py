"""Every screen in Bahasa Indonesia on the running system with its past: no English month or day name
in the page's text, its charts' axes and hover labels, or an open date picker."""

from __future__ import annotations

import re

from core.config import APPLICATIONS

SCREENS = ("/", "/wall/command-center", "/wall/harga-pangan", "/wall/pengaduan", "/wall/cctv-wall",
           "/wall/playlist-command-center", "/remote", "/screen/governor", "/screen/meeting/presenter",
           "/screen/meeting", *(f"/app/{app}" for app in APPLICATIONS), "/analyst", "/publik", "/opendata/",
           "/operator", "/admin/audit", "/login")
# English names that Bahasa Indonesia writes differently (April, September, November, Jan, Feb... agree).
ENGLISH = re.compile(r"\b(January|February|March|May|June|July|August|October|December|Aug|Oct|Dec|"
                     r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")
CALENDAR_ENGLISH = re.compile(r"\b(Su|Mo|Tu|We|Th|Fr|Sa)\b")
SCREEN_TEXT = """() => [document.body.innerText,
    ...[...document.querySelectorAll('svg text')].map(t => t.textContent)].join('\\n')"""


def english_in(text: str) -> list[str]:
    return sorted(set(ENGLISH.findall(text)))


def test_no_english_month_or_day_name_on_any_indonesian_screen(system, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    found = {}
    try:
        for path in SCREENS:
            page.goto(f"{system.dashboard}{path}", wait_until="domcontentloaded")
            page.wait_for_function("() => document.body.innerText.trim().length > 20", timeout=30_000)
            if path.startswith(("/app/", "/analyst", "/screen", "/wall", "/publik")):
                # Filled: figures, dates and charts in (these screens show digits once their data is there).
                page.wait_for_function("() => /\\d/.test(document.body.innerText)", timeout=30_000)
                page.wait_for_timeout(300)
            if english := english_in(page.evaluate(SCREEN_TEXT)):
                found[path] = english
    finally:
        page.close()
    assert found == {}


def hover_text(page, graph: str) -> str:
    """The hover label of a chart at its first line's last-but-one point, as a pointer there shows it."""
    page.evaluate("""(graph) => {
        const gd = document.querySelector(graph + ' .js-plotly-plot');
        Plotly.Fx.hover(gd, [{curveNumber: 0, pointNumber: gd.data[0].x.length - 2}]);
    }""", graph)
    page.wait_for_function(f"() => document.querySelector('{graph} .hoverlayer').textContent.length > 0",
                           timeout=10_000)
    return page.evaluate(f"() => document.querySelector('{graph} .hoverlayer').textContent")


def test_trend_hover_and_date_pickers_speak_indonesian(system, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(f"{system.dashboard}/app/e-yankes")
        page.wait_for_function("() => (document.querySelector('#app-trend .js-plotly-plot') || {}).data",
                               timeout=30_000)
        hover = hover_text(page, "#app-trend")
        # The unified hover names the day as Indonesians write it, and the share with a decimal comma.
        assert re.search(r"\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des)\b|\d{2}/\d{2}/\d{4}", hover), hover
        assert re.search(r"\d+,\d", hover) and not english_in(hover), hover
        page.locator("#app-range").click()
        page.wait_for_selector(".dash-datepicker-content", timeout=10_000)
        page.wait_for_timeout(300)
        calendar = page.locator(".dash-datepicker-content").inner_text()
        assert not english_in(calendar) and not CALENDAR_ENGLISH.findall(calendar), calendar
        assert re.search(r"\b(Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|"
                         r"Desember) 20\d\d\b", calendar), calendar
        assert "Sn" in calendar.split() and "Mg" in calendar.split(), calendar
        page.keyboard.press("Escape")

        page.goto(f"{system.dashboard}/analyst?app=e-yankes&ukuran=keterisian_pct")
        page.wait_for_function("() => ((document.querySelector('#ana-trend .js-plotly-plot') || {}).data || [])"
                               ".length > 0", timeout=30_000)
        ticks = page.evaluate("() => [...document.querySelectorAll('#ana-trend .xtick text')].map(t => t.textContent)")
        assert ticks and not english_in(" ".join(ticks)), ticks
        hover = hover_text(page, "#ana-trend")
        assert not english_in(hover), hover
    finally:
        page.close()


def test_english_screens_stay_english(system, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(f"{system.dashboard}/app/e-yankes?lang=en")
        page.locator("#app-range").click()
        page.wait_for_selector(".dash-datepicker-content", timeout=10_000)
        calendar = page.locator(".dash-datepicker-content").inner_text()
        assert re.search(r"\b(January|February|March|April|May|June|July|August|September|October|November|"
                         r"December) 20\d\d\b", calendar), calendar
    finally:
        page.close()
