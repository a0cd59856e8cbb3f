"""A WHEP viewer of the camera gateway (aiortc), as a wall's browser is one: camera, system and bench tests."""

from __future__ import annotations

import asyncio
import time

import aiohttp
from aiortc import RTCPeerConnection, RTCSessionDescription

from tests.support.cameras import GATEWAY_AUTH


def arrival(frame) -> tuple[float, int]:
    return time.monotonic(), frame.width


async def whep_viewer(base: str, camera: str, stream: str = "main", read: bool = True, keep=arrival):
    """A WHEP viewer (aiortc); returns (peer connection, location, received frame list, answer).
    The list holds `keep(frame)` of each decoded frame: its arrival time and width unless told."""
    pc = RTCPeerConnection()
    pc.addTransceiver("video", direction="recvonly")
    frames: list = []

    @pc.on("track")
    def _track(track):
        async def pump():
            try:
                while True:
                    frame = await track.recv()
                    frames.append(keep(frame))
            except Exception:
                pass
        if read:
            asyncio.ensure_future(pump())

    await pc.setLocalDescription(await pc.createOffer())
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/whep/{camera}?stream={stream}", data=pc.localDescription.sdp,
                                headers={**GATEWAY_AUTH, "Content-Type": "application/sdp"}) as response:
            assert response.status == 201, await response.text()
            answer, location = await response.text(), response.headers["Location"]
    await pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))
    return pc, location, frames, answer
