"""Headless Chromium on the dashboard's 4-camera wall (/wall/cctv-wall): every camera plays through the
dashboard's own origin; a dead or frozen camera shows OFFLINE/STALLED at once and recovers by itself."""

from __future__ import annotations

import base64
import time

import cv2
import numpy as np
import pytest

from core.cameras import CameraConfig, CameraGroup
from core.config import load_config
from core.redis import free_port
from core.streams import AUDIT
from dashboard.app import create_app
from tests.support.app import serve, with_test_users, write_test_users
from tests.support.camera_integrity import CLOCK_REGION, NAME_REGION, SourceClip
from tests.support.camera_wall import (
    CELLS_JS,
    MAP_JS,
    dashboard_config,
)
from tests.support.cameras import CAMERA_PASSWORD, NAMES, ROOT

IDS = ["cam1", "cam2", "cam3", "cam4"]
OFFLINE_RED, LIVE_GREEN = "#d9483b", "#2f9e73"


@pytest.fixture
def wall(camera_servers, gateway_factory, redis_url, tmp_path):
    """The dashboard (with its /whep proxy) in front of a gateway relaying the four test cameras."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    gateway = gateway_factory(camera_servers, origin=origin)
    config = with_test_users(dashboard_config(camera_servers, gateway.port, origin),
                             write_test_users(tmp_path / "users.yaml"))
    app = create_app(config, redis_url)
    with serve(app, port) as base:
        yield base, gateway


# Each playing cell's next decoded picture, drawn from its <video> to a canvas at the stream's own size.
GRAB_JS = """async () => {
  const out = {};
  await Promise.all([...document.querySelectorAll('.cam-cell')].map(async (cell) => {
    const video = cell.querySelector('video');
    if (!video.videoWidth) return;
    await new Promise((resolve) => { video.requestVideoFrameCallback(resolve); setTimeout(resolve, 1000); });
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    out[cell.dataset.camera] = canvas.toDataURL('image/png');
  }));
  return out;
}"""


def grabbed_pictures(page) -> dict:
    """Camera id -> the picture its cell's <video> shows now (BGR), as the browser decoded it."""
    pictures = {}
    for camera_id, url in page.evaluate(GRAB_JS).items():
        data = np.frombuffer(base64.b64decode(url.split(",", 1)[1]), np.uint8)
        pictures[camera_id] = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return pictures


def assert_pictures_whole(page, sources: dict, samples: int) -> None:
    """Every sampled picture of every cell is its clip's frame (SSIM >= 0.9), the camera's name and
    the clip's clock as readable as in the source."""
    for _ in range(samples):
        pictures = grabbed_pictures(page)
        assert set(pictures) == set(sources), set(pictures)
        for camera_id, picture in pictures.items():
            whole = sources[camera_id].match(picture)
            name = sources[camera_id].match(picture, NAME_REGION)
            clock = sources[camera_id].match(picture, CLOCK_REGION)
            assert whole.intact and name.intact and clock.intact, (camera_id, whole, name, clock)
        time.sleep(0.3)


def wait_for(page, predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    cells = {}
    while time.monotonic() < deadline:
        cells = page.evaluate(CELLS_JS)
        if set(IDS) <= set(cells) and predicate(cells):
            return cells, time.monotonic()
        time.sleep(0.25)
    raise AssertionError(f"{what}: cells {cells}")


def all_playing(ids):
    return lambda c: all(c[i]["ready"] >= 2 and c[i]["state"] == "live" and c[i]["videoShown"] for i in ids)


def test_four_camera_wall_plays_and_shows_dead_cameras(browser, clips, camera_servers, wall, r):
    base, gateway = wall
    gateway.wait_states({i: {"live"} for i in IDS}, timeout=10)
    page = browser.new_page(viewport={"width": 1280, "height": 760})
    responses = []
    snapshots = []
    page.on("response", lambda resp: (snapshots if "/snapshot/" in resp.url else responses).append(resp))
    page.on("console", lambda msg: print("console:", msg.text))
    hang_ups: dict[str, str] = {}  # each player's DELETE of its session, and how that request ended
    page.on("request", lambda req: req.method == "DELETE" and hang_ups.setdefault(req.url, "pending"))
    page.on("requestfinished", lambda req: req.method == "DELETE" and hang_ups.update({req.url: "finished"}))
    page.on("requestfailed", lambda req: req.method == "DELETE" and hang_ups.update({req.url: req.failure}))
    page.goto(f"{base}/wall/cctv-wall?lang=en")
    first, _ = wait_for(page, all_playing(IDS), 20, "every camera should play")
    # Each viewing session that started is in the audit trail: who watched which camera.
    views = [e for _, e in r.xrange(AUDIT) if e["action"] == "camera_view"]
    assert {e["target"] for e in views} == {f"camera:{c}" for c in IDS}
    assert {e["who"] for e in views} == {"uji-admin"} and all(e["detail"] == "stream sub" for e in views)
    assert sorted(first) == IDS and all(c["badge"] == "" for c in first.values())
    assert all(c["width"] > 250 and c["height"] > 150 for c in first.values()), first  # a 2x2 grid, not slivers
    # What plays is the camera's true picture: every sampled frame of every cell against its source.
    sources = {f"cam{s.index}": SourceClip(clips[f"cam{s.index}/sub"]) for s in camera_servers}
    assert_pictures_whole(page, sources, 4)
    # A camera slower than 2.5 s to play showed its picture meanwhile (a loaded machine): count
    # from here, then wait longer than the 3 s between the snapshot addresses the server pushes.
    fetched_while_connecting = len(snapshots)
    time.sleep(4)
    later = page.evaluate(CELLS_JS)
    assert all(later[i]["decoded"] > first[i]["decoded"] for i in IDS), (first, later)
    # Behind live video there is no picture: none is fetched, so none piles up in a wall's memory.
    assert all(later[i]["snapshot"] is None for i in IDS) and len(snapshots) == fetched_while_connecting, later

    # Kill camera 2's server: its cell turns OFFLINE/STALLED within 5 s; the others keep playing.
    camera_servers[1].kill()
    killed_at = time.monotonic()
    before = page.evaluate(CELLS_JS)
    cells, seen = wait_for(page, lambda c: c["cam2"]["state"] in ("offline", "stalled"), 5, "killed camera shown")
    assert seen - killed_at < 5 and cells["cam2"]["badge"] in ("OFFLINE", "STALLED")
    assert not cells["cam2"]["videoShown"]
    deadline = time.monotonic() + 5  # the map's figure is pushed at most once a second
    while page.evaluate(MAP_JS).get("cam2") != OFFLINE_RED and time.monotonic() < deadline:
        time.sleep(0.2)
    dots = page.evaluate(MAP_JS)
    assert dots["cam2"] == OFFLINE_RED and dots["cam1"] == LIVE_GREEN, dots
    time.sleep(1)
    after = page.evaluate(CELLS_JS)
    assert all(after[i]["decoded"] > before[i]["decoded"] for i in ("cam1", "cam3", "cam4"))
    # While down, the last snapshot stands in, with its age.
    cells, _ = wait_for(page, lambda c: c["cam2"]["age"].startswith("picture ") and c["cam2"]["pictureShown"], 8,
                        "snapshot shown with its age")
    assert cells["cam2"]["snapshot"].startswith("/snapshot/cam2?t=") and cells["cam1"]["snapshot"] is None
    camera_servers[1].start()  # same port, same mounts: the camera is back
    wait_for(page, lambda c: all_playing(IDS)(c) and c["cam2"]["snapshot"] is None, 25,
             "killed camera should recover by itself, its picture gone from under the video")
    assert_pictures_whole(page, sources, 2)  # after the camera's reboot: whole pictures again, for all

    # Freeze camera 3's server (SIGSTOP): connections stay open but nothing comes.
    camera_servers[2].freeze()
    frozen_at = time.monotonic()
    cells, seen = wait_for(page, lambda c: c["cam3"]["state"] in ("offline", "stalled"), 5, "frozen camera shown")
    assert seen - frozen_at < 5 and cells["cam3"]["badge"] in ("OFFLINE", "STALLED")
    camera_servers[2].thaw()
    base_frames = page.evaluate(CELLS_JS)
    wait_for(page, lambda c: all_playing(IDS)(c) and c["cam3"]["decoded"] > base_frames["cam3"]["decoded"] + 10, 25,
             "frozen camera should recover by itself")

    # Clicking a camera on the map shows its snapshot with the picture's age.
    page.evaluate("""() => {
      const plot = document.querySelector('.tile-map[data-cameras="true"] .js-plotly-plot');
      const t = plot.data.find(t => t.name === 'cameras');
      plot.emit('plotly_click', {points: [{data: t, customdata: 'cam3', text: t.text[2]}]});
    }""")
    page.wait_for_function("""() => {
      const img = document.querySelector('.map-camera-peek.is-open img');
      return img && img.complete && img.naturalWidth > 0;
    }""", timeout=5000)
    caption = page.locator(".map-camera-peek .map-camera-caption").inner_text()
    assert caption.startswith(f"{NAMES[2]} — ") and ("ago" in caption or "just now" in caption), caption

    # A click shows the camera full screen (main stream), another brings it back to the grid.
    page.click('.cam-cell[data-camera="cam1"]')
    cells, _ = wait_for(page, lambda c: c["cam1"]["full"] == "true" and c["cam1"]["width"] >= 1270
                        and c["cam1"]["ready"] >= 2 and c["cam1"]["player"] == "live", 15, "full screen")
    page.click('.cam-cell[data-camera="cam1"]')
    wait_for(page, lambda c: c["cam1"]["full"] == "false" and c["cam1"]["width"] < 700 and all_playing(IDS)(c), 15,
             "back in the grid")

    # Every hang-up (a switch of stream, a reconnect) was answered and done with: a request left
    # pending keeps its loader in the tab for good, a few a minute on a wall that runs for weeks.
    deadline = time.monotonic() + 5
    while "pending" in hang_ups.values() and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert hang_ups and set(hang_ups.values()) == {"finished"}, hang_ups

    # No page or response carried a camera address or its credentials.
    bodies = []
    for resp in responses:
        # A WebSocket upgrade (101) or a hang-up has no body; waiting for one could last for ever.
        if resp.status in (101, 204) or resp.request.method == "DELETE" or 300 <= resp.status < 400:
            continue
        try:
            bodies.append(resp.text())
        except Exception:  # noqa: BLE001 - a body the browser already dropped
            pass
    text = "\n".join(bodies) + page.content()
    assert "/whep/cam1" in "".join(r.url for r in responses) and base in responses[0].url
    assert CAMERA_PASSWORD not in text and "rtsp://" not in text
    assert not any(f":{s.port}/" in text for s in camera_servers)
    page.close()


def test_wall_labels_in_bahasa_indonesia_by_default(browser, wall):
    base, gateway = wall
    page = browser.new_page(viewport={"width": 1280, "height": 760})
    page.goto(f"{base}/wall/cctv-wall")
    page.wait_for_selector('.cam-cell[data-camera="cam4"]')
    assert page.locator(".wall-title").inner_text() == "Video Wall CCTV Provinsi Banten"
    names = page.locator(".cam-name").all_inner_texts()
    assert names == NAMES
    badges = page.locator(".cam-badge").all_inner_texts()
    assert set(badges) <= {"", "MENYAMBUNG", "TERPUTUS", "TERHENTI"}
    page.close()


def test_the_wall_names_a_broken_picture_and_an_unsupported_codec(browser, kinds, gateway_factory,
                                                                   redis_url, tmp_path):
    base, _ = kinds
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    cameras = {"rusak": ("Kamera rusak", f"{base}/rusak"), "hevc": ("Kamera H.265", f"{base}/hevc")}
    gateway = gateway_factory([], origin=origin, extra_cameras={
        cid: {"name": name, "kab": "3673", "lat": -6.12, "lon": 106.15, "group": "dishub", "protocol": "rtsp",
              "main": url} for cid, (name, url) in cameras.items()})
    config = load_config(ROOT / "config.yaml")
    video = config.video.model_copy(update={"port": gateway.port, "allowed_origin": origin, "demo_cameras": 0})
    config = config.model_copy(update={
        "video": video, "camera_groups": {"dishub": CameraGroup(roles=["public", "operator", "executive", "admin"])},
        "cameras": {cid: CameraConfig(name=name, kab="3673", lat=-6.12, lon=106.15, group="dishub", main=url)
                    for cid, (name, url) in cameras.items()}})
    config = with_test_users(config, write_test_users(tmp_path / "users.yaml"))
    with serve(create_app(config, redis_url), port) as dashboard:
        page = browser.new_page(viewport={"width": 1280, "height": 760})
        page.goto(f"{dashboard}/wall/cctv-wall")
        deadline = time.monotonic() + 15
        cells, dots = {}, {}
        while time.monotonic() < deadline:
            cells, dots = page.evaluate(CELLS_JS), page.evaluate(MAP_JS)
            if (cells.get("rusak", {}).get("badge") == "GAMBAR RUSAK"
                    and cells.get("hevc", {}).get("badge") == "CODEC TIDAK DIDUKUNG"
                    and dots.get("rusak") == "#c026d3" and dots.get("hevc") == "#7c3aed"):
                break
            time.sleep(0.25)
        assert cells["rusak"]["badge"] == "GAMBAR RUSAK" and not cells["rusak"]["videoShown"], cells
        assert cells["hevc"]["badge"] == "CODEC TIDAK DIDUKUNG" and not cells["hevc"]["videoShown"], cells
        assert dots == {"rusak": "#c026d3", "hevc": "#7c3aed"}, dots
        page.close()
