"""The whole system in headless Chromium: the wall fills from the simulated agencies, a webhook
record reaches its tile within 2 s, and a Redis outage shows and heals without a reload."""

from __future__ import annotations

import time

import pytest

from core.redis import EmbeddedRedis
from tests.support.system import chromium, complaint, running_system, wait_until_filled

METRIC_TILES = ["bansos", "pengaduan", "kamera", "kemiskinan", "tempat-tidur", "tender", "beras"]


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    # Slow demo complaints, so the only complaint arriving during a test is the test's own.
    with running_system(tmp_path_factory.mktemp("system"), demo_speed=0.01) as system:
        yield system


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def wall(system, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{system.dashboard}/wall/command-center")
    yield page
    page.close()


def tile_value(page, tile: str) -> tuple[str, str, str]:
    """What the tile shows: its value text, the number behind it, and data-updated."""
    return page.evaluate("""(tile) => {
        const root = document.querySelector(`[data-tile="${tile}"]`);
        const value = root.querySelector('.tile-value');
        return [value.textContent, value.getAttribute('data-value'), root.getAttribute('data-updated')];
    }""", tile)


def wait_for_count(page, tile: str, expected: float, timeout_ms: int) -> None:
    page.wait_for_function("""([tile, expected]) => {
        const v = document.querySelector(`[data-tile="${tile}"] .tile-value`);
        return v && parseFloat(v.getAttribute('data-value')) === expected;
    }""", arg=[tile, expected], timeout=timeout_ms)


def test_the_wall_fills_from_the_simulated_agencies(wall):
    wait_until_filled(wall, METRIC_TILES)
    for tile in METRIC_TILES:
        text, _, updated = tile_value(wall, tile)
        assert text and text != "—" and updated.endswith("Z"), (tile, text, updated)
    assert tile_value(wall, "beras")[0].startswith("Rp ") and "." in tile_value(wall, "beras")[0]  # Rp 13.3xx
    assert tile_value(wall, "tempat-tidur")[0].endswith("%") and "," in tile_value(wall, "tempat-tidur")[0]
    assert "WIB" in wall.inner_text('[data-tile="jam"]')
    assert wall.evaluate("document.documentElement.scrollHeight <= innerHeight && "
                         "document.documentElement.scrollWidth <= innerWidth")
    # Camera stream addresses (with their credentials) never reach the page.
    assert "rtsp://" not in wall.content()


def test_a_webhook_record_reaches_its_tile_within_two_seconds(system, wall):
    wait_until_filled(wall, ["pengaduan"])
    _, before, updated_before = tile_value(wall, "pengaduan")
    status, body = system.post_webhook("lapor_banten", complaint(f"LPR-E2E-{time.time_ns()}"))
    assert (status, body["accepted"]) == (202, 1)
    wait_for_count(wall, "pengaduan", float(before) + 1, timeout_ms=2000)
    _, _, updated_after = tile_value(wall, "pengaduan")
    assert updated_after > updated_before


def test_a_redis_outage_shows_and_heals_without_a_reload(system, wall):
    wait_until_filled(wall, ["pengaduan"])
    wall.evaluate("window.__sameDocument = true")
    redis = system.redis
    redis.process.kill()  # SIGKILL: no goodbye
    redis.process.wait()
    wall.wait_for_selector('#outage-banner[data-outage="true"]', timeout=10_000)
    assert "terputus" in wall.inner_text("#outage-banner")

    restarted = EmbeddedRedis(redis.data_dir, port=redis.port).start()
    system.redis = restarted
    wall.wait_for_selector('#outage-banner[data-outage="false"]', state="attached", timeout=20_000)
    _, before, _ = tile_value(wall, "pengaduan")
    deadline = time.monotonic() + 20
    while True:  # ingest reconnects on its own; until then the webhook answers 503
        status, _ = system.post_webhook("lapor_banten", complaint(f"LPR-E2E-{time.time_ns()}"))
        if status == 202 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert status == 202
    wait_for_count(wall, "pengaduan", float(before) + 1, timeout_ms=10_000)
    assert wall.evaluate("window.__sameDocument === true"), "the wall reloaded instead of recovering"
