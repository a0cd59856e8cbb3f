"""Camera groups per role: WHEP and snapshots refused to roles their group does not name (audited),
and the camera wall's grid shows a viewer only the cameras they may see.

Here the Polda group is for operators and admins only, so the executive, who may open walls, must
not get its cameras. (The real video path, with camera views audited, is tests/system/cameras/test_wall_browser.py.)
"""

from __future__ import annotations

import re

import pytest

from core.cameras import CameraGroup
from core.streams import camera_snapshot, camera_snapshot_time
from dashboard.app import create_app
from tests.support.access import audit_entries, callback_payload, fetch, post_callback
from tests.support.app import TEST_USERS, issued_session, serve

DISHUB = ["simpang-ciceri", "bundaran-cikokol"]
POLDA = ["pelabuhan-merak", "gerbang-tol-serang-timur"]
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 64 + b"\xff\xd9"


@pytest.fixture(scope="module")
def served(config, redis_server):
    groups = {"dishub": CameraGroup(roles=["public", "operator", "analyst", "executive", "admin"]),
              "polda-banten": CameraGroup(title="Polda Banten", roles=["operator", "admin"])}
    app = create_app(config.model_copy(update={"camera_groups": groups}), redis_server.url)
    with serve(app) as base:
        yield app, base


@pytest.fixture
def sessions(redis_url):
    return {"public": None, **{role: issued_session(redis_url, role) for role in TEST_USERS}}


def test_snapshots_and_whep_follow_the_camera_groups(served, sessions, r):
    _, base = served
    for camera in DISHUB + POLDA:
        r.set(camera_snapshot(camera), JPEG)
        r.set(camera_snapshot_time(camera), "2026-11-28T03:00:00Z")
    for role, cookie in sessions.items():
        for camera in DISHUB:
            answer = fetch(f"{base}/snapshot/{camera}?t=1", cookie, accept="image/*")
            assert answer.status == 200 and answer.body == JPEG, (role, camera)
        for camera in POLDA:
            answer = fetch(f"{base}/snapshot/{camera}?t=1", cookie, accept="image/*")
            if role in ("operator", "admin"):
                assert answer.status == 200 and answer.body == JPEG, (role, camera)
            else:
                assert answer.status == (401 if role == "public" else 403) and answer.body != JPEG, (role, camera)
    # WHEP: a refused viewer never reaches the gateway; an allowed one does (none runs here: 502).
    offer = b"v=0\r\n"
    sdp = {"Content-Type": "application/sdp"}
    assert fetch(f"{base}/whep/{POLDA[0]}", sessions["analyst"], "POST", offer, sdp).status == 403
    assert fetch(f"{base}/whep/{POLDA[0]}", None, "POST", offer, sdp).status == 401
    assert fetch(f"{base}/whep/{POLDA[0]}/sesi-1", sessions["executive"], "DELETE").status == 403
    assert fetch(f"{base}/whep/{POLDA[0]}", sessions["admin"], "POST", offer, sdp).status == 502
    assert fetch(f"{base}/whep/{DISHUB[0]}", None, "POST", offer, sdp).status == 502  # the public's group
    assert fetch(f"{base}/whep/tidak-ada", sessions["admin"], "POST", offer, sdp).status == 404
    refused = audit_entries(r, "refused")
    targets = {(e["who"], e["target"]) for e in refused}
    assert (TEST_USERS["analyst"], f"camera:{POLDA[0]}") in targets and ("-", f"camera:{POLDA[0]}") in targets
    assert (TEST_USERS["executive"], f"camera:{POLDA[1]}") in targets
    assert not any(e["target"].startswith("camera:") and e["who"] == TEST_USERS["admin"] for e in refused)


def test_the_camera_wall_shows_each_viewer_only_their_cameras(served, sessions):
    app, base = served
    key = next(k for k in app.callback_map if k.startswith("..screen."))
    payload = callback_payload(key, app.callback_map[key], "/wall/cctv-wall")

    def page(role):
        answer = post_callback(base, payload, sessions[role])
        assert answer.status == 200
        return answer.text()

    cells = lambda text: re.findall(r'"data-camera":\s*"([^"]+)"', text)  # noqa: E731
    assert cells(page("admin")) == DISHUB + POLDA
    shown = page("executive")
    assert cells(shown) == DISHUB
    # Nor does any other tile (the camera map) or the page's data name or place them.
    assert not any(word in shown for word in POLDA + ["Pelabuhan Merak", "Gerbang Tol Serang Timur"])
