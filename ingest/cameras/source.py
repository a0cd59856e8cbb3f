"""What every camera protocol provides: a blocking iterator of H.264 packets from one upstream stream.

A source runs in the pull's own thread (PyAV blocks), never on the event loop. Each protocol is
one file (rtsp.py, hls.py, whep.py) with a `Source` class; `source_for` picks it by name.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import av

REORDER_WATCH = 6  # frames watched for B-frames when a stream's parameters allow them


class SourceError(RuntimeError):
    """The camera could not be opened or stopped sending; the message never holds its URL."""


class CodecNotSupported(SourceError):
    """The camera sends video the gateway does not relay (anything but H.264)."""


@dataclass(frozen=True)
class SourceTimeouts:
    """Seconds to wait for a camera to answer when opening, and for each packet once open."""

    open: float = 4.0
    read: float = 4.0


class Source(Protocol):
    """One upstream connection; `packets()` yields H.264 packets until the camera stops or fails."""

    def packets(self) -> Iterator[av.Packet]:  # pragma: no cover - protocol
        ...

    def close(self) -> None:  # pragma: no cover - protocol
        ...


def source_for(protocol: str, url: str, timeouts: SourceTimeouts, transcode: bool = False) -> Source:
    """The source class of a protocol (ingest/cameras/<protocol>.py), opened lazily on `packets()`.
    `transcode`: a camera not sending H.264 is decoded and encoded to H.264 (RTSP and HLS only)."""
    try:
        module = importlib.import_module(f"ingest.cameras.{protocol}")
    except ModuleNotFoundError:
        raise SourceError(f"no camera source for protocol '{protocol}'") from None
    source = module.Source(url, timeouts)
    if transcode:
        source.transcode = True
    return source


def redact(text: str, url: str) -> str:
    """An error message with the camera's URL (and so its credentials) taken out."""
    return str(text).replace(url, "<camera>") if url else str(text)


class PyAVSource:
    """A source that PyAV/FFmpeg demuxes (RTSP, HLS): the only difference is the options."""

    options: dict[str, str] = {}
    transcode = False  # set per camera (`transcode: true`): other codecs become H.264 here

    def __init__(self, url: str, timeouts: SourceTimeouts):
        self.url = url
        self.timeouts = timeouts
        self._container = None
        self.extradata: bytes | None = None  # SPS/PPS from the stream description, for snapshots

    def packets(self) -> Iterator[av.Packet]:
        """Open the stream (blocking, bounded by the open timeout) and yield its video packets."""
        try:
            self._container = av.open(self.url, options=dict(self.options),
                                      timeout=(self.timeouts.open, self.timeouts.read))
        except av.FFmpegError as exc:
            raise SourceError(f"cannot open: {redact(exc.strerror or exc, self.url)}") from None
        container = self._container
        try:
            if not container.streams.video:
                raise SourceError("the stream has no video")
            stream = container.streams.video[0]
            if stream.codec_context.name != "h264":
                if self.transcode:
                    from ingest.cameras.transcode import transcoded

                    self.extradata = None  # the H.264 keyframes carry their own SPS/PPS
                    yield from transcoded(container, stream)
                    return
                # Passthrough is the point of the gateway: other codecs need the camera's transcode.
                raise CodecNotSupported(f"video is {stream.codec_context.name}, the gateway relays H.264 only")
            self.extradata = stream.codec_context.extradata
            # A stream whose parameters allow reordering is watched for its first frames before any
            # is relayed: B-frames reach WebRTC players out of order (WebRTC carries none) and the
            # picture would jump back and forth. Only the camera's setting can fix that.
            held: list[av.Packet] | None = [] if stream.codec_context.has_b_frames else None
            for packet in container.demux(stream):
                if not packet.size:
                    continue
                if held is None:
                    yield packet
                    continue
                held.append(packet)
                stamps = [p.pts for p in held if p.pts is not None]
                if any(b < a for a, b in zip(stamps, stamps[1:])):
                    raise CodecNotSupported("H.264 with B-frames, the gateway relays H.264 without B-frames "
                                            "(set the camera to baseline profile or no B-frames)")
                if len(held) >= REORDER_WATCH:
                    yield from held
                    held = None
        except av.FFmpegError as exc:
            raise SourceError(f"read failed: {redact(exc.strerror or exc, self.url)}") from None
        finally:
            self.close()

    def close(self) -> None:
        """Drop the upstream connection."""
        container, self._container = self._container, None
        if container is not None:
            try:
                container.close()
            except av.FFmpegError:
                pass
