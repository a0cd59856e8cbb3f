"""The frame code of the demo cameras: each clip frame's number as a row of black and white blocks.

A band across the top of every demo frame carries 32 blocks: 4 sync bits, the frame's number in its
clip (20 bits) and 8 check bits. A program that has any copy of the picture (decoded from RTSP, from
the gateway, or drawn from a browser's <video> onto a canvas) reads the number back and so knows
which source frame to compare it with. Blocks are large (1/32 of the width, 1/15 of the height)
so they survive H.264 at the demo bitrates and a scaled-down display.
"""

from __future__ import annotations

import numpy as np

BITS = 32
SYNC = 0b1010
BLACK, WHITE = 16, 235  # studio-range luma, as the encoder expects


def band_height(height: int) -> int:
    """Pixel rows of the code band for a picture `height` rows high (48 at 720p, 24 at 360p)."""
    return max(16, height // 15) & ~1


def _check(number: int) -> int:
    return (number ^ (number >> 8) ^ (number >> 16) ^ 0x5A) & 0xFF


def code_of(number: int) -> int:
    """The 32-bit code of frame `number`: sync, number (20 bits), check."""
    number &= 0xFFFFF
    return (SYNC << 28) | (number << 8) | _check(number)


def stamp(luma: np.ndarray, chroma_u: np.ndarray, chroma_v: np.ndarray, number: int) -> None:
    """Draw frame `number`'s code into an I420 picture's planes, in place (top band, grey chroma)."""
    height, width = luma.shape
    band, block = band_height(height), width // BITS
    code = code_of(number)
    luma[:band] = BLACK
    for i in range(BITS):
        if (code >> (BITS - 1 - i)) & 1:
            luma[:band, i * block:(i + 1) * block] = WHITE
    chroma_u[: band // 2] = 128
    chroma_v[: band // 2] = 128


def read(grey: np.ndarray) -> int | None:
    """The frame number in a grey picture (any size, full range), or None when there is no valid code."""
    height, width = grey.shape[:2]
    band, block = band_height(height), width / BITS
    rows = grey[band // 4: band - band // 4]
    bits = 0
    for i in range(BITS):
        left, right = int(i * block + block / 4), int((i + 1) * block - block / 4)
        bits = bits * 2 + (1 if float(rows[:, left:max(right, left + 1)].mean()) > 128 else 0)
    number = (bits >> 8) & 0xFFFFF
    if bits >> 28 != SYNC or bits & 0xFF != _check(number):
        return None
    return number
