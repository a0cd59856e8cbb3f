"""The camera wall in a WebRTC-ready Chromium: what its cells and map dots show, and a dashboard config
pointed at real cameras and the gateway under test (camera wall tests)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.cameras import CameraConfig, CameraGroup
from core.config import load_config
from tests.support.app import SignedInBrowser
from tests.support.cameras import NAMES, ROOT

CHROMIUM = "/usr/bin/chromium"


ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required",
        # Chrome hides host candidates behind mDNS names that aiortc cannot resolve; wall PCs
        # need the same flag (or the WebRtcLocalIpsAllowedUrls policy for the dashboard origin).
        "--disable-features=WebRtcHideLocalIpsWithMdns"]


# The map's camera dots: their colours by camera id, as drawn.
MAP_JS = """() => {
  const plot = document.querySelector('.tile-map[data-cameras="true"] .js-plotly-plot');
  const trace = plot && plot.data && plot.data.find(t => t.name === 'cameras');
  if (!trace) return {};
  const out = {};
  trace.customdata.forEach((id, i) => { out[id] = trace.marker.color[i]; });
  return out;
}"""


# What a person sees on each camera cell, and the decoded-frame count from the player's getStats().
CELLS_JS = """async () => {
  const out = {};
  for (const cell of document.querySelectorAll('.cam-cell')) {
    const video = cell.querySelector('video');
    const pc = cell.cctvPlayer && cell.cctvPlayer.pc;
    let decoded = 0;
    // A closing peer connection's getStats() may never settle: a test must not hang on it.
    const stats = pc ? await Promise.race([pc.getStats(), new Promise(r => setTimeout(() => r(null), 1000))]) : null;
    if (stats) stats.forEach(s => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') decoded = s.framesDecoded || 0;
    });
    out[cell.dataset.camera] = {ready: video.readyState, decoded, state: cell.dataset.state,
      player: video.dataset.player, badge: cell.querySelector('.cam-badge').textContent,
      age: cell.querySelector('.cam-age').textContent, videoShown: getComputedStyle(video).visibility === 'visible',
      snapshot: cell.querySelector('.cam-snapshot').getAttribute('src'),
      pictureShown: cell.querySelector('.cam-snapshot').naturalWidth > 0
        && getComputedStyle(cell.querySelector('.cam-snapshot')).visibility === 'visible',
      full: cell.dataset.full, width: cell.getBoundingClientRect().width,
      height: cell.getBoundingClientRect().height};
  }
  return out;
}"""


@pytest.fixture(scope="module")  # not session: a live sync Playwright blocks later asyncio tests
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}; `python3 run.py test` installs it")
        pytest.skip("Debian chromium missing (run.py test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield SignedInBrowser(b)  # pages signed in as admin (tests/support/app.py)
        b.close()


def dashboard_config(servers, gateway_port: int, origin: str):
    """The shipped config with the test cameras and the test gateway in place of the demo ones."""
    config = load_config(ROOT / "config.yaml")
    cameras = {f"cam{s.index}": CameraConfig(name=NAMES[s.index - 1], kab="3673", lat=-6.12, lon=106.15,
                                             group="dishub", main=s.url("main"), sub=s.url("sub"))
               for s in servers}
    video = config.video.model_copy(update={"port": gateway_port, "allowed_origin": origin, "demo_cameras": 0})
    return config.model_copy(update={"cameras": cameras, "video": video,
                                     "camera_groups": {"dishub": CameraGroup(roles=["public", "operator", "executive",
                                                                                    "admin"])}})
