"""Keyframe snapshots and picture checks, in a worker thread off the display path.

Only keyframes are decoded (about once a second per camera), never the frames in between: enough
to tell a frozen, black or broken picture and to keep a JPEG for thumbnails, the map and offline
tiles. A keyframe is decoded alone, so it shows exactly what the camera sent of that picture: a
keyframe that cannot be decoded, or whose decoded picture has solid regions of the decoder's fill
colour (slices that never came), is a broken picture ("gambar rusak").
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

import av
import cv2
import numpy as np

from core.clock import timestamp

log = logging.getLogger("video.snapshot")

THUMB = (64, 36)          # size at which pictures are compared
SAME_PICTURE = 1.0        # mean absolute grey-level difference below which two pictures are the same
BLACK_LEVEL, BLACK_SPREAD = 20.0, 6.0
# What H.264 decoders (FFmpeg, Chromium) leave where a picture's slices are missing: all-zero YUV,
# a dark green with no red or blue at all (G 76 to 135 by the conversion; BGR ranges here). No
# camera scene is flat at such a colour.
DECODER_FILL = ((0, 12), (60, 150), (0, 12))
SOLID_BLOCK = 16         # a region counts when it holds whole blocks of this many pixels square
DAMAGED_SHARE = 0.03     # of the picture in such regions: broken
JPEG_WIDTH = 640


@dataclass(frozen=True)
class PictureVerdict:
    """What one decoded keyframe showed."""

    camera_id: str
    taken_at: float
    frozen: bool
    black: bool
    jpeg: bytes | None  # only every `snapshot_every` seconds
    damage: str = ""    # why the picture is broken ("" when it is not)


def decode_keyframe(data: bytes, extradata: bytes | None) -> np.ndarray | None:
    """The BGR picture of one H.264 keyframe, or None when it cannot be decoded alone."""
    ctx = av.CodecContext.create("h264", "r")
    if extradata:
        ctx.extradata = extradata
    try:
        frames = ctx.decode(av.Packet(data)) + ctx.decode(None)
    except av.FFmpegError:
        return None
    return frames[-1].to_ndarray(format="bgr24") if frames else None


def damage_of(picture: np.ndarray) -> str:
    """Why a decoded keyframe is a broken picture, or "" when it is whole: solid regions of the
    decoder's fill colour (scattered pixels of that colour are not regions: eroded away)."""
    (b0, b1), (g0, g1), (r0, r1) = DECODER_FILL
    fill = cv2.inRange(picture, (b0, g0, r0), (b1, g1, r1))
    if not fill.any():
        return ""
    solid = cv2.erode(fill, np.ones((SOLID_BLOCK, SOLID_BLOCK), np.uint8))
    share = float(np.count_nonzero(solid)) / solid.size
    if share < DAMAGED_SHARE:
        return ""
    share = round(100 * float(np.count_nonzero(fill)) / fill.size)
    return f"solid green over {share} % of the picture (slices missing)"


class PictureJudge:
    """Frozen and black picture detection over successive keyframes of one camera."""

    def __init__(self, frozen_after: float):
        self.frozen_after = frozen_after
        self._last: np.ndarray | None = None
        self._same_since: float | None = None

    def judge(self, picture: np.ndarray, now: float) -> tuple[bool, bool]:
        """(frozen, black) for this picture, given the ones before it."""
        grey = cv2.resize(cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY), THUMB, interpolation=cv2.INTER_AREA)
        black = float(grey.mean()) < BLACK_LEVEL and float(grey.std()) < BLACK_SPREAD
        if self._last is not None and float(cv2.absdiff(grey, self._last).mean()) < SAME_PICTURE:
            self._same_since = self._same_since or now
        else:
            self._same_since = None
        self._last = grey
        frozen = self._same_since is not None and now - self._same_since >= self.frozen_after
        return frozen, black


def to_jpeg(picture: np.ndarray, quality: int = 70) -> bytes:
    """A JPEG of the picture, at most JPEG_WIDTH wide."""
    h, w = picture.shape[:2]
    if w > JPEG_WIDTH:
        picture = cv2.resize(picture, (JPEG_WIDTH, int(h * JPEG_WIDTH / w)), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return buf.tobytes() if ok else b""


class SnapshotWorker:
    """One thread for all cameras; a keyframe offered while it is busy is skipped, never queued up."""

    def __init__(self, frozen_after: float, snapshot_every: float, deliver: Callable[[PictureVerdict], None],
                 check_every: float = 1.0):
        self.frozen_after = frozen_after
        self.snapshot_every = snapshot_every
        self.check_every = check_every
        self.deliver = deliver
        self._inbox: queue.Queue = queue.Queue(maxsize=4)
        self._judges: dict[str, PictureJudge] = {}
        self._last_check: dict[str, float] = {}
        self._last_jpeg: dict[str, float] = {}
        self._thread = threading.Thread(target=self._run, name="snapshots", daemon=True)
        self._thread.start()

    def offer(self, camera_id: str, data: bytes, extradata: bytes | None) -> None:
        """A keyframe of a camera (called from its pull thread); cheap, never blocks."""
        now = timestamp()
        if now - self._last_check.get(camera_id, 0) < self.check_every:
            return
        try:
            self._inbox.put_nowait((camera_id, data, extradata, now))
            self._last_check[camera_id] = now
        except queue.Full:
            pass

    def forget(self, camera_id: str) -> None:
        """Start a camera's picture history afresh (it reconnected)."""
        self._inbox.put((camera_id, None, None, 0.0))

    def stop(self) -> None:
        """End the worker thread."""
        self._inbox.put(None)

    def _run(self) -> None:
        while (item := self._inbox.get()) is not None:
            camera_id, data, extradata, now = item
            if data is None:
                self._judges.pop(camera_id, None)
                continue
            try:
                picture = decode_keyframe(data, extradata)
                if picture is None:
                    self.deliver(PictureVerdict(camera_id, now, False, False, None, "keyframe cannot be decoded"))
                    continue
                judge = self._judges.setdefault(camera_id, PictureJudge(self.frozen_after))
                frozen, black = judge.judge(picture, now)
                jpeg = None
                if now - self._last_jpeg.get(camera_id, 0) >= self.snapshot_every:
                    jpeg = to_jpeg(picture)
                    self._last_jpeg[camera_id] = now
                self.deliver(PictureVerdict(camera_id, now, frozen, black, jpeg, damage_of(picture)))
            except Exception:  # a bad picture must not end snapshots for every camera
                log.exception("snapshot of camera %s failed", camera_id)
