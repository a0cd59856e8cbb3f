"""H.265 to H.264 for the cameras whose config says `transcode: true`: decoded and encoded again
once per camera stream (never per viewer), so the wall plays a camera that cannot send H.264.

The budget: x264 `ultrafast`/`zerolatency` on one thread, a keyframe every 2 s, no B-frames.
Measured on the project's 2-core machine with the synthetic demo pictures (H.265 decode included):
about 2.7 % of a core for 360p15, 10 % for 720p15 (docs/benchmarks.md); street scenes cost several times
more, so plan up to 10 % for a 360p and 35 % for a 720p camera stream. Prefer the substream.
"""

from __future__ import annotations

import fractions
from collections.abc import Iterator

import av

VIDEO_CLOCK = fractions.Fraction(1, 90000)


class H264Encoder:
    """Pictures in, H.264 (Annex B, SPS/PPS before each keyframe) packets out; a new size, a new encoder."""

    def __init__(self, fps: float):
        self.fps = fps or 15
        self._context: av.CodecContext | None = None

    def _open(self, frame: av.VideoFrame) -> av.CodecContext:
        context = av.CodecContext.create("libx264", "w")
        context.width, context.height = frame.width, frame.height
        context.pix_fmt = "yuv420p"
        context.time_base = VIDEO_CLOCK
        context.framerate = fractions.Fraction(round(self.fps))
        context.gop_size = round(2 * self.fps)
        context.max_b_frames = 0
        context.thread_count = 1
        context.options = {"preset": "ultrafast", "tune": "zerolatency"}
        context.open()
        return context

    def encode(self, frame: av.VideoFrame) -> list[av.Packet]:
        """The H.264 packets of one decoded picture (timed on the 90 kHz video clock)."""
        if self._context is None or (self._context.width, self._context.height) != (frame.width, frame.height):
            self._context = self._open(frame)
        if frame.format.name != "yuv420p":
            frame = frame.reformat(format="yuv420p")
        frame.pts = int(frame.time * 90000) if frame.time is not None else None
        frame.time_base = VIDEO_CLOCK
        packets = self._context.encode(frame)
        for packet in packets:
            packet.time_base = VIDEO_CLOCK
        return packets


def transcoded(container: av.container.InputContainer, stream: av.VideoStream) -> Iterator[av.Packet]:
    """The stream's pictures as H.264 packets, decoded and encoded again as they come."""
    encoder = H264Encoder(float(stream.average_rate or stream.guessed_rate or 15))
    for packet in container.demux(stream):
        if not packet.size:
            continue
        try:
            frames = stream.codec_context.decode(packet)
        except av.InvalidDataError:
            continue  # a damaged packet: the decoder recovers at the next keyframe
        for frame in frames:
            yield from encoder.encode(frame)
