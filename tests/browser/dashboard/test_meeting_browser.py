"""The meeting room in headless Chromium: a presenter's page and the room's screen, side by side.

The presenter picks a topic and a region, spotlights a tile and steps through the prepared views
(layouts/meeting/rapat-pimpinan.yaml) with the buttons and the arrow keys; the second screen
follows within a couple of seconds, through the room's hash in Redis.
"""

from __future__ import annotations

import time

import pytest

from core.streams import meeting_room
from dashboard.app import create_app
from tests.support.app import serve
from tests.support.app_seed import seed

WAIT = 15_000
FOLLOW_S = 2.0  # "within a couple of seconds"
ROOM = "rapat-uji"


@pytest.fixture
def room(config, redis_url):
    """The seeded province served, with the presenter's page and the room's screen open."""
    seed(redis_url)
    with serve(create_app(config, redis_url)) as base:
        yield base


def open_pages(browser, base: str):
    presenter = browser.new_page(viewport={"width": 1920, "height": 1080})
    screen = browser.new_page(viewport={"width": 1920, "height": 1080})
    presenter.goto(f"{base}/screen/meeting/presenter?ruang={ROOM}")
    screen.goto(f"{base}/screen/meeting?ruang={ROOM}")
    for page in (presenter, screen):
        page.wait_for_selector("#meet-stage", timeout=WAIT)
        page.wait_for_function("() => document.querySelector('#wall').getAttribute('data-tick')",
                               timeout=WAIT)
    return presenter, screen


def follows(screen, condition: str, arg=None) -> float:
    """Seconds until `condition` (a JS function of `arg`) holds on the room's screen; fails past FOLLOW_S."""
    started = time.monotonic()
    screen.wait_for_function(condition, arg=arg, timeout=FOLLOW_S * 1000)
    return time.monotonic() - started


STAGE = "([key, want]) => document.querySelector('#meet-stage').dataset[key] === want"
TEXT = "([sel, want]) => { const el = document.querySelector(sel); return el && el.textContent === want; }"


def test_the_second_screen_follows_the_presenter(room, browser, r):
    presenter, screen = open_pages(browser, room)
    try:
        assert screen.locator("#meet-waiting").is_visible()  # nothing chosen yet
        assert screen.locator("#meet-controls").count() == 0  # the room's screen has no controls

        presenter.locator("#meet-topic-e-yankes").click()
        follows(screen, STAGE, ["topic", "e-yankes"])
        follows(screen, TEXT, ["#meet-topic-title", "Layanan Kesehatan — Provinsi Banten"])
        assert screen.locator("#meet-stat-0-kicker").inner_text().upper() == "KETERISIAN TEMPAT TIDUR"
        assert screen.locator("#meet-stat-0-value").inner_text() == "80,0 %"
        assert not screen.locator("#meet-waiting").is_visible()
        assert screen.locator("#meet-tile-tren").is_visible()
        assert not screen.locator("#meet-tile-kamera").is_visible()

        presenter.locator("#meet-region-3673").click()  # the same application in Kota Serang
        follows(screen, STAGE, ["region", "3673"])
        follows(screen, TEXT, ["#meet-topic-title", "Layanan Kesehatan — Kota Serang"])

        presenter.locator("#meet-spot-peta").click()  # the map large, the others small beside it
        follows(screen, STAGE, ["spotlight", "peta"])
        spot = screen.locator("#meet-tile-peta")
        assert "is-spot" in spot.get_attribute("class").split()
        columns = spot.evaluate("el => [getComputedStyle(el).gridColumnStart,"
                                " getComputedStyle(el).gridColumnEnd]")
        assert columns == ["1", "span 9"]
        big, small = spot.bounding_box(), screen.locator("#meet-tile-angka").bounding_box()
        assert big["width"] > 2.5 * small["width"]
        # The presenter's own preview shows the same, and the room's version counted three changes.
        follows(presenter, STAGE, ["spotlight", "peta"])  # its push may come a moment after the room's
        assert r.hget(meeting_room(ROOM), "version") == "3"

        presenter.locator("#meet-topic-wilayah").click()  # Kota Serang's overview: every application there
        follows(screen, STAGE, ["kind", "wilayah"])
        follows(screen, TEXT, ["#meet-topic-title", "Ringkasan wilayah — Kota Serang"])
        assert screen.locator("#meet-stage").get_attribute("data-spotlight") == "peta"
        alerts = screen.locator("#meet-tile-peringatan .alert-msg").all_inner_texts()
        assert any(a.startswith("Pengaduan LPR-1 (Infrastruktur) di Kota Serang") for a in alerts)
    finally:
        presenter.close()
        screen.close()


def test_prepared_views_step_by_button_and_arrow_keys(room, browser):
    presenter, screen = open_pages(browser, room)
    try:
        presenter.locator("#meet-plan-0").click()
        assert presenter.locator("#meet-plan-0").inner_text() == "Rapat Pimpinan Mingguan"
        follows(screen, TEXT, ["#meet-step-label", "Langkah 1 dari 6 · Keadaan provinsi hari ini"])
        assert screen.locator("#meet-stage").get_attribute("data-kind") == "wilayah"
        assert screen.locator("#meet-stage").get_attribute("data-spotlight") == "angka"
        assert presenter.locator("#meet-prev").is_disabled()

        presenter.locator("#meet-next").click()
        seconds = follows(screen, TEXT, ["#meet-step-label", "Langkah 2 dari 6 · Harga pangan"])
        assert screen.locator("#meet-stage").get_attribute("data-topic") == "e-disikap"
        assert screen.locator("#meet-stage").get_attribute("data-spotlight") == "peta"
        assert seconds < FOLLOW_S

        presenter.keyboard.press("ArrowRight")  # a presentation clicker sends PageDown: the same
        follows(screen, TEXT, ["#meet-step-label", "Langkah 3 dari 6 · Tempat tidur rumah sakit"])
        assert screen.locator("#meet-stage").get_attribute("data-spotlight") == "tren"
        presenter.keyboard.press("PageDown")
        follows(screen, TEXT, ["#meet-step-label", "Langkah 4 dari 6 · Pengaduan masyarakat di Kota Serang"])
        assert screen.locator("#meet-stage").get_attribute("data-region") == "3673"
        presenter.keyboard.press("ArrowLeft")
        follows(screen, TEXT, ["#meet-step-label", "Langkah 3 dari 6 · Tempat tidur rumah sakit"])
        follows(presenter, "() => document.querySelector('#meet-step-2').classList.contains('is-on')")

        presenter.locator("#meet-step-5").click()  # straight to the camera
        follows(screen, STAGE, ["topic", "kamera"])
        camera = screen.locator("#meet-camera")
        follows(screen, "() => document.querySelector('#meet-camera').dataset.camera === 'pelabuhan-merak'")
        assert camera.get_attribute("data-variant") == "main"  # spotlit: the main stream
        assert screen.locator("#meet-camera-name").inner_text() == "Pelabuhan Merak"
        assert screen.locator("#meet-tile-kamera").is_visible()
        # The last step: the presenter's own panel updates from the same push as the screen.
        follows(presenter, "() => document.querySelector('#meet-next').disabled")
        # The player asks this origin's /whep/<camera>; no camera address ever reaches the page.
        screen.wait_for_function("() => { const c = document.querySelector('#meet-camera');"
                                 " return c.cctvPlayer && c.cctvPlayer.url.includes('/whep/pelabuhan-merak');"
                                 " }",
                                 timeout=WAIT)
        for page in (presenter, screen):
            html = page.content()
            assert "rtsp://" not in html and "demo-kamera" not in html
    finally:
        presenter.close()
        screen.close()


def test_a_screen_opened_later_shows_the_room_as_it_is(room, browser, config, r):
    from dashboard.meeting.state import change

    change(r, ROOM, config, topic="e-pormas", region="3673", spotlight="peringatan")
    page = browser.new_page(viewport={"width": 1280, "height": 800}, role="executive")
    try:
        page.goto(f"{room}/screen/meeting?ruang={ROOM}&lang=en")
        page.wait_for_selector('#meet-stage[data-topic="e-pormas"]', timeout=WAIT)
        assert page.locator("#meet-topic-title").inner_text() == "Public Complaints — Kota Serang"
        assert "is-spot" in page.locator("#meet-tile-peringatan").get_attribute("class").split()
        overflow = page.evaluate("() => document.documentElement.scrollHeight > innerHeight"
                                 " || document.documentElement.scrollWidth > innerWidth")
        assert not overflow
    finally:
        page.close()
