"""Several video gateways behind one `/whep/<camera>`: each camera is pulled by exactly one gateway
(rendezvous hashing over the gateways alive in Redis), the dashboard's proxy asks that one, and when
it is killed its cameras play again from another within seconds, still with one upstream each.

Real GStreamer RTSP cameras, real gateway processes, a real Redis; the viewer is aiortc, and the
upstream pulls are counted as TCP connections on each camera's port."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import psutil
from aiortc import RTCPeerConnection, RTCSessionDescription

from core.config import parse_config
from core.roster import owner
from dashboard.cameras.routes import GatewayProxy

GATEWAYS = ("video-1", "video-2")
CAMERAS = ("cam1", "cam2", "cam3", "cam4")


def pullers(server) -> set[int]:
    """The processes holding an RTSP connection to this camera now."""
    return {c.pid for c in psutil.net_connections("tcp")
            if c.raddr and c.raddr.port == server.port and c.status == psutil.CONN_ESTABLISHED and c.pid}


async def until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = await asyncio.to_thread(predicate)
        if value:
            return value
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        await asyncio.sleep(0.2)


async def view(proxy: GatewayProxy, camera: str):
    """A viewer through the dashboard's proxy: (peer connection, Location, decoded frame times)."""
    pc = RTCPeerConnection()
    pc.addTransceiver("video", direction="recvonly")
    frames: list[float] = []

    @pc.on("track")
    def _track(track):
        async def pump():
            try:
                while True:
                    await track.recv()
                    frames.append(time.monotonic())
            except Exception:
                pass
        asyncio.ensure_future(pump())

    await pc.setLocalDescription(await pc.createOffer())
    answer = await proxy.offer(camera, "sub", pc.localDescription.sdp.encode(), "application/sdp")
    if answer.status_code != 201:
        await pc.close()
        return None
    await pc.setRemoteDescription(RTCSessionDescription(answer.body.decode(), "answer"))
    return pc, answer.headers["location"], frames


async def test_each_camera_is_relayed_by_one_gateway_and_moves_when_it_dies(camera_servers, gateway_factory,
                                                                           redis_url):
    share = {name: {c for c in CAMERAS if owner(c, GATEWAYS) == name} for name in GATEWAYS}
    assert all(share.values()), "the test's gateway names give each gateway cameras of its own"
    gateways = {name: gateway_factory(camera_servers, extra_config={"video": {"name": name}})
                for name in GATEWAYS}
    servers = {f"cam{s.index}": s for s in camera_servers}

    # Each gateway relays its own share and nothing else, and each camera gives one upstream.
    await until(lambda: all(set(g.states()) == share[n] for n, g in gateways.items()), 15, "cameras shared")
    for name, gateway in gateways.items():
        await asyncio.to_thread(gateway.wait_states, {c: {"live"} for c in share[name]}, 15)
    for camera, server in servers.items():
        owner_pid = gateways[owner(camera, GATEWAYS)].process.pid
        await until(lambda s=server, p=owner_pid: pullers(s) == {p}, 10, f"{camera} pulled by its owner only")

    # The dashboard's proxy sends a viewer to the owner; the session's Location leads back to it.
    proxy = GatewayProxy(parse_config({}), SimpleNamespace(redis_url=redis_url))
    moving = sorted(share["video-1"])[0]
    viewers = [await view(proxy, moving) for _ in range(4)]  # four players on the camera that moves
    assert all(v is not None for v in viewers)
    assert all(f"/whep/{moving}/video-1~" in location for _, location, _ in viewers)
    await until(lambda: all(len(frames) > 5 for _, _, frames in viewers), 10, "pictures through video-1")

    # video-1 dies: its cameras move to video-2, and a player that reconnects plays again.
    gateways["video-1"].process.kill()
    killed = time.monotonic()
    for pc, _, _ in viewers:
        await pc.close()
    again = None
    while again is None:
        assert time.monotonic() - killed < 10, "no gateway took the camera over"
        again = await view(proxy, moving)
        if again is None:
            await asyncio.sleep(0.25)
    pc, location, frames = again
    await until(lambda: frames, 10, "a picture from video-2")
    playing_after = frames[0] - killed
    assert playing_after < 5.0, f"the camera plays again {playing_after:.1f} s after its gateway died"
    assert f"/whep/{moving}/video-2~" in location
    await until(lambda: set(gateways["video-2"].states()) == set(CAMERAS), 10, "video-2 relays every camera")
    survivor = gateways["video-2"].process.pid
    for camera, server in servers.items():
        await until(lambda s=server: pullers(s) == {survivor}, 10, f"{camera}: one upstream, from video-2")

    # The hang-up reaches the gateway that holds the session.
    session = location.rsplit("/", 1)[1]
    assert (await proxy.hang_up(moving, session)).status_code == 200
    await pc.close()
    await proxy.close()
    print(f"\ncamera plays again {playing_after:.2f} s after its gateway was killed")
