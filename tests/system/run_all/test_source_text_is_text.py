"""Text from a source is shown as text on every screen, never run as HTML.

Two complaints go through the real LAPOR! webhook of the running system (`run.py all`), their title
and category written as a script and as an image with an onerror handler. Both are ten days old
and unverified, so the derive processor also raises service-level alerts that name the category
on the command-center wall's alert strip. Each screen that shows them (the wall's strip, the
e-Pormas page's grids, its record detail, the public portal's categories) must show the literal
text and never set window.__pwned.

The wall and /app pages need a signed-in user: tests/support/system.py's `chromium()` pages
are signed in as admin; the public portal is read with nobody signed in.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest

from core.clock import utc_now
from tests.support.system import chromium, running_system

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
WAIT = 45_000


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    # Slow demo complaints: the test's own are the newest alerts on the wall's strip.
    with running_system(tmp_path_factory.mktemp("source-text"), demo_speed=0.01) as system:
        yield system


@pytest.fixture(scope="module")
def pushed(system):
    """The two complaints, through the webhook with its bearer token, as an agency system sends them."""
    now = utc_now()
    created = (now - timedelta(days=10)).isoformat()
    body = [{"tracking_id": "XSS-1", "status": "diterima", "category": IMG, "via": "app", "city_id": "3673",
             "judul": SCRIPT, "isi": SCRIPT + IMG, "created_at": created, "updated_at": now.isoformat()},
            {"tracking_id": "XSS-2", "status": "diterima", "category": SCRIPT, "via": "app",
             "city_id": "3673", "judul": IMG, "isi": IMG, "created_at": created,
             "updated_at": now.isoformat()}]
    status, answer = system.post_webhook("lapor_banten", body)
    assert status == 202, answer
    return body


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def open_page(browser, url: str, viewport=None):
    page = browser.new_page(viewport=viewport or {"width": 1600, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    assert "/login" not in page.url, "this screen needs a signed-in page (tests/support/system.py chromium())"
    return page, dialogs


def wait_text(page, selector: str, *texts: str) -> None:
    page.wait_for_function(
        "([sel, texts]) => { const el = document.querySelector(sel);"
        " return el && texts.every(t => el.textContent.includes(t)); }",
        arg=[selector, list(texts)], timeout=WAIT)


def assert_inert(page, dialogs: list[str]) -> None:
    """Nothing ran: no flag, no dialog, no image or script made from the source's text."""
    page.wait_for_timeout(300)  # an onerror fires right after the element is made
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("[...document.scripts].some(s => s.textContent.includes('__pwned'))") is False


def test_the_wall_alert_strip_shows_the_category_as_text(system, pushed, browser):
    page, dialogs = open_page(browser, f"{system.dashboard}/wall/command-center",
                              {"width": 1920, "height": 1080})
    try:
        # "Pengaduan XSS-1 (<img ...>) di Kota Serang belum diverifikasi ..." on the alert strip. Each
        # complaint raises two alerts (verification, resolution): one of each is enough to be seen, as
        # a late feed may take a line of the strip first.
        wait_text(page, '[data-tile="peringatan"]', IMG)
        wait_text(page, '[data-tile="peringatan"]', SCRIPT)
        assert_inert(page, dialogs)
    finally:
        page.close()


def test_the_e_pormas_page_grids_and_record_show_text(system, pushed, browser):
    page, dialogs = open_page(browser, f"{system.dashboard}/app/e-pormas?wilayah=3673")
    try:
        # The kab/kota level lists the categories: both names as they were sent.
        wait_text(page, "#app-grid .ag-center-cols-container", IMG, SCRIPT)
        assert_inert(page, dialogs)
        # The category's complaints: the title in the grid.
        page.goto(f"{system.dashboard}/app/e-pormas?wilayah=3673&unit={quote(IMG)}")
        wait_text(page, "#app-grid .ag-center-cols-container", "XSS-1", SCRIPT)
        assert_inert(page, dialogs)
        # The record: every field, title and category among them.
        page.goto(f"{system.dashboard}/app/e-pormas?wilayah=3673&unit={quote(SCRIPT)}&rekaman=XSS-2")
        wait_text(page, "#app-record", IMG, SCRIPT)
        assert_inert(page, dialogs)
    finally:
        page.close()


def test_the_public_portal_shows_the_category_as_text(system, pushed, browser):
    # A phone, nobody signed in: the portal needs no login.
    page = getattr(browser, "anonymous_page", browser.new_page)(viewport={"width": 390, "height": 844})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"{system.dashboard}/publik")
        wait_text(page, "#pub-categories", IMG, SCRIPT)
        rows = page.locator("#pub-categories tbody th").all_inner_texts()
        assert IMG in rows and SCRIPT in rows
        # The titles (complaint text) are never on the public page, not even as text.
        assert "XSS-" not in page.content()
        assert_inert(page, dialogs)
    finally:
        page.close()
