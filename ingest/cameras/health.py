"""Per-camera health: connecting, live, stalled, offline, inactive, damaged or unsupported, with
fps, bitrate and the last frame time.

*inactive* is a camera its listing flags inactive: it is not pulled, so nothing else is judged.
*damaged* ("gambar rusak"): frames come but the latest keyframe is a broken picture.
*unsupported* ("codec tidak didukung"): the camera sends a codec the gateway does not relay (H.265);
it is retried with backoff, so a camera switched to H.264 plays again by itself.

The state is decided here from what the pull reports (packets, open failures, pictures judged
frozen or black); `CameraStatusWriter` puts it in Redis. Transitions are logged once each, so a
camera that stays down does not flood the log.
"""

from __future__ import annotations

import collections
import logging
from dataclasses import dataclass, field

from core.clock import timestamp

log = logging.getLogger("video.health")

STATES = ("connecting", "live", "stalled", "offline", "inactive", "damaged", "unsupported")
DOWN = ("offline", "unsupported")  # no connection: nothing comes
INACTIVE_REASON = "inactive in the camera listing"
WINDOW = 2.0  # seconds of packets over which fps and bitrate are measured


@dataclass
class CameraHealth:
    """The health of one camera, fed by its health stream's pull; all times are timestamp()."""

    camera_id: str
    stall_after: float
    state: str = "connecting"
    reason: str = ""
    since: float = field(default_factory=timestamp)
    last_frame: float | None = None
    frozen: bool = False
    black: bool = False
    damage: str = ""
    _packets: collections.deque = field(default_factory=collections.deque)

    def _move(self, state: str, reason: str, now: float) -> bool:
        if (state, reason) == (self.state, self.reason):
            return False
        level = logging.INFO if state in ("live", "connecting") else logging.WARNING
        log.log(level, "camera %s: %s -> %s%s", self.camera_id, self.state, state, f" ({reason})" if reason else "")
        self.state, self.reason, self.since = state, reason, now
        return True

    def deactivate(self, now: float | None = None) -> bool:
        """The listing flags the camera inactive: it is no longer pulled; True when the state changed."""
        self._packets.clear()
        self.frozen = self.black = False
        self.damage = ""
        return self._move("inactive", INACTIVE_REASON, now or timestamp())

    def activate(self, now: float | None = None) -> bool:
        """Flagged active again: connecting until its pull reports; True when the state changed."""
        return self._move("connecting", "", now or timestamp()) if self.state == "inactive" else False

    def connecting(self, now: float | None = None) -> bool:
        """A connection attempt started; True when the state changed."""
        return self._move("connecting", "", now or timestamp()) if self.state == "offline" else False

    def packet(self, size: int, now: float | None = None) -> bool:
        """A packet arrived; True when the state changed."""
        if self.state == "inactive":  # a late packet of the pull that was just stopped
            return False
        now = now or timestamp()
        self.last_frame = now
        self._packets.append((now, size))
        self._trim(now)
        return self._judge(now)

    def picture(self, frozen: bool, black: bool, now: float | None = None, damage: str = "") -> bool:
        """The snapshot worker's verdict on the latest keyframe; True when the state changed."""
        if self.state == "inactive":
            return False
        self.frozen, self.black, self.damage = frozen, black, damage
        return self._judge(now or timestamp())

    def failed(self, reason: str, now: float | None = None, state: str = "offline") -> bool:
        """The camera could not be opened or stopped sending: offline (or unsupported, for a codec the
        gateway does not relay); True when the state changed."""
        if self.state == "inactive":
            return False
        self._packets.clear()
        self.damage = ""
        return self._move(state, reason, now or timestamp())

    def tick(self, now: float | None = None) -> bool:
        """Called every fraction of a second: no packet for stall_after makes a live camera stalled."""
        now = now or timestamp()
        self._trim(now)
        return self._judge(now)

    def _judge(self, now: float) -> bool:
        if self.state == "inactive" or (self.state in DOWN and not self._packets):
            return False
        if self.last_frame is None or now - self.last_frame > self.stall_after:
            return self._move("stalled", "no frames", now) if self.state == "live" else False
        if self.frozen:
            return self._move("stalled", "frozen picture", now)
        if self.black:
            return self._move("stalled", "black picture", now)
        if self.damage:
            return self._move("damaged", self.damage, now)
        return self._move("live", "", now)

    def _trim(self, now: float) -> None:
        while self._packets and now - self._packets[0][0] > WINDOW:
            self._packets.popleft()

    @property
    def fps(self) -> float:
        """Frames a second over the last couple of seconds."""
        return round(len(self._packets) / WINDOW, 1)

    @property
    def kbps(self) -> float:
        """Kilobits a second over the last couple of seconds."""
        return round(sum(size for _, size in self._packets) * 8 / WINDOW / 1000, 1)

    def as_fields(self) -> dict[str, str]:
        """The status hash fields (no stream address, ever)."""
        return {"state": self.state, "reason": self.reason, "since": f"{self.since:.3f}",
                "last_frame": f"{self.last_frame:.3f}" if self.last_frame else "",
                "fps": str(self.fps), "kbps": str(self.kbps),
                "frozen": "1" if self.frozen else "0", "black": "1" if self.black else "0",
                "damaged": "1" if self.damage else "0"}
