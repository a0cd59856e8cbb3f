"""Playlist walls in real Chromium: rotation on the server clock, the remote control, kiosk mode.

Short item times in a layouts folder of the test's own (the shipped playlist runs minutes per screen).
"""

from __future__ import annotations

import time

import pytest

from core.streams import AUDIT, utc_now
from dashboard.app import create_app
from tests.support.app import RESULTS, serve
from tests.support.layouts import SCREEN_A, SCREEN_B, SLOW, with_layouts
from tests.support.playlist_probe import SWITCH_PROBE, visible_screen
from tests.support.sample import write_wall

FAST = """\
kind: playlist
title: Putaran cepat
items:
  - {screen: uji-a, seconds: 3, label: Harga}
  - {screen: uji-b, seconds: 3, label: Pengaduan}
"""
SCREEN_C = """\
title: Kamera Uji
grid: {columns: 2, rows: 1}
tiles:
  - {id: kamera, kind: camera_grid, columns: 2, rows: 1, rotate_every: 0, col: 1, row: 1, width: 2}
"""
CAMERAS = """\
kind: playlist
title: Putaran kamera
items:
  - {screen: uji-c, seconds: 120}
  - {screen: uji-a, seconds: 120}
"""


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layouts")
    for name, text in (("uji-a", SCREEN_A), ("uji-b", SCREEN_B), ("uji-c", SCREEN_C), ("putaran-cepat", FAST),
                       ("putaran-lambat", SLOW), ("putaran-kamera", CAMERAS)):
        (folder / f"{name}.yaml").write_text(text)
    return folder


@pytest.fixture(scope="module")
def app_url(config, layouts, redis_server):
    with serve(create_app(with_layouts(config, layouts), redis_server.url)) as base:
        yield base


def open_wall(browser, url, width=1920, height=1080):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_function("() => document.getElementById('wall')?.dataset.tick")
    return page


def wall_attr(page, name):
    return page.get_attribute("#wall", f"data-{name}")


def test_a_playlist_rotates_on_the_server_clock_and_every_wall_agrees(browser, app_url, config, r):
    write_wall(r, config, utc_now())
    page = open_wall(browser, app_url + "/wall/putaran-cepat")
    other = open_wall(browser, app_url + "/wall/putaran-cepat")
    try:
        page.evaluate("() => { window.__sameDocument = true; }")
        page.evaluate(SWITCH_PROBE)
        page.wait_for_function("() => window.__switches.filter(s => s.drawn).length >= 2", timeout=15_000)
        # Both screens have been drawn once (a map draws when its section first shows): from here on
        # the page must not grow.
        page.evaluate("() => { window.__nodes = document.getElementsByTagName('*').length; }")
        page.wait_for_function("() => window.__switches.filter(s => s.drawn).length >= 4", timeout=15_000)
        switches = page.evaluate("window.__switches")
        screens = [s["screen"] for s in switches]
        assert all(a != b for a, b in zip(screens, screens[1:])) and set(screens) == {"uji-a", "uji-b"}
        for s in switches[:4]:
            # On the server's schedule, and fully drawn well within a second of it.
            assert abs(s["marked"] - s["due"]) < 700, s
            assert s["drawn"] - s["due"] < 1000, s
        for a, b in zip(switches, switches[1:4]):
            assert 2500 < b["marked"] - a["marked"] < 3500
        # The indicator says where the rotation is, and the section on show is that screen.
        current = wall_attr(page, "screen")
        assert visible_screen(page) == current
        number, label = ("1/2", "Harga") if current == "uji-a" else ("2/2", "Pengaduan")
        assert page.inner_text("#wall-playlist-pos") == number and page.inner_text("#wall-playlist-label") == label
        title = "Harga Pangan Uji" if current == "uji-a" else "Pengaduan Uji"
        assert page.inner_text("#wall-title") == title
        # A second wall on the same playlist shows the same item, started at the same moment.
        other.wait_for_function("(start) => document.getElementById('wall').dataset.itemStart === start",
                                arg=wall_attr(page, "item-start"), timeout=2000)
        # Switching is in place: the same document, no tree rebuilt, no growth.
        assert page.evaluate("() => window.__sameDocument === true")
        assert page.evaluate("() => document.getElementsByTagName('*').length") <= page.evaluate("window.__nodes") + 5
        bar = page.evaluate("() => parseFloat(document.getElementById('wall-playlist-bar').style.width)")
        assert 0 <= bar <= 100
    finally:
        page.close()
        other.close()


def test_the_remote_pauses_and_moves_an_open_wall(browser, app_url, config, r):
    write_wall(r, config, utc_now())
    wall = open_wall(browser, app_url + "/wall/putaran-lambat")
    remote = browser.new_page(viewport={"width": 800, "height": 1000})
    try:
        wall.evaluate("() => { window.__sameDocument = true; }")
        remote.goto(app_url + "/remote")
        card = remote.locator('.remote-card[data-playlist="putaran-lambat"]')
        card.wait_for()
        start = int(wall_attr(wall, "index"))
        assert f"Sekarang: {start + 1}/3" in card.locator(".remote-now").inner_text()

        def follows(condition: str, arg=None, timeout=1500):
            t0 = time.monotonic()
            wall.wait_for_function(condition, arg=arg, timeout=timeout)
            return time.monotonic() - t0

        card.locator(".remote-do-next").click()
        follows("(i) => document.getElementById('wall').dataset.index === String(i)", (start + 1) % 3)
        card.locator(".remote-do-pause").click()
        follows("() => document.getElementById('wall').dataset.paused === 'true'")
        assert wall.locator(".playlist-paused").is_visible() and wall.inner_text(".playlist-paused") == "DIJEDA"
        assert card.locator(".remote-state").inner_text() == "DIJEDA"
        card.locator('.remote-item[data-index="1"]').click()  # jump while paused: it stays paused there
        follows("() => document.getElementById('wall').dataset.index === '1'")
        assert visible_screen(wall) == "uji-b" and wall_attr(wall, "paused") == "true"
        remote.wait_for_function("() => document.querySelector('.remote-card[data-playlist=\"putaran-lambat\"] "
                                 ".remote-item.is-current').dataset.index === '1'")
        assert "Sekarang: 2/3 Pengaduan" in card.locator(".remote-now").inner_text()
        assert card.locator(".remote-do-pause").is_disabled() and card.locator(".remote-do-resume").is_enabled()
        card.locator(".remote-do-resume").click()
        follows("() => document.getElementById('wall').dataset.paused === 'false'")
        assert wall_attr(wall, "index") == "1"
        card.locator(".remote-do-previous").click()
        follows("() => document.getElementById('wall').dataset.index === '0'")
        assert visible_screen(wall) == "uji-a"
        assert wall.evaluate("() => window.__sameDocument === true")
        # Every press is in the audit trail, with who pressed it.
        entries = [fields for _, fields in r.xrange(AUDIT) if fields.get("action") == "screen_control"]
        assert [e["detail"] for e in entries] == ["next", "pause", "jump 2: uji-b", "resume", "previous"]
        assert all(e["target"] == "playlist:putaran-lambat" for e in entries)
        remote.screenshot(path=str(RESULTS / "remote.png"), full_page=True)
    finally:
        wall.close()
        remote.close()


def test_kiosk_mode_hides_cursor_scrollbars_and_menu(browser, app_url, config, r):
    write_wall(r, config, utc_now())
    page = open_wall(browser, app_url + "/wall/putaran-lambat?kiosk=1")
    try:
        assert "is-kiosk" in page.get_attribute("#wall", "class").split()
        assert page.evaluate("() => getComputedStyle(document.querySelector('.tile')).cursor") == "none"
        assert page.evaluate("() => getComputedStyle(document.documentElement).overflow") == "hidden"
        prevented = page.evaluate("""() => { const e = new MouseEvent('contextmenu', {bubbles: true, cancelable: true});
                                            document.querySelector('.tile').dispatchEvent(e);
                                            return e.defaultPrevented; }""")
        assert prevented
        assert page.evaluate("""() => document.documentElement.scrollHeight <= innerHeight
                                    && document.documentElement.scrollWidth <= innerWidth""")
        page.screenshot(path=str(RESULTS / "playlist-kiosk-1920x1080.png"))
    finally:
        page.close()
    plain = open_wall(browser, app_url + "/wall/putaran-lambat")
    try:
        assert "is-kiosk" not in plain.get_attribute("#wall", "class").split()
        assert plain.evaluate("() => getComputedStyle(document.querySelector('.tile')).cursor") != "none"
    finally:
        plain.close()


def test_english_playlist_words(browser, app_url, config, r):
    write_wall(r, config, utc_now())
    page = open_wall(browser, app_url + "/wall/putaran-lambat?lang=en")
    try:
        page.wait_for_function("() => document.getElementById('wall-playlist-pos').textContent !== ''")
        assert page.inner_text("#wall-playlist-pos").endswith("/3")
        assert page.locator(".playlist-paused").inner_text() == "PAUSED"
        page.goto(app_url + "/remote?lang=en")
        page.wait_for_selector(".remote-card")
        assert page.inner_text(".remote-heading") == "Screen remote control"
        assert page.locator(".remote-card").first.locator(".remote-do-resume").inner_text().endswith("Resume")
    finally:
        page.close()


def test_the_list_of_screens_offers_the_playlists_and_the_remote(browser, app_url):
    page = browser.new_page()
    try:
        page.goto(app_url + "/")
        page.wait_for_selector("#home .home-playlists a")
        links = {a.get_attribute("href") for a in page.locator("#home .home-playlists a").all()}
        assert links == {"/wall/putaran-cepat", "/wall/putaran-lambat", "/wall/putaran-kamera", "/remote"}
        assert "Putaran lambat" in page.inner_text("#home .home-playlists")
    finally:
        page.close()


def test_camera_players_run_only_while_their_screen_is_on_show(browser, app_url, config, r):
    """A wall PC decodes no video for screens it is not showing."""
    write_wall(r, config, utc_now())
    # The grid's first page of cameras (2 of the 4 configured).
    players = ("() => [...document.querySelectorAll('[data-tile=\"uji-c--kamera\"] .cam-page[data-page=\"0\"] video')]"
               ".map(v => v.dataset.player)")
    page = open_wall(browser, app_url + "/wall/putaran-kamera")
    remote = browser.new_page()
    try:
        remote.goto(app_url + "/remote")
        card = remote.locator('.remote-card[data-playlist="putaran-kamera"]')
        card.locator('.remote-item[data-index="0"]').click()
        page.wait_for_function("() => document.getElementById('wall').dataset.screen === 'uji-c'", timeout=2000)
        page.wait_for_function(f"() => ({players})().length === 2 && ({players})().every(p => p !== 'idle')")
        card.locator('.remote-item[data-index="1"]').click()
        page.wait_for_function("() => document.getElementById('wall').dataset.screen === 'uji-a'", timeout=2000)
        page.wait_for_function(f"() => ({players})().every(p => p === 'idle')", timeout=3000)
        assert page.evaluate(players) == ["idle", "idle"]  # both players of the hidden grid stopped
    finally:
        page.close()
        remote.close()
