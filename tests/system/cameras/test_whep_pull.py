"""A camera published over WHEP (here: another gateway) is pulled and relayed without decoding."""

from __future__ import annotations

import asyncio

from ingest.cameras.h264 import nal_types
from ingest.cameras.whep import EncodedFrameTap, _endpoint
from tests.support.camera_integrity import SourceClip, whep_frames
from tests.support.cameras import CAMERA_PASSWORD, GATEWAY_TOKEN
from tests.support.whep import whep_viewer


def test_endpoint_takes_credentials_out_of_the_url():
    url, headers = _endpoint("https://cams.example.id:8443/whep/gerbang?token=abc&stream=sub")
    assert url == "https://cams.example.id:8443/whep/gerbang?stream=sub" and headers == {"Authorization": "Bearer abc"}
    url, headers = _endpoint("https://op:s3cret@cams.example.id/whep/gerbang")
    assert url == "https://cams.example.id/whep/gerbang" and headers == {"Authorization": "Basic b3A6czNjcmV0"}


def test_tap_passes_encoded_frames_and_lets_the_decoder_thread_end():
    got = []
    tap = EncodedFrameTap(lambda data, ts: got.append((data, ts)))

    class Frame:
        data, timestamp = b"\x00\x00\x00\x01\x67\x00\x00\x00\x01\x65", 9000

    tap.put(("h264", Frame()))
    tap.put(None)
    assert got == [(Frame.data, 9000)] and tap.get() is None
    assert nal_types(Frame.data) == {7, 5}


async def test_gateway_relays_a_whep_camera_from_another_gateway(clips, camera_servers, gateway_factory, r):
    upstream = gateway_factory(camera_servers[:1])
    upstream.wait_states({"cam1": {"live"}}, timeout=10)
    relay = gateway_factory([], extra_cameras={"lewat-whep": {
        "name": "Simpang Ciceri (WHEP)", "kab": "3673", "lat": -6.12, "lon": 106.15, "group": "dishub",
        "protocol": "whep", "main": f"{upstream.base}/whep/cam1?stream=main&token={GATEWAY_TOKEN}",
        "sub": f"{upstream.base}/whep/cam1?stream=sub&token={GATEWAY_TOKEN}"}})
    await asyncio.to_thread(relay.wait_states, {"lewat-whep": {"live"}}, 15)

    pc, _, frames, answer = await whep_viewer(relay.base, "lewat-whep", "main")
    await asyncio.sleep(4.5)
    await pc.close()
    assert frames and {w for _, w in frames} == {1280}, "the 720p main stream arrives through two gateways"
    # From the first picture on (nothing before a keyframe is relayed), at about the camera's 15 fps.
    assert len([t for t, _ in frames if t - frames[0][0] <= 2.0]) > 20
    assert "H264" in answer and CAMERA_PASSWORD not in answer and upstream.base not in answer
    # Each picture through both gateways is the camera's own (its slices all there, in order).
    source = SourceClip(clips["cam1"])
    matches = [source.match(p) for p in await whep_frames(relay.base, "lewat-whep", "main", 8)]
    assert all(m.intact for m in matches), matches
    status = r.hgetall("cc:camera:status:lewat-whep")
    assert status["state"] == "live" and float(status["fps"]) > 5

    # The upstream going away turns the WHEP camera offline or stalled, never a crash.
    upstream.close()
    await asyncio.to_thread(relay.wait_states, {"lewat-whep": {"offline", "stalled"}}, 10)
