"""WebRTC cameras and media servers that publish WHEP: one aiortc peer connection per camera stream,
H.264 passed through without decoding.

aiortc depacketizes RTP into whole encoded frames and hands each to its receiver's decoder
thread through one queue. `EncodedFrameTap` takes that queue's place, so the frames come here as
H.264 (Annex B, as RTSP packets do) and the decoder thread never decodes anything: pulling a
camera over WHEP costs what relaying it does, not a decode. This leans on one private attribute of
aiortc's RTCRtpReceiver (its decoder queue, aiortc 1.16); `tap_receiver` fails loudly if a
new aiortc renames it, rather than silently decoding.

The URL may carry `user:password@` (sent as HTTP Basic) or a `?token=` (sent as a Bearer token,
the WHEP spec's own way); neither ever appears in a message.
"""

from __future__ import annotations

import asyncio
import base64
import fractions
import queue
import threading
from collections.abc import Callable, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import aiohttp
import av
from aiortc import RTCPeerConnection, RTCRtpReceiver, RTCSessionDescription
from yarl import URL

from ingest.cameras.h264 import IDR, nal_types
from ingest.cameras.source import SourceError, SourceTimeouts

VIDEO_CLOCK = fractions.Fraction(1, 90000)
FRAME_QUEUE = 300  # encoded frames waiting for the pull thread (20 s at 15 fps): never unbounded
_DECODER_QUEUE = "_RTCRtpReceiver__decoder_queue"


class EncodedFrameTap:
    """Stands in for an RTCRtpReceiver's decoder queue: passes encoded frames on, decodes nothing."""

    def __init__(self, on_frame: Callable[[bytes, int], None]):
        self.on_frame = on_frame
        self._ended = threading.Event()

    def put(self, task) -> None:
        """Called by the receiver (event loop) with (codec, encoded frame), or None when it stops."""
        if task is None:
            self._ended.set()
            return
        _codec, frame = task
        self.on_frame(frame.data, frame.timestamp)

    def get(self):
        """The idle decoder thread waits here until the receiver stops, then ends."""
        self._ended.wait()
        return None


def tap_receiver(receiver: RTCRtpReceiver, on_frame: Callable[[bytes, int], None]) -> None:
    """Replace the receiver's decoder queue by a tap (before the connection starts)."""
    if not hasattr(receiver, _DECODER_QUEUE):
        raise SourceError("this aiortc has no decoder queue to tap; WHEP passthrough needs aiortc 1.16's receiver")
    setattr(receiver, _DECODER_QUEUE, EncodedFrameTap(on_frame))


def _endpoint(url: str) -> tuple[str, dict[str, str]]:
    """The URL without credentials, and the Authorization header they become (Bearer or Basic)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    token = next((v for k, v in query if k == "token"), None)
    query = [(k, v) for k, v in query if k != "token"]
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif parts.username:
        pair = f"{parts.username}:{parts.password or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query), "")), headers


class Source:
    """One WHEP session to an upstream endpoint; `packets()` yields its H.264 frames as packets."""

    def __init__(self, url: str, timeouts: SourceTimeouts):
        self.url = url
        self.timeouts = timeouts
        self.extradata: bytes | None = None  # SPS/PPS travel in-band over WebRTC
        # Bounded by `_on_frame` (FRAME_QUEUE), so the end-of-session marks below never block the loop.
        self._frames: queue.Queue = queue.Queue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None

    def _on_frame(self, data: bytes, timestamp: int) -> None:
        if self._frames.qsize() >= FRAME_QUEUE:
            # The pull thread stopped reading: end the session rather than grow memory.
            self._frames.put_nowait(SourceError("the gateway fell behind the camera"))
            if self._stop is not None:
                self._stop.set()
            return
        self._frames.put_nowait((data, timestamp))

    async def _session(self) -> None:
        self._stop = asyncio.Event()
        url, headers = _endpoint(self.url)
        pc = RTCPeerConnection()
        location = None
        try:
            transceiver = pc.addTransceiver("video", direction="recvonly")
            codecs = RTCRtpReceiver.getCapabilities("video").codecs
            transceiver.setCodecPreferences([c for c in codecs if c.mimeType in ("video/H264", "video/rtx")])
            tap_receiver(transceiver.receiver, self._on_frame)

            @pc.on("connectionstatechange")
            def _state():
                if pc.connectionState in ("failed", "closed"):
                    self._frames.put(SourceError(f"WebRTC connection {pc.connectionState}"))

            await pc.setLocalDescription(await pc.createOffer())
            timeout = aiohttp.ClientTimeout(total=self.timeouts.open)
            async with aiohttp.ClientSession(timeout=timeout) as http:
                async with http.post(url, data=pc.localDescription.sdp,
                                     headers={**headers, "Content-Type": "application/sdp"}) as response:
                    if response.status != 201:
                        raise SourceError(f"the WHEP endpoint answered {response.status}")
                    answer = await response.text()
                    location = response.headers.get("Location")
                await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
                await self._stop.wait()
                if location:
                    try:
                        async with http.delete(str(URL(url).join(URL(location))), headers=headers):
                            pass
                    except (TimeoutError, aiohttp.ClientError):
                        pass  # the endpoint hangs the session up itself when ICE drops
        except SourceError as exc:
            self._frames.put(exc)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            self._frames.put(SourceError(f"cannot reach the WHEP endpoint ({type(exc).__name__})"))
        except Exception as exc:  # noqa: BLE001 - reported to the pull, which retries
            self._frames.put(SourceError(f"WHEP session failed ({type(exc).__name__})"))
        finally:
            await pc.close()
            self._frames.put(None)

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._session())
        finally:
            loop.close()

    def packets(self) -> Iterator[av.Packet]:
        """Start the session (in a thread of its own: aiortc needs an event loop) and yield its frames."""
        self._thread = threading.Thread(target=self._run, name="whep-session", daemon=True)
        self._thread.start()
        # Opening includes ICE and the first keyframe; afterwards each frame must come within `read`.
        wait = self.timeouts.open + self.timeouts.read
        try:
            while not self._closed.is_set():
                try:
                    item = self._frames.get(timeout=wait)
                except queue.Empty:
                    raise SourceError("no video from the WHEP endpoint") from None
                if item is None:
                    raise SourceError("the WHEP session ended")
                if isinstance(item, SourceError):
                    raise item
                data, timestamp = item
                wait = self.timeouts.read
                packet = av.Packet(data)
                packet.pts = packet.dts = timestamp
                packet.time_base = VIDEO_CLOCK
                packet.is_keyframe = IDR in nal_types(data)
                yield packet
        finally:
            self.close()

    def close(self) -> None:
        """Hang up the upstream session."""
        self._closed.set()
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(stop.set)
            except RuntimeError:
                pass
