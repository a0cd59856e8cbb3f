#!/usr/bin/python3
"""A real RTSP server (GStreamer's) that serves pre-encoded H.264 clips in a loop, as cameras do.

Run by Debian's own /usr/bin/python3, where python3-gi lives (not the project's venv):
    /usr/bin/python3 ingest/cameras/rtsp_server.py --port 8554 cam1=var/cameras/cam1.h264 cam1/sub=...
Each clip is an H.264 byte stream (no B-frames, short GOP, access unit delimiters); its frames are
pushed at their frame rate and looped forever, stamped live, so a client sees one endless live stream.
A clip named *.h265 is served as H.265, as some cameras send. `MOUNT=split-slices:FILE` serves an
H.264 clip the way a careless RTP packetiser does (SPS/PPS before every slice of a keyframe, which
the gateway joins back together). `MOUNT=corrupt-burst:FILE`
garbles a burst of frames in every loop, as a flaky link does; `MOUNT=drop-slice:FILE` loses the
second slice of every keyframe.
A mount `NAME=live-clock:WIDTHxHEIGHT` is a camera encoding live instead (x264 zerolatency, GOP 2 s;
`live-clock:WIDTHxHEIGHT:bframes` with B-frames, as some cameras send),
with the wall clock burned in twice: as text (clockoverlay) for people and as a row of 32 black or
white blocks across the top for programs (`clock_code`), which the latency benchmark reads back
from the browser's frames.
Standard library and gi only: this file never imports the project.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

AUD = b"\x00\x00\x00\x01\x09"  # access unit delimiter: x264 writes one before every frame
AUD_H265 = b"\x00\x00\x00\x01\x46\x01"  # the same in H.265 (NAL type 35)


def access_units(path: str) -> list[bytes]:
    """The frames of an H.264 (or, for *.h265, H.265) byte-stream file, split at its access unit delimiters."""
    aud = AUD_H265 if path.endswith(".h265") else AUD
    with open(path, "rb") as clip:
        data = clip.read()
    first, *rest = data.split(aud)
    if not rest:
        raise SystemExit(f"rtsp_server: {path}: not a byte stream with access unit delimiters")
    # x265 writes no delimiter before its very first frame.
    return ([first] if first else []) + [aud + unit for unit in rest]


BURST = range(20, 25)  # frames of each loop whose slice data arrive garbled


def corrupt_burst(frames: list[bytes]) -> list[bytes]:
    """The frames with a burst of them garbled, as a flaky link delivers them: the headers intact,
    the slice data after the first bytes overwritten (the same bytes every loop)."""
    import random

    garble = random.Random(14)
    out = list(frames)
    for i in BURST:
        if i < len(out):
            frame = bytearray(out[i])
            for start in range(64, len(frame), 97):
                frame[start:start + 24] = bytes(garble.randrange(256) for _ in range(24))
            out[i] = bytes(frame)
    return out


def drop_keyframe_slice(frames: list[bytes]) -> list[bytes]:
    """The frames with the second slice of every keyframe missing, as from a camera whose encoder or
    link loses part of a picture: a band of every picture stays empty until the next keyframe."""
    out = []
    for frame in frames:
        starts = [i for i in range(len(frame) - 3) if frame[i:i + 3] == b"\x00\x00\x01"]
        slices = [i for i in starts if frame[i + 3] & 0x1F == 5]
        if len(slices) >= 2:
            begin = slices[1] - (1 if slices[1] and frame[slices[1] - 1] == 0 else 0)
            later = [i for i in starts if i > slices[1]]
            end = (later[0] - (1 if frame[later[0] - 1] == 0 else 0)) if later else len(frame)
            frame = frame[:begin] + frame[end:]
        out.append(frame)
    return out


class LoopingClip:
    """Feeds one clip's frames into a shared media's appsrc in real time, looping, until unprepared."""

    def __init__(self, frames: list[bytes], fps: int):
        self.frames = frames
        self.fps = fps

    def attach(self, factory, media) -> None:
        """Start feeding the appsrc of a freshly configured media (factory `media-configure`)."""
        push_paced(media, "clip", self.fps, lambda n: self.frames[n % len(self.frames)])


def push_paced(media, source: str, fps: int, frame_at) -> None:
    """Feed the media's appsrc `source` with `frame_at(n)` at `fps`, from a thread, until unprepared.

    Paced by the wall clock and stamped by appsrc (do-timestamp) at push: the stream is live,
    exactly like a camera's; a client joining later just starts at "now".
    """
    import collections
    import threading

    from gi.repository import Gst

    appsrc = media.get_element().get_by_name(source)
    stop = threading.Event()
    media.connect("unprepared", lambda *_: stop.set())

    def feed():
        # The encoder reads a wrapped buffer later, in its own thread: keep recent bytes alive.
        recent = collections.deque(maxlen=4 * fps)
        period = 1.0 / fps
        start = time.monotonic()
        n = 0
        while not stop.is_set():
            data = frame_at(n)
            recent.append(data)
            buf = Gst.Buffer.new_wrapped(data)
            buf.duration = Gst.SECOND // fps
            if appsrc.emit("push-buffer", buf) != Gst.FlowReturn.OK:
                break
            n += 1
            delay = start + n * period - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -1:  # fell far behind (the process was stopped): resume, do not burst
                start = time.monotonic() - n * period

    threading.Thread(target=feed, daemon=True).start()


CLOCK_BITS = 32
CLOCK_BAND = 48  # pixel rows of the block code: survives x264 at any sane bitrate
CLOCK_SYNC = 0b1010  # the top 4 bits, so a reader knows it found a code


def clock_code(ms_of_day: int) -> int:
    """The 32-bit code of a time: sync bits then milliseconds since midnight UTC (27 bits)."""
    return (CLOCK_SYNC << 28) | (ms_of_day & 0x0FFFFFFF)


class LiveClock:
    """A live camera: raw frames with the current time as a block code, encoded as they are made."""

    def __init__(self, width: int, height: int, fps: int, bframes: int = 0):
        self.width, self.height, self.fps = width, height, fps
        self.bframes = bframes  # B-frames as some cameras send (main profile, frames out of order)
        block = width // CLOCK_BITS
        self.blocks = (bytes([16]) * block, bytes([235]) * block)  # studio-range black and white
        self.pad = bytes([16]) * (width - block * CLOCK_BITS)
        self.rest = bytes([80]) * (width * (height - CLOCK_BAND))
        self.chroma = bytes([128]) * (2 * (width // 2) * (height // 2))

    def frame(self, now: float) -> bytes:
        """One I420 frame showing `now` (seconds since the epoch) as a block code."""
        code = clock_code(int(now * 1000) % 86_400_000)
        row = b"".join(self.blocks[(code >> (CLOCK_BITS - 1 - i)) & 1] for i in range(CLOCK_BITS)) + self.pad
        return row * CLOCK_BAND + self.rest + self.chroma

    def attach(self, factory, media) -> None:
        """Start pushing frames into a freshly configured media's appsrc, paced by the wall clock."""
        push_paced(media, "clock", self.fps, lambda n: self.frame(time.time()))

    def pipeline(self) -> str:
        """Raw frames -> text clock -> x264 (no lookahead, keyframe every 2 s) -> RTP.

        Four slices per frame, as many real cameras send (threads=1 with an explicit count: the
        same slices on any machine). No B-frames unless asked for (zerolatency forbids them)."""
        if self.bframes:
            encoder = (f"x264enc speed-preset=ultrafast bframes={self.bframes} b-adapt=false rc-lookahead=0 "
                       f"key-int-max={2 * self.fps} threads=1 option-string=slices=4 "
                       f"bitrate={2000 if self.height >= 720 else 600} aud=true ! video/x-h264,profile=main")
        else:
            encoder = (f"x264enc tune=zerolatency speed-preset=ultrafast bframes=0 key-int-max={2 * self.fps} "
                       f"threads=1 option-string=slices=4 bitrate={2000 if self.height >= 720 else 600} aud=true "
                       f"! video/x-h264,profile=constrained-baseline")
        return (f"( appsrc name=clock is-live=true do-timestamp=true format=time "
                f"caps=video/x-raw,format=I420,width={self.width},height={self.height},framerate={self.fps}/1 "
                f"! clockoverlay time-format=\"%H:%M:%S\" valignment=bottom halignment=right "
                f"font-desc=\"Sans Mono {max(12, self.height // 20)}\" shaded-background=true "
                f"! {encoder} ! {PAYLOAD} )")


# What goes between an H.264 source and the RTP payloader. h264parse repeats SPS/PPS ahead of each
# IDR picture (config-interval=-1: a client joining mid-stream can decode from the next keyframe) and
# hands the payloader whole access units. The payloader itself must not insert them: given
# NAL-aligned input, rtph264pay (GStreamer 1.22) puts SPS/PPS before *every* IDR slice, so a
# keyframe of several slices reaches the client as [SPS PPS slice 1][SPS PPS slice 2]...; a
# parameter set ends an access unit, so decoders (FFmpeg, Chromium) split the keyframe into
# pictures of one slice each, and every frame until the next keyframe lacked the other slices
# (the top 40-50 % of the picture solid green).
PAYLOAD = ("h264parse config-interval=-1 ! video/x-h264,stream-format=byte-stream,alignment=au "
           "! rtph264pay name=pay0 pt=96 config-interval=0")


# A payloader given single NAL units that inserts SPS/PPS itself: every slice of a keyframe gets
# its own copy, which splits the keyframe for every decoder (kept only to play such a camera).
SPLIT_SLICES = ("h264parse ! video/x-h264,stream-format=byte-stream,alignment=nal "
                "! rtph264pay name=pay0 pt=96 config-interval=-1")
PAYLOAD_H265 = ("h265parse config-interval=-1 ! video/x-h265,stream-format=byte-stream,alignment=au "
                "! rtph265pay name=pay0 pt=96")


def _pipeline(fps: int, codec: str = "h264", payload: str = PAYLOAD) -> str:
    return (f"( appsrc name=clip is-live=true do-timestamp=true format=time "
            f"caps=video/x-{codec},stream-format=byte-stream,alignment=au,framerate={fps}/1 "
            f"! {payload} )")


def main() -> int:
    """Serve each MOUNT=FILE at rtsp://HOST:PORT/MOUNT until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--fps", type=int, default=15)
    parser.add_argument("--user", help="require this RTSP user (with --password), as real cameras do")
    parser.add_argument("--password")
    parser.add_argument("mounts", nargs="+", help="MOUNT=FILE, e.g. cam1=var/cameras/cam1.h264")
    args = parser.parse_args()

    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import GLib, Gst, GstRtspServer

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    if args.user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password or ""), token)
        server.set_auth(auth)
    for spec in args.mounts:
        mount, sep, path = spec.partition("=")
        if not sep or not mount or not path:
            parser.error(f"'{spec}' is not MOUNT=FILE")
        factory = GstRtspServer.RTSPMediaFactory()
        if path.startswith("live-clock:"):
            size, _, options = path.partition(":")[2].partition(":")
            width, _, height = size.partition("x")
            source = LiveClock(int(width), int(height), args.fps, bframes=2 if options == "bframes" else 0)
            factory.set_launch(source.pipeline())
        elif path.startswith("corrupt-burst:"):
            path = path.partition(":")[2]
            source = LoopingClip(corrupt_burst(access_units(path)), args.fps)
            factory.set_launch(_pipeline(args.fps))
        elif path.startswith("drop-slice:"):
            path = path.partition(":")[2]
            source = LoopingClip(drop_keyframe_slice(access_units(path)), args.fps)
            factory.set_launch(_pipeline(args.fps))
        elif path.startswith("split-slices:"):
            path = path.partition(":")[2]
            source = LoopingClip(access_units(path), args.fps)
            factory.set_launch(_pipeline(args.fps, payload=SPLIT_SLICES))
        elif path.endswith(".h265"):
            source = LoopingClip(access_units(path), args.fps)
            factory.set_launch(_pipeline(args.fps, "h265", PAYLOAD_H265))
        else:
            source = LoopingClip(access_units(path), args.fps)
            factory.set_launch(_pipeline(args.fps))
        factory.connect("media-configure", source.attach)
        # One pipeline per mount however many clients: a camera has one encoder too.
        factory.set_shared(True)
        if args.user:
            permissions = GstRtspServer.RTSPPermissions()
            for permission in (GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS,
                               GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT):
                permissions.add_permission_for_role("viewer", permission, True)
            factory.set_permissions(permissions)
        mounts.add_factory("/" + mount.strip("/"), factory)
    if server.attach(None) == 0:
        print(f"rtsp_server: cannot listen on {args.host}:{args.port}", file=sys.stderr)
        return 2
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(f"rtsp_server: listening on rtsp://{args.host}:{args.port}/ ({len(args.mounts)} mounts)", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
