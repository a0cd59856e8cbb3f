"""Real cameras that differ, each from a real GStreamer RTSP server, all on one gateway: a camera whose
packetiser splits keyframes shows "gambar rusak" within 5 s, an H.265 camera "codec tidak didukung",
each with its reason in /healthz; the well-behaved camera beside them keeps its whole picture and the
gateway keeps running."""

from __future__ import annotations

import asyncio
import time

import pytest

from ingest.cameras.demo_cameras import ClipSpec, clip_file, encode_clip, start_rtsp_server, wait_listening
from tests.cameras.conftest import ROOT, free_port
from tests.cameras.integrity import SourceClip, whep_frames


@pytest.fixture(scope="module")
def kinds(clips):
    """One server: a good 4-slice camera, the same clip through a keyframe-splitting packetiser, and H.265."""
    h265 = ClipSpec("Kamera H.265", 640, 360, "ball", 4, codec="h265")
    h265_clip = encode_clip(h265, clip_file(ROOT / "var" / "cameras" / "test-clips", "h265", h265))
    port = free_port()
    server = start_rtsp_server({"baik": clips["cam1/sub"], "rusak": f"split-slices:{clips['cam2/sub']}",
                                "hevc": h265_clip}, port)
    wait_listening(server)
    yield f"rtsp://127.0.0.1:{port}", clips
    server.terminate()
    server.wait(5)


def camera(url: str, name: str) -> dict:
    return {"name": name, "kab": "3673", "lat": -6.12, "lon": 106.15, "group": "dishub", "protocol": "rtsp",
            "main": url}


async def test_each_kind_of_camera_plays_or_says_why(kinds, gateway_factory, r):
    base, clips = kinds
    gateway = gateway_factory([], extra_cameras={"baik": camera(f"{base}/baik", "Kamera baik"),
                                                 "rusak": camera(f"{base}/rusak", "Kamera rusak"),
                                                 "hevc": camera(f"{base}/hevc", "Kamera H.265")})
    # Frames flowing from the broken camera: its picture is judged broken within 5 s.
    await asyncio.to_thread(gateway.wait_states, {"baik": {"live"}, "rusak": {"live", "damaged"}}, 15)
    started = time.monotonic()
    await asyncio.to_thread(gateway.wait_states, {"rusak": {"damaged"}}, 5)
    assert time.monotonic() - started < 5
    await asyncio.to_thread(gateway.wait_states, {"hevc": {"unsupported"}}, 10)

    problems = gateway.get("/healthz")["problems"]
    assert problems["rusak"]["state"] == "damaged" and "solid green" in problems["rusak"]["reason"]
    assert problems["hevc"] == {"state": "unsupported", "reason": "video is hevc, the gateway relays H.264 only"}
    assert "baik" not in problems
    assert r.hget("cc:camera:status:rusak", "state") == "damaged"
    assert r.hget("cc:camera:status:hevc", "state") == "unsupported"

    # The good camera beside them: every sampled picture whole.
    source = SourceClip(clips["cam1/sub"])
    matches = [source.match(p) for p in await whep_frames(gateway.base, "baik", "main", 8)]
    assert all(m.intact for m in matches), matches
    await asyncio.sleep(1.5)  # the H.265 camera has been retried meanwhile: still the same, gateway alive
    assert gateway.process.poll() is None
    assert gateway.states() == {"baik": "live", "rusak": "damaged", "hevc": "unsupported"}
