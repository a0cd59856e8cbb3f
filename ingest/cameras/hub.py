"""Every camera stream the gateway holds: one pull and one fan-out per (camera, stream), shared.

A stream is pulled while someone holds it: viewers, and the health monitor, which holds each
camera's health stream (the substream when there is one: cheaper) all the time. When the last
holder lets go the pull lingers a few seconds, so a page reload does not reconnect the camera.

The cameras can change while the gateway runs (a camera listing adds, changes, removes or flags
cameras inactive: `set_cameras`); a removed or inactive camera's pulls stop at once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import av

from core.cameras import CameraConfig, StreamVariant, VideoSettings
from core.clock import timestamp
from ingest.cameras.fanout import PacketFanout
from ingest.cameras.health import CameraHealth
from ingest.cameras.pull import PullEvents, StreamPull
from ingest.cameras.snapshot import SnapshotWorker
from ingest.cameras.source import SourceTimeouts

log = logging.getLogger("video.hub")


def health_variant(camera: CameraConfig) -> StreamVariant:
    """The stream watched for health: the substream when the camera has one."""
    return "sub" if camera.sub else "main"


@dataclass
class CameraStream:
    """One pulled stream: its fan-out, its pull and how many hold it."""

    camera_id: str
    variant: StreamVariant
    fanout: PacketFanout
    pull: StreamPull | None = None
    holders: int = 0
    linger: asyncio.TimerHandle | None = None
    packets: int = field(default=0)


class CameraHub:
    """Owns the pulls, the fan-outs and the health of every camera in the registry."""

    def __init__(self, cameras: dict[str, CameraConfig], settings: VideoSettings,
                 snapshots: SnapshotWorker | None = None, timeouts: SourceTimeouts | None = None,
                 inactive: set[str] | None = None):
        self.cameras = dict(cameras)
        self.inactive: set[str] = set(inactive or ()) & set(self.cameras)  # flagged inactive: not pulled
        self.settings = settings
        self.snapshots = snapshots
        self.timeouts = timeouts or SourceTimeouts(open=max(2.0, settings.stall_after * 2),
                                                   read=max(2.0, settings.stall_after * 1.5))
        self.streams: dict[tuple[str, str], CameraStream] = {}
        self.health = {cid: CameraHealth(cid, settings.stall_after) for cid in cameras}
        self.changed: set[str] = set()  # cameras whose state changed since the status writer looked
        self.removed: set[str] = set()  # cameras gone from the registry, for the status writer to forget
        self.loop: asyncio.AbstractEventLoop | None = None
        for cid in self.inactive:
            self.health[cid].deactivate()

    def start(self) -> None:
        """Hold every active camera's health stream (called in the running loop)."""
        self.loop = asyncio.get_running_loop()
        for cid in self.cameras:
            if cid not in self.inactive:
                self.acquire(cid, health_variant(self.cameras[cid]), for_health=True)

    def is_active(self, camera_id: str) -> bool:
        """In the registry and not flagged inactive: the camera may be watched."""
        return camera_id in self.cameras and camera_id not in self.inactive

    def set_cameras(self, cameras: dict[str, CameraConfig], inactive: set[str]) -> set[str]:
        """Make the registry `cameras` (those in `inactive` not pulled); returns the cameras whose
        viewers must be hung up: removed, flagged inactive, or with a changed address."""
        hang_up: set[str] = set()
        for cid in list(self.cameras):
            if cid not in cameras or cameras[cid] != self.cameras[cid]:
                # Gone, or its address/protocol changed: drop it whole (a changed one comes back below).
                self._stop_streams(cid)
                del self.cameras[cid]
                self.health.pop(cid, None)
                self.inactive.discard(cid)
                if self.snapshots:
                    self.snapshots.forget(cid)
                if cid not in cameras:
                    self.removed.add(cid)
                    self.changed.discard(cid)
                hang_up.add(cid)
        for cid, camera in cameras.items():
            if cid not in self.cameras:
                self.cameras[cid] = camera
                self.health[cid] = CameraHealth(cid, self.settings.stall_after)
                self.removed.discard(cid)
                self.changed.add(cid)
                if cid in inactive:
                    self.inactive.add(cid)
                    self.health[cid].deactivate()
                elif self.loop is not None:
                    self.acquire(cid, health_variant(camera), for_health=True)
            elif cid in inactive and cid not in self.inactive:
                self.inactive.add(cid)
                self._stop_streams(cid)
                if self.health[cid].deactivate():
                    self.changed.add(cid)
                hang_up.add(cid)
            elif cid not in inactive and cid in self.inactive:
                self.inactive.discard(cid)
                if self.health[cid].activate():
                    self.changed.add(cid)
                if self.loop is not None:
                    self.acquire(cid, health_variant(camera), for_health=True)
        return hang_up

    def _stop_streams(self, camera_id: str) -> None:
        """Stop and forget every stream of a camera now (no linger): its viewers are hung up."""
        for key in [k for k in self.streams if k[0] == camera_id]:
            stream = self.streams.pop(key)
            if stream.linger:
                stream.linger.cancel()
                stream.linger = None
            if stream.pull:
                stream.pull.stop()
                stream.pull = None
            stream.fanout.upstream_restarted()

    def acquire(self, camera_id: str, variant: StreamVariant, for_health: bool = False) -> CameraStream:
        """Hold a camera stream, starting its pull if nobody held it."""
        camera = self.cameras[camera_id]
        if variant == "sub" and not camera.sub:
            variant = "main"
        key = (camera_id, variant)
        stream = self.streams.get(key)
        if stream is None:
            stream = self.streams[key] = CameraStream(camera_id, variant, PacketFanout(self.settings.viewer_queue))
        if stream.linger:
            stream.linger.cancel()
            stream.linger = None
        stream.holders += 1
        if stream.pull is None:
            stream.pull = self._pull(camera_id, variant, stream,
                                     watch_health=variant == health_variant(camera)).start()
        return stream

    def release(self, stream: CameraStream) -> None:
        """Let go of a stream; its pull stops after the linger time unless held again."""
        stream.holders = max(0, stream.holders - 1)
        if stream.holders == 0 and stream.pull is not None and stream.linger is None:
            stream.linger = self.loop.call_later(self.settings.linger, self._stop_if_unheld, stream)

    def _stop_if_unheld(self, stream: CameraStream) -> None:
        stream.linger = None
        if stream.holders == 0 and stream.pull is not None:
            stream.pull.stop()
            stream.pull = None
            stream.fanout.upstream_restarted()

    def stop(self) -> None:
        """Stop every pull."""
        for stream in self.streams.values():
            if stream.linger:
                stream.linger.cancel()
            if stream.pull:
                stream.pull.stop()

    def _pull(self, camera_id: str, variant: str, stream: CameraStream, watch_health: bool) -> StreamPull:
        camera = self.cameras[camera_id]
        health = self.health[camera_id]
        key = (camera_id, variant)

        def current() -> bool:
            # Events of a pull stopped by set_cameras may still be queued on the loop: ignore them.
            return self.streams.get(key) is stream

        def packet(p: av.Packet) -> None:
            if not current():
                return
            stream.packets += 1
            stream.fanout.publish(p)
            if watch_health and health.packet(p.size):
                self.changed.add(camera_id)

        def opened() -> None:
            if not current():
                return
            stream.fanout.upstream_restarted()
            if watch_health and self.snapshots:
                self.snapshots.forget(camera_id)

        def failed(reason: str, state: str = "offline") -> None:
            if not current():
                return
            if watch_health and health.failed(reason, state=state):
                self.changed.add(camera_id)
            elif not watch_health:
                log.info("camera %s %s stream: %s; retrying", camera_id, variant, reason)

        def connecting() -> None:
            if not current():
                return
            if watch_health and health.connecting():
                self.changed.add(camera_id)

        keyframe = None
        if watch_health and self.snapshots:
            snapshots = self.snapshots

            def keyframe(data: bytes, extradata: bytes | None) -> None:
                snapshots.offer(camera_id, data, extradata)

        return StreamPull(f"{camera_id}/{variant}", camera.protocol, camera.url(variant),
                          PullEvents(packet=packet, opened=opened, failed=failed, connecting=connecting),
                          self.loop, self.timeouts, self.settings.max_backoff, keyframe, camera.transcode)

    def picture(self, camera_id: str, frozen: bool, black: bool, damage: str = "") -> None:
        """The snapshot worker's verdict on a camera's latest keyframe."""
        if camera_id in self.health and self.health[camera_id].picture(frozen, black, timestamp(), damage):
            self.changed.add(camera_id)

    def tick(self) -> None:
        """Mark cameras that stopped sending as stalled (called a few times a second)."""
        now = timestamp()
        for cid, health in self.health.items():
            if health.tick(now):
                self.changed.add(cid)
