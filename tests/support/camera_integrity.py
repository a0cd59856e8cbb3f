"""Picture integrity: a received frame against the clip frame it claims to be, by structural similarity.

Every demo clip frame carries its number as a block code (ingest/cameras/frame_code.py). A frame
taken anywhere downstream (PyAV on the RTSP stream, a WHEP viewer of the gateway, a browser's
<video> drawn to a canvas) is read for that number and compared with the same frame decoded
straight from the clip file. A slice lost, misplaced or half-decoded shows as an SSIM far below 0.9
(a picture with its top half green scores about 0.3-0.5); re-encoding noise stays above 0.95.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np

from ingest.cameras import frame_code

SSIM_MIN = 0.9


def grey(picture: np.ndarray) -> np.ndarray:
    """A grey (luma) copy of a BGR/RGB(A) or grey picture."""
    if picture.ndim == 2:
        return picture
    if picture.shape[2] == 4:
        picture = picture[:, :, :3]
    return cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY)


def picture_of(frame: av.VideoFrame) -> np.ndarray:
    """A decoded frame as a person sees it, in grey: YUV to RGB as players convert (what a browser's
    canvas holds), then grey. Source and received frames both go this way, so colour conversion
    differences (studio against full range) never count as damage."""
    return grey(frame.to_ndarray(format="bgr24"))


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean structural similarity of two grey pictures (Wang et al. 2004: 11x11 Gaussian, sigma 1.5,
    pictures first scaled down by round(shorter side / 256) as the authors' own code does)."""
    if a.shape != b.shape:
        b = cv2.resize(b, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_AREA)
    factor = max(1, round(min(a.shape) / 256))
    if factor > 1:
        size = (a.shape[1] // factor, a.shape[0] // factor)
        a = cv2.resize(a, size, interpolation=cv2.INTER_AREA)
        b = cv2.resize(b, size, interpolation=cv2.INTER_AREA)
    a, b = a.astype(np.float32), b.astype(np.float32)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(x):
        return cv2.GaussianBlur(x, (11, 11), 1.5)

    mu_a, mu_b = blur(a), blur(b)
    var_a, var_b = blur(a * a) - mu_a ** 2, blur(b * b) - mu_b ** 2
    cov = blur(a * b) - mu_a * mu_b
    num = (2 * mu_a * mu_b + c1) * (2 * cov + c2)
    den = (mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2)
    return float((num / den).mean())


@dataclass
class Match:
    """One received frame judged: the clip frame it carries (None: no readable code) and its SSIM."""

    number: int | None
    score: float

    @property
    def intact(self) -> bool:
        return self.number is not None and self.score >= SSIM_MIN


class SourceClip:
    """The frames of one clip file, decoded once, by frame number."""

    def __init__(self, path: Path):
        self.path = path
        self.frames: dict[int, np.ndarray] = {}
        with av.open(str(path)) as container:
            first = None
            for index, frame in enumerate(container.decode(video=0)):
                picture = picture_of(frame)
                number = frame_code.read(picture)
                first = number if first is None else first
                assert number is not None and number == first + index, f"{path.name}: frame {index} carries {number}"
                self.frames[number] = picture

    def match(self, picture: np.ndarray, region: tuple[slice, slice] | None = None) -> Match:
        """Compare a received picture (any size) with the clip frame whose code it carries.

        `region` (fractions of the picture as slices of rows and columns) compares that part only."""
        received = grey(picture)
        number = frame_code.read(received)
        if number is None or number not in self.frames:
            return Match(None, 0.0)
        source = self.frames[number]
        if received.shape != source.shape:
            received = cv2.resize(received, (source.shape[1], source.shape[0]), interpolation=cv2.INTER_AREA)
        if region is not None:
            rows, cols = region
            h, w = source.shape
            pick = (slice(int(rows.start * h), int(rows.stop * h)), slice(int(cols.start * w), int(cols.stop * w)))
            return Match(number, ssim(received[pick], source[pick]))
        return Match(number, ssim(received, source))


# Where the demo clips draw the camera's name (top left, under the code band) and the clip's
# clock (bottom right), as fractions of the picture.
NAME_REGION = (slice(0.06, 0.2), slice(0.0, 0.5))
CLOCK_REGION = (slice(0.85, 1.0), slice(0.6, 1.0))


async def whep_frames(base: str, camera: str, stream: str, count: int) -> list:
    """`count` decoded grey pictures from a WHEP viewer of the gateway (aiortc decodes, as a browser would)."""
    from tests.support.whep import whep_viewer

    pc, _, frames, _ = await whep_viewer(base, camera, stream, keep=picture_of)
    try:
        deadline = asyncio.get_running_loop().time() + 20
        while len(frames) < count:
            assert asyncio.get_running_loop().time() < deadline, f"{camera}: {len(frames)} of {count} frames"
            await asyncio.sleep(0.05)
        return frames[:count]
    finally:
        await pc.close()
