"""One camera stream to many viewers: H.264 packets, each viewer with a bounded queue.

The packets since the last keyframe are kept so a new viewer starts decoding at once instead of
waiting up to a whole GOP (aiortc's passthrough cannot ask the camera for a keyframe). A viewer
whose queue fills up is too slow and is dropped: memory never grows with a stalled viewer
(aiortc's MediaRelay queues without bound).
"""

from __future__ import annotations

import asyncio
import fractions
from collections.abc import Callable

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

VIDEO_CLOCK = fractions.Fraction(1, 90000)
# Frame step inserted when the camera reconnects, so timestamps never go backwards for a viewer.
RESTART_STEP = 3000
# A keyframe group longer than this is not a GOP any more (a broken camera): stop caching it.
MAX_CACHED = 300


class Viewer:
    """One viewer's bounded queue of packets; `overflowed` is set when it could not keep up."""

    def __init__(self, capacity: int, on_drop: Callable[[Viewer], None] | None = None):
        self.queue: asyncio.Queue[av.Packet] = asyncio.Queue(maxsize=capacity)
        self.overflowed = False
        self.on_drop = on_drop

    def offer(self, packet: av.Packet) -> bool:
        """Queue a packet; False (and the viewer marked dropped) when its queue is full."""
        try:
            self.queue.put_nowait(packet)
            return True
        except asyncio.QueueFull:
            self.overflowed = True
            return False


class PacketFanout:
    """Distributes one upstream's packets to every viewer, in the event loop's thread."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.viewers: set[Viewer] = set()
        self._gop: list[av.Packet] = []
        self._offset: int | None = None  # added to upstream pts to make one continuous timeline
        self._last_pts = 0
        self._new_session = True
        self._synced = False  # a whole keyframe came since the upstream (re)started

    def upstream_restarted(self) -> None:
        """The camera connection was re-opened: its timestamps start again from its own zero."""
        self._new_session = True
        self._synced = False
        self._gop.clear()

    def publish(self, packet: av.Packet) -> None:
        """Send a packet to every viewer, dropping any whose queue is full.

        Nothing before the first keyframe of an upstream session is sent: it refers to pictures no
        viewer has, and a decoder shows it as grey or green blocks until the next keyframe."""
        self._synced = self._synced or packet.is_keyframe
        if not self._synced:
            return
        pts = packet.pts if packet.pts is not None else None
        if packet.time_base != VIDEO_CLOCK and pts is not None:
            pts = int(pts * packet.time_base / VIDEO_CLOCK)
        if self._new_session and pts is not None:
            self._offset = self._last_pts + RESTART_STEP - pts
            self._new_session = False
        # A packet without a timestamp (parameter sets ahead of the first frame) shares the last one.
        out = self._last_pts if pts is None or self._offset is None else pts + self._offset
        out = max(out, self._last_pts)
        self._last_pts = out
        packet.pts = out
        packet.dts = out
        packet.time_base = VIDEO_CLOCK
        if packet.is_keyframe:
            self._gop.clear()
        if len(self._gop) < MAX_CACHED:
            self._gop.append(packet)
        for viewer in list(self.viewers):
            if not viewer.offer(packet):
                self.drop(viewer)

    def subscribe(self, on_drop: Callable[[Viewer], None] | None = None) -> Viewer:
        """A new viewer, its queue primed with the packets since the last keyframe."""
        viewer = Viewer(self.capacity, on_drop)
        start = next((i for i, p in enumerate(self._gop) if p.is_keyframe), None)
        if start is not None:
            for packet in self._gop[start:][: self.capacity // 2]:
                viewer.offer(packet)
        self.viewers.add(viewer)
        return viewer

    def drop(self, viewer: Viewer) -> None:
        """Stop feeding a viewer (it left, or it fell too far behind)."""
        if viewer in self.viewers:
            self.viewers.discard(viewer)
            if viewer.on_drop:
                viewer.on_drop(viewer)

    @property
    def cached_packets(self) -> int:
        """Packets kept for the next viewer (since the last keyframe)."""
        return len(self._gop)


class RelayTrack(MediaStreamTrack):
    """The video track a viewer's peer connection sends: packets from its queue, not decoded."""

    kind = "video"

    def __init__(self, viewer: Viewer):
        super().__init__()
        self.viewer = viewer

    async def recv(self) -> av.Packet:
        """The next packet for this viewer; ends the track when the viewer was dropped."""
        if self.readyState != "live" or self.viewer.overflowed:
            raise MediaStreamError
        return await self.viewer.queue.get()
