"""The whole system in headless Chromium with a playlist wall: it rotates through screens filled by
the simulated agencies, a remote command reaches it, a webhook record reaches the tile on show, and
after the whole system restarts the wall comes back by itself at the place the remote left it."""

from __future__ import annotations

import shutil
import time

import pytest

from core.config import load_config
from core.redis import connect
from dashboard.walls.layout import load_library
from dashboard.walls.playlist import apply
from tests.support.system import ROOT, chromium, complaint, running_system

SCREENS = ("command-center", "harga-pangan", "pengaduan")
PLAYLIST = "putaran-e2e"


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layouts")
    for name in SCREENS:
        shutil.copy(ROOT / "layouts" / f"{name}.yaml", folder / f"{name}.yaml")
    items = "\n".join(f"  - {{screen: {s}, seconds: 4}}" for s in SCREENS)
    (folder / f"{PLAYLIST}.yaml").write_text(f"kind: playlist\ntitle: Putaran e2e\nitems:\n{items}\n")
    return folder


@pytest.fixture(scope="module")
def system(tmp_path_factory, layouts):
    # Slow demo complaints, so the only complaint arriving during a test is the test's own.
    with running_system(tmp_path_factory.mktemp("system"), demo_speed=0.01, layouts_dir=layouts) as system:
        yield system


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def value(page, tile: str) -> str | None:
    return page.evaluate("(t) => document.querySelector(`[data-tile=\"${t}\"] .tile-value`)"
                         "?.getAttribute('data-value')",
                         tile)


def test_a_playlist_wall_rotates_follows_the_remote_and_survives_a_restart(system, browser, layouts):
    config = load_config(system.config_path)
    rotation = load_library(config).playlists[PLAYLIST]
    wall = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        wall.goto(f"{system.dashboard}/wall/{PLAYLIST}?kiosk=1")
        wall.wait_for_function("() => document.getElementById('wall')?.dataset.tick")
        # Every screen rotates in, filled from the simulated agencies.
        seen = set()
        deadline = time.monotonic() + 20
        while seen != set(SCREENS) and time.monotonic() < deadline:
            seen.add(wall.get_attribute("#wall", "data-screen"))
            time.sleep(0.3)
        assert seen == set(SCREENS)
        wall.wait_for_function("() => document.querySelector('[data-tile=\"command-center--beras\"] .tile-value')"
                               "?.getAttribute('data-value')", timeout=60_000)

        # The remote (here its Redis write, as /remote does) parks the wall on the complaints screen.
        redis = connect(system.redis.url, decode_responses=True)
        apply(redis, rotation, "jump", 2, who="e2e")
        apply(redis, rotation, "pause", who="e2e")
        wall.wait_for_function("() => document.getElementById('wall').dataset.screen === 'pengaduan' "
                               "&& document.getElementById('wall').dataset.paused === 'true'", timeout=2000)
        wall.wait_for_function("() => document.querySelector('[data-tile=\"pengaduan--pengaduan\"] .tile-value')"
                               "?.getAttribute('data-value')", timeout=60_000)
        before = float(value(wall, "pengaduan--pengaduan"))
        status, body = system.post_webhook("lapor_banten", complaint(f"LPR-E2E-PL-{time.time_ns()}"))
        assert (status, body["accepted"]) == (202, 1)
        wall.wait_for_function("(n) => parseFloat(document.querySelector('[data-tile=\"pengaduan--pengaduan\"] "
                               ".tile-value').getAttribute('data-value')) === n", arg=before + 1, timeout=2000)

        # The whole system restarts: nobody touches the wall, and it is back, still paused there.
        system.stop()
        wall.wait_for_function("() => document.getElementById('live-indicator')?.classList.contains('is-lost')",
                               timeout=10_000)
        system.start()
        wall.wait_for_function("() => { const w = document.getElementById('wall');"
                               " return w && w.getAttribute('data-silent-s') === '0'"
                               " && w.dataset.screen === 'pengaduan'"
                               " && !document.getElementById('live-indicator').classList.contains('is-lost'); }",
                               timeout=60_000)
        assert wall.get_attribute("#wall", "data-paused") == "true"
        assert "is-kiosk" in wall.get_attribute("#wall", "class").split()
    finally:
        wall.close()
