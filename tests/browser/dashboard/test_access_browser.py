"""Signing in and out in Chromium as a person does, and the pages under the Content-Security-Policy."""

from __future__ import annotations

import time

import pytest

from core.streams import utc_now
from dashboard.app import create_app
from tests.support.access import audit_entries
from tests.support.app import TEST_PASSWORD, TEST_USERS, serve
from tests.support.sample import write_wall

# Every Content-Security-Policy violation of the page, as the browser reports it.
CSP_WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
                          e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.fixture(scope="module")
def base(config, redis_server):
    with serve(create_app(config, redis_server.url)) as url:
        yield url


def anonymous(browser):
    page = browser.anonymous_page(viewport={"width": 1600, "height": 900})
    page.add_init_script(CSP_WATCH)
    return page


def sign_in(page, username: str, password: str = TEST_PASSWORD) -> None:
    page.fill("#login-username", username)
    page.fill("#login-password", password)
    page.click("#login-submit")


def test_the_public_goes_to_the_portal_and_a_wall_asks_to_sign_in_first(browser, base, config, r):
    write_wall(r, config, utc_now())
    page = anonymous(browser)
    try:
        page.goto(base + "/")
        assert page.url == base + "/publik"
        page.goto(base + "/wall/command-center")
        assert page.url.startswith(base + "/login?next=")
        assert page.locator("h1").inner_text() == "Masuk ke Command Center"
        sign_in(page, TEST_USERS["executive"], "salah-sekali-123")
        assert page.locator("#login-error").inner_text() == "Nama pengguna atau kata sandi salah."
        sign_in(page, TEST_USERS["executive"])
        page.wait_for_url(base + "/wall/command-center")
        page.wait_for_function("() => document.querySelector('[data-tile=\"beras\"] .tile-value')"
                               "?.textContent === 'Rp 13.312'", timeout=15_000)
        page.wait_for_selector('[data-tile="peta"] .textpoint text')  # the map is drawn
        assert page.evaluate("window.__csp") == []
        # The session cookie is out of reach of scripts.
        assert "cc_session" not in page.evaluate("document.cookie")

        page.goto(base + "/logout")
        page.click("#logout-submit")
        page.wait_for_url(base + "/login?msg=out")
        assert page.locator("#login-notice").inner_text() == "Anda telah keluar."
        page.goto(base + "/wall/command-center")
        assert page.url.startswith(base + "/login?next=")
    finally:
        page.close()


def test_an_operator_gets_their_application_and_a_refusal_for_another(browser, base, r):
    page = anonymous(browser)
    try:
        page.goto(base + "/app/e-pormas?lang=en")
        assert page.locator("h1").inner_text() == "Sign in to the Command Center"
        sign_in(page, TEST_USERS["operator"])
        page.wait_for_url(base + "/app/e-pormas?lang=en")
        page.wait_for_selector("#app-map .main-svg", timeout=15_000)
        page.wait_for_selector("#app-grid .ag-root", timeout=15_000)
        assert page.evaluate("window.__csp") == []
        # Both exports are in the audit trail, with who and which view.
        with page.expect_download():
            page.click("#app-csv")
        with page.expect_download():
            page.click("#app-xlsx")
        deadline = time.monotonic() + 5
        while len(exports := audit_entries(r, "export")) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted((e["who"], e["target"], e["detail"]) for e in exports) == [
            (TEST_USERS["operator"], "/app/e-pormas?lang=en", "csv"),
            (TEST_USERS["operator"], "/app/e-pormas?lang=en", "xlsx")]
        page.goto(base + "/app/e-bansos")
        assert "Akun Uji operator (operator) tidak berhak membuka /app/e-bansos." in page.inner_text("body")
    finally:
        page.close()


def test_pages_of_the_signed_in_browser_fixture_are_admin(browser, base):
    """The fixture other page tests use: signed in as admin without asking, any role on request."""
    page = browser.new_page()
    try:
        page.goto(base + "/admin/audit")
        assert page.locator("h1").inner_text() == "Jejak audit"
        assert TEST_USERS["admin"] in page.inner_text("#admin-audit")  # its own sign-in is listed
    finally:
        page.close()
    page = browser.new_page(role="analyst")
    try:
        page.goto(base + "/analyst")
        assert page.url == base + "/analyst"
        page.goto(base + "/admin/audit")
        assert "tidak berhak" in page.inner_text("body")
    finally:
        page.close()
