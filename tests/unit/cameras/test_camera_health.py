"""Camera health states from what the pull and the picture checks report."""

from __future__ import annotations

from ingest.cameras.health import CameraHealth


def test_live_then_stalled_then_offline_then_live_again():
    h = CameraHealth("cam1", stall_after=2.0, since=0)
    assert h.state == "connecting"
    for i in range(30):
        h.packet(5000, now=100 + i / 15)
    assert h.state == "live" and 14 <= h.fps <= 16 and h.kbps > 0
    assert not h.tick(now=103.5)            # within stall_after of the last frame
    assert h.tick(now=104.1) and h.state == "stalled" and h.reason == "no frames"
    assert h.failed("read failed", now=106) and h.state == "offline"
    assert not h.tick(now=107) and h.state == "offline"
    assert h.connecting(now=108) and h.state == "connecting"
    assert h.packet(5000, now=108.5) and h.state == "live"


def test_a_frozen_or_black_picture_is_stalled_even_while_packets_flow():
    h = CameraHealth("cam1", stall_after=2.0)
    h.packet(1000, now=10)
    assert h.picture(frozen=True, black=False, now=10.1) and (h.state, h.reason) == ("stalled", "frozen picture")
    assert h.picture(frozen=False, black=True, now=11) and h.reason == "black picture"
    assert h.picture(frozen=False, black=False, now=11.2) is False or h.state == "live"
    h.packet(1000, now=11.3)
    assert h.state == "live"


def test_status_fields_never_hold_an_address():
    fields = CameraHealth("cam1", stall_after=2.0).as_fields()
    assert set(fields) == {"state", "reason", "since", "last_frame", "fps", "kbps", "frozen", "black", "damaged"}


def test_a_broken_picture_is_damaged_until_a_whole_one_comes():
    h = CameraHealth("cam1", stall_after=2.0)
    h.packet(1000, now=10)
    reason = "solid green over 48 % of the picture (slices missing)"
    assert h.picture(frozen=False, black=False, now=10.5, damage=reason) and (h.state, h.reason) == ("damaged", reason)
    assert h.as_fields()["damaged"] == "1"
    h.packet(1000, now=10.6)
    assert h.state == "damaged", "packets flowing do not hide a broken picture"
    assert h.picture(frozen=False, black=False, now=11.5) and h.state == "live"


def test_a_codec_not_relayed_is_unsupported_and_stays_so_while_retried():
    h = CameraHealth("cam1", stall_after=2.0)
    assert h.failed("video is hevc, the gateway relays H.264 only", now=5, state="unsupported")
    assert (h.state, h.reason) == ("unsupported", "video is hevc, the gateway relays H.264 only")
    assert not h.connecting(now=6) and not h.tick(now=9) and h.state == "unsupported"
    assert h.packet(1000, now=10) and h.state == "live"  # the camera was switched to H.264


def test_the_picture_judge_sees_missing_slices_not_the_scene():
    import numpy as np

    from ingest.cameras.snapshot import damage_of

    scene = np.random.default_rng(1).integers(0, 256, (360, 640, 3), dtype=np.uint8)
    assert damage_of(scene) == ""
    green_scene = scene.copy()
    green_scene[:, :, :] = (40, 200, 40)  # a green field or a green wall, lit: not the decoder's fill
    assert damage_of(green_scene) == ""
    broken = scene.copy()
    broken[:170] = (0, 76, 0)  # the top slices never came: FFmpeg's and Chromium's empty green
    assert damage_of(broken).startswith("solid green over 47 %")
    speckled = scene.copy()
    speckled[::9, ::9] = (0, 76, 0)  # scattered pixels of that colour are not a region
    assert damage_of(speckled) == ""
