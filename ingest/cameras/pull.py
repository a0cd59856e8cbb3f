"""One upstream connection per camera stream, in its own thread, reconnecting with backoff.

PyAV blocks on open and on every read, so each pull lives in a thread with open and read
timeouts: a camera that freezes ends its read within the timeout and is retried, and the event
loop never waits on a camera. Packets are handed to the loop, which fans them out.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import av

from ingest.cameras.h264 import continues_keyframe, starts_picture, without_parameter_sets
from ingest.cameras.source import CodecNotSupported, SourceError, SourceTimeouts, source_for

log = logging.getLogger("video.pull")


class KeyframeJoiner:
    """Puts back together keyframes that reach the demuxer cut into pieces.

    Some cameras' RTP payloaders put SPS/PPS before every slice of a keyframe; a parameter set ends
    an access unit, so the demuxer hands over one piece per slice and every decoder shows the other
    slices' area empty (green) until the next keyframe. Once a stream shows that (a piece right after
    a keyframe that continues it), each keyframe is held until its pieces are in and relayed as one
    access unit, without the repeated parameter sets. A stream that never does it is never held.
    """

    def __init__(self, name: str):
        self.name = name
        self.joining = False
        self._held: list[av.Packet] = []
        self._after_keyframe = False

    def feed(self, packet: av.Packet) -> list[av.Packet]:
        """The packets to relay now, in order, given the next one from the demuxer."""
        out: list[av.Packet] = []
        # The demuxer marks any packet holding IDR slices a keyframe, pieces included.
        piece = packet.is_keyframe and continues_keyframe(bytes(packet))
        if self._held:
            if piece:
                self._held.append(packet)
                return out
            out.append(self._joined())
        if piece and self._after_keyframe and not self.joining:
            self.joining = True
            log.warning("camera stream %s cuts its keyframes into pieces (SPS/PPS before every slice): "
                        "joining them from the next keyframe on", self.name)
        self._after_keyframe = packet.is_keyframe
        if packet.is_keyframe and self.joining and not piece:
            self._held = [packet]
        else:
            out.append(packet)
        return out

    def _joined(self) -> av.Packet:
        parts, self._held = self._held, []
        joined = av.Packet(bytes(parts[0]) + b"".join(without_parameter_sets(bytes(p)) for p in parts[1:]))
        pts = next((p.pts for p in parts if p.pts is not None), None)
        joined.pts = joined.dts = pts
        joined.time_base = parts[0].time_base
        joined.is_keyframe = True
        return joined


def retry_delay(failures: int, ceiling: float) -> float:
    """Seconds before the n-th retry in a row: 0.5, 1, 2, 4 ... capped at the ceiling."""
    return min(ceiling, 0.5 * 2 ** max(0, failures - 1))


@dataclass
class PullEvents:
    """What a pull reports, each called in the event loop's thread."""

    packet: Callable[[av.Packet], None]
    opened: Callable[[], None]
    failed: Callable[..., None]  # (reason, state="offline"): "unsupported" for a codec not relayed
    connecting: Callable[[], None] = lambda: None


class StreamPull:
    """Keeps one camera stream open until stopped; reports packets and failures to the loop."""

    def __init__(self, name: str, protocol: str, url: str, events: PullEvents, loop: asyncio.AbstractEventLoop,
                 timeouts: SourceTimeouts = SourceTimeouts(), max_backoff: float = 30.0,
                 keyframe: Callable[[bytes, bytes | None], None] | None = None, transcode: bool = False):
        self.name = name  # camera id and variant, for logs: never the URL
        self.protocol = protocol
        self.url = url
        self.events = events
        self.loop = loop
        self.timeouts = timeouts
        self.max_backoff = max_backoff
        self.keyframe = keyframe  # called in the pull thread with each keyframe (snapshot worker)
        self.transcode = transcode  # the camera's own setting: a codec other than H.264 is re-encoded
        self._stop = threading.Event()
        self._source = None
        self._thread = threading.Thread(target=self._run, name=f"pull:{name}", daemon=True)

    def start(self) -> StreamPull:
        """Start pulling in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop pulling; the thread ends at its next packet or read timeout.

        The source is not closed from here: closing a PyAV container while the pull thread is
        inside its demux frees what that read is using, and the gateway died in libavutil that way
        (a frozen camera's last viewer leaving). The pull thread closes it itself on the way out."""
        self._stop.set()

    def _call(self, fn, *args) -> None:
        if not self.loop.is_closed():
            try:
                self.loop.call_soon_threadsafe(fn, *args)
            except RuntimeError:  # the loop closed meanwhile: we are shutting down
                pass

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            self._call(self.events.connecting)
            source = self._source = source_for(self.protocol, self.url, self.timeouts, self.transcode)
            reason, state = "stream ended", "offline"
            opened = False
            joiner = KeyframeJoiner(self.name)
            try:
                for packet in (p for received in source.packets() for p in joiner.feed(received)):
                    if self._stop.is_set():
                        break
                    if not opened:
                        opened, failures = True, 0
                        self._call(self.events.opened)
                    if packet.is_keyframe:
                        data = bytes(packet)
                        if not starts_picture(data):
                            # Joined in the middle of a keyframe: its first slices never came, so
                            # it is no picture to start viewers or snapshots from.
                            packet.is_keyframe = False
                        elif self.keyframe:
                            self.keyframe(data, source.extradata)
                    self._call(self.events.packet, packet)
            except CodecNotSupported as exc:
                reason, state = str(exc), "unsupported"
            except SourceError as exc:
                reason = str(exc)
            except Exception as exc:  # noqa: BLE001 - a camera must never kill the gateway
                reason = f"unexpected {type(exc).__name__}"
                log.exception("pull %s failed unexpectedly", self.name)
            finally:
                source.close()
                self._source = None
            if self._stop.is_set():
                break
            failures += 1
            self._call(self.events.failed, reason, state)
            self._stop.wait(retry_delay(failures, self.max_backoff))
