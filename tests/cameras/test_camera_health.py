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
    assert set(fields) == {"state", "reason", "since", "last_frame", "fps", "kbps", "frozen", "black"}
