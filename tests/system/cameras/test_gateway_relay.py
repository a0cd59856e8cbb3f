"""The gateway relays real RTSP cameras over WHEP, and never tells anyone where a camera is."""

from __future__ import annotations

import asyncio
import time

import aiohttp
from aiortc import RTCPeerConnection

from tests.support.cameras import CAMERA_PASSWORD, CAMERA_USER, GATEWAY_AUTH
from tests.support.whep import whep_viewer


async def test_viewers_get_main_and_sub_streams_without_seeing_any_address(camera_servers, gateway_factory, r):
    gateway = gateway_factory(camera_servers[:2])
    gateway.wait_states({"cam1": {"live"}, "cam2": {"live"}}, timeout=10)
    t0 = time.monotonic()
    main_pc, location, main_frames, answer = await whep_viewer(gateway.base, "cam1", "main")
    sub_pc, _, sub_frames, _ = await whep_viewer(gateway.base, "cam1", "sub")
    await asyncio.sleep(4.5)
    assert main_frames and {w for _, w in main_frames} == {1280}
    assert sub_frames and {w for _, w in sub_frames} == {640}
    assert main_frames[0][0] - t0 < 2.5, "first frame should come well within a GOP or two"
    # 15 fps from the first picture on (nothing before the camera's first keyframe is relayed).
    assert len([t for t, _ in main_frames if t - main_frames[0][0] <= 2.0]) >= 25
    assert "H264" in answer and "VP8" not in answer

    # Nothing a client can read names a camera's address or credentials.
    async with aiohttp.ClientSession() as session:
        bodies = [answer]
        for path in ("/cameras", "/healthz", "/whep/nope", "/snapshot/nope"):
            async with session.get(gateway.base + path, headers=GATEWAY_AUTH) as response:
                bodies.append(await response.text())
        async with session.post(f"{gateway.base}/whep/nope", data="v=0",
                                headers={**GATEWAY_AUTH, "Content-Type": "application/sdp"}) as resp:
            bodies.append(await resp.text())
            assert resp.status == 404
        async with session.post(f"{gateway.base}/whep/cam1", data="v=0",
                                headers={**GATEWAY_AUTH, "Content-Type": "application/sdp"}) as resp:
            bodies.append(await resp.text())
            assert resp.status == 400
        # Another site's page may not use the gateway through a visitor's browser.
        async with session.get(gateway.base + "/cameras",
                               headers={**GATEWAY_AUTH, "Origin": "http://evil.example"}) as resp:
            assert resp.status == 403
        async with session.delete(gateway.base + location, headers=GATEWAY_AUTH) as resp:
            assert resp.status == 200
        async with session.delete(gateway.base + location, headers=GATEWAY_AUTH) as resp:
            assert resp.status == 404
    redis_values = [str(r.hgetall(key)) for key in r.keys("cc:camera:status:*")]
    redis_values += [str(fields) for _, fields in r.xrange("cc:camera-events")]
    assert redis_values
    for text in bodies + redis_values + [gateway.log_path.read_text()]:
        assert CAMERA_PASSWORD not in text and f"{CAMERA_USER}:" not in text
        for server in camera_servers:
            assert f":{server.port}/" not in text
    # Health and snapshots went to Redis.
    assert r.hget("cc:camera:status:cam1", "state") == "live"
    assert 0 < r.ttl("cc:camera:snapshot:cam1") <= 60
    assert r.strlen("cc:camera:snapshot:cam1") > 1000  # a JPEG, not an empty marker
    assert r.get("cc:camera:snapshot-at:cam1").endswith("Z")
    await main_pc.close()
    await sub_pc.close()


async def test_a_viewer_that_never_reads_does_not_grow_the_gateway(camera_servers, gateway_factory):
    gateway = gateway_factory(camera_servers[:1], viewer_queue=30)
    gateway.wait_states({"cam1": {"live"}}, timeout=10)
    # Offers whose answers are never applied: the viewers never connect and never read.
    async with aiohttp.ClientSession() as session:
        stuck = []
        for _ in range(3):
            pc = RTCPeerConnection()
            pc.addTransceiver("video", direction="recvonly")
            await pc.setLocalDescription(await pc.createOffer())
            async with session.post(f"{gateway.base}/whep/cam1?stream=main", data=pc.localDescription.sdp,
                                    headers={**GATEWAY_AUTH, "Content-Type": "application/sdp"}) as response:
                assert response.status == 201
            stuck.append(pc)
    # Connected viewers that never take a frame off their track.
    lazy = [await whep_viewer(gateway.base, "cam1", "main", read=False) for _ in range(3)]
    await asyncio.sleep(2)
    before = gateway.rss_kib()
    await asyncio.sleep(8)
    after = gateway.rss_kib()
    assert after - before < 8 * 1024, f"gateway grew from {before} to {after} KiB"
    # The stuck viewers were dropped (queue full) instead of being buffered.
    assert gateway.get("/healthz")["viewers"] <= 3
    for pc in stuck + [v[0] for v in lazy]:
        await pc.close()
