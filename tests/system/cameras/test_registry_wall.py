"""The dashboard shows the e-CCTV listing's cameras: a cell on the camera wall that plays, a dot on the map,
and INACTIVE when the listing flags the camera so. The page never holds a stream address."""

from __future__ import annotations

import time

from core.cameras import CameraGroup
from core.redis import free_port
from dashboard.app import create_app
from tests.support.app import serve, signed_in, with_test_users, write_test_users
from tests.support.camera_listing import LISTED, listed_item, listing_config
from tests.support.camera_wall import (
    CELLS_JS,
    MAP_JS,
    dashboard_config,
)
from tests.support.cameras import CAMERA_PASSWORD, CAMERA_USER

INACTIVE_GREY = "#4b5563"


def wait_cells(page, predicate, timeout: float, what: str) -> dict:
    deadline = time.monotonic() + timeout
    cells = {}
    while time.monotonic() < deadline:
        cells = page.evaluate(CELLS_JS)
        if predicate(cells):
            return cells
        time.sleep(0.25)
    raise AssertionError(f"{what}: cells {cells}")


def test_the_wall_plays_a_listed_camera_and_shows_it_inactive(browser, two_cameras, listing,
                                                              gateway_factory, redis_url, tmp_path):
    config_camera, listed_camera = two_cameras
    listing.items = [listed_item(listed_camera)]
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    gateway = gateway_factory([config_camera], origin=origin, extra_config=listing_config(listing))
    gateway.wait_states({"cam1": {"live"}, LISTED: {"live"}}, timeout=15)
    # The dashboard's own config knows only cam1: the listed camera comes from the registry in Redis.
    config = with_test_users(dashboard_config([config_camera], gateway.port, origin),
                             write_test_users(tmp_path / "users.yaml"))
    # Signed in as admin, whom the camera group must name (camera_groups[group].roles).
    config = config.model_copy(update={"camera_groups": {"dishub": CameraGroup(roles=["operator", "admin"])}})
    app = create_app(config, redis_url)
    with serve(app, port) as base:
        context = signed_in(browser.new_context(viewport={"width": 1280, "height": 760}), base, "admin")
        page = context.new_page()
        bodies = []
        page.on("response", lambda resp: bodies.append(resp) if "/snapshot/" not in resp.url else None)
        page.goto(f"{base}/wall/cctv-wall")
        cells = wait_cells(page, lambda c: LISTED in c and c[LISTED]["ready"] >= 2 and c[LISTED]["state"] == "live",
                           25, "the listed camera should play in the grid")
        assert list(cells) == ["cam1", LISTED]  # config's first, then the listing's
        caption = page.locator(f'.cam-cell[data-camera="{LISTED}"] .cam-name').inner_text()
        assert caption == "Terminal Pakupatan"
        first = cells[LISTED]["decoded"]
        time.sleep(1.5)
        assert page.evaluate(CELLS_JS)[LISTED]["decoded"] > first
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and page.evaluate(MAP_JS).get(LISTED) in (None, "#7c8aa5"):
            time.sleep(0.25)
        assert page.evaluate(MAP_JS).get(LISTED) == "#2f9e73"  # on the map, green: live

        # The listing flags it inactive: the cell says so, the map dot turns grey.
        listing.items = [listed_item(listed_camera, active=False)]
        cells = wait_cells(page, lambda c: c[LISTED]["state"] == "inactive", 10, "inactive")
        assert cells[LISTED]["badge"] == "NONAKTIF"
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and page.evaluate(MAP_JS).get(LISTED) != INACTIVE_GREY:
            time.sleep(0.25)
        assert page.evaluate(MAP_JS).get(LISTED) == INACTIVE_GREY
        assert cells["cam1"]["state"] == "live"

        texts = [page.content()]
        for response in bodies:
            try:
                texts.append(response.text())
            except Exception:  # noqa: BLE001 - bodies of streamed or closed responses
                pass
        assert len(texts) > 5
        for text in texts:
            assert CAMERA_PASSWORD not in text and f"{CAMERA_USER}:{CAMERA_PASSWORD}" not in text
            assert f"127.0.0.1:{listed_camera.port}" not in text
        context.close()
