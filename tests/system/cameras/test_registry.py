"""The camera registry: config's cameras plus the e-CCTV listing's, read by the gateway itself over HTTP.

A listed camera is relayed like a configured one; flagged inactive it stops being pulled; dropped
from the listing it leaves the registry; an unreadable listing keeps its cameras. The stream
addresses (with their credentials) never reach Redis, a log line or an answer.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp

from core.cameras import decode_registry
from core.redis import connect
from core.streams import camera_registry, camera_status
from tests.support.camera_listing import LISTED, listed_item, listing_config
from tests.support.cameras import CAMERA_PASSWORD, CAMERA_USER, GATEWAY_AUTH
from tests.support.whep import whep_viewer


async def wait_until(check, timeout: float, what: str):
    """Poll `check` (blocking calls are short) without blocking the loop that carries the video."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await asyncio.to_thread(check)
        if last:
            return last
        await asyncio.sleep(0.25)
    raise AssertionError(f"{what}: last {last!r}")


def every_value(raw) -> list[bytes]:
    """Every value in the test Redis, whatever its type, as bytes."""
    out = []
    for key in raw.scan_iter(count=500):
        kind = raw.type(key)
        if kind == b"string":
            out.append(raw.get(key) or b"")
        elif kind == b"hash":
            out += [k + b"=" + v for k, v in raw.hgetall(key).items()]
        elif kind == b"stream":
            out += [k + b"=" + v for _, fields in raw.xrange(key) for k, v in fields.items()]
        elif kind == b"list":
            out += raw.lrange(key, 0, -1)
        elif kind in (b"set", b"zset"):
            out += list(raw.smembers(key)) if kind == b"set" else raw.zrange(key, 0, -1)
        out.append(key)
    return out


def assert_no_address(texts, servers):
    for text in texts:
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        assert CAMERA_PASSWORD not in text and f"{CAMERA_USER}:" not in text
        assert "listing-secret-1234" not in text and "tok-5678" not in text
        for server in servers:
            assert f":{server.port}/" not in text


async def test_a_listed_camera_is_relayed_then_inactive_then_gone(two_cameras, listing, gateway_factory, redis_url, r):
    config_camera, listed_camera = two_cameras
    listing.items = [listed_item(listed_camera)]
    gateway = gateway_factory([config_camera], extra_config=listing_config(listing))
    await wait_until(lambda: gateway.states() == {"cam1": "live", LISTED: "live"}, 15, "both cameras live")

    # The listing camera plays over WHEP like a configured one, substream and main stream.
    pc, _, frames, answer = await whep_viewer(gateway.base, LISTED, "sub")
    await wait_until(lambda: len(frames) > 10, 10, "frames from the listed camera")
    assert {w for _, w in frames} == {640} and "H264" in answer
    listed = next(c for c in gateway.get("/cameras")["cameras"] if c["id"] == LISTED)
    assert (listed["name"], listed["kab"], listed["group"], listed["active"]) == ("Terminal Pakupatan", "3673",
                                                                                  "dishub", True)

    # Redis has the registry's public part, in order, config first; nowhere a stream address.
    registry = decode_registry(r.get(camera_registry()))
    assert list(registry) == ["cam1", LISTED]
    assert (registry[LISTED].source, registry[LISTED].lat, registry[LISTED].active) == ("daftar", -6.1301, True)
    raw = connect(redis_url)
    assert_no_address(every_value(raw), two_cameras)

    # The listing service is down for a while: its cameras stay, still playing.
    listing.status = 502
    await asyncio.sleep(3)
    assert gateway.states() == {"cam1": "live", LISTED: "live"}
    n = len(frames)
    await asyncio.sleep(1)
    assert len(frames) > n
    listing.status = 200

    # Flagged inactive: not pulled any more, viewers hung up, new ones refused; shown as such.
    listing.items = [listed_item(listed_camera, active=False)]
    await wait_until(lambda: gateway.states().get(LISTED) == "inactive", 8, "inactive")
    await wait_until(lambda: gateway.get("/healthz")["viewers"] == 0, 5, "the viewer hung up")
    assert decode_registry(r.get(camera_registry()))[LISTED].active is False
    await wait_until(lambda: r.hget(camera_status(LISTED), "state") == "inactive", 2, "inactive in Redis")
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{gateway.base}/whep/{LISTED}", data=pc.localDescription.sdp,
                                headers={**GATEWAY_AUTH, "Content-Type": "application/sdp"}) as response:
            assert response.status == 409
    await pc.close()

    # Active again: pulled again.
    listing.items = [listed_item(listed_camera)]
    await wait_until(lambda: gateway.states().get(LISTED) == "live", 15, "live again")

    # Dropped from the listing: gone from the gateway, from the registry and its status from Redis.
    listing.items = []
    await wait_until(lambda: LISTED not in gateway.states(), 8, "gone")
    assert list(decode_registry(r.get(camera_registry()))) == ["cam1"]
    await wait_until(lambda: not r.exists(camera_status(LISTED)), 5, "status forgotten")
    assert any(f["camera"] == LISTED and f["state"] == "removed" for _, f in r.xrange("cc:camera-events"))
    assert gateway.states() == {"cam1": "live"}  # the configured camera never noticed

    assert_no_address(every_value(raw) + [gateway.log_path.read_text()], two_cameras)
    raw.close()


