"""Simulated cameras: clips encoded at first run into var/, served by a real RTSP server (GStreamer).

Each clip is a moving test pattern with the camera's name and a running clock burned in, and each
frame's number as a block code (frame_code.py) so tests can match any copy of a frame with its
source. Encoded as real cameras send: H.264 without B-frames, a keyframe every second, several
slices per frame, 720p main stream and a 360p substream. The RTSP server is Debian's GStreamer one, run by
/usr/bin/python3 (where python3-gi lives) as a child process.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.cameras import frame_code

log = logging.getLogger("video.demo")

SYSTEM_PYTHON = "/usr/bin/python3"
SERVER_SCRIPT = Path(__file__).with_name("rtsp_server.py")
# What `apt-get install` needs for the simulated cameras (and the camera tests).
DEBIAN_PACKAGES = ("gstreamer1.0-rtsp", "gir1.2-gst-rtsp-server-1.0", "python3-gi", "gstreamer1.0-tools",
                   "gstreamer1.0-plugins-base", "gstreamer1.0-plugins-good", "gstreamer1.0-plugins-bad",
                   "gstreamer1.0-plugins-ugly", "gstreamer1.0-libav")
PATTERNS = ("ball", "smpte", "pinwheel", "spokes", "gamut", "circular", "bar", "checkers-8")
FPS = 15
DEMO_USER, DEMO_PASSWORD = "demo", "demo-kamera"
# The province's own cameras in the simulated e-CCTV listing (ingest/demo/cctv.py): (mount, name).
# The gateway finds them through the listing, not config; 360p only, the cheapest to pull.
LISTED_CAMERAS = (("daftar1", "KP3B - Gerbang Utama"), ("daftar2", "Jl. Syech Nawawi Al-Bantani (KP3B)"))


def listed_stream_url(mount: str, port: int, host: str = "127.0.0.1") -> str:
    """The address the simulated listing gives for one of its cameras (credentials in it, as real ones do)."""
    return f"rtsp://{DEMO_USER}:{DEMO_PASSWORD}@{host}:{port}/{mount}"


class DemoCamerasUnavailable(RuntimeError):
    """GStreamer or its RTSP server is missing; the message says what to install."""


@dataclass(frozen=True)
class ClipSpec:
    """One clip to encode: the text burned in, its size, the test pattern and its length."""

    name: str
    width: int
    height: int
    pattern: str = "ball"
    seconds: int = 20
    fps: int = FPS
    gop: int = FPS  # one keyframe a second
    slices: int = 4  # slices per frame: many real cameras send several
    codec: str = "h264"  # or "h265", as some cameras send (the gateway relays H.264 only)
    first_number: int = 0  # the frame code of the first frame (clips joined end to end stay unique)


def missing_tools() -> list[str]:
    """What is missing to encode and serve the clips (empty when all is there)."""
    missing = []
    if not shutil.which("gst-launch-1.0"):
        missing.append("gst-launch-1.0 (gstreamer1.0-tools)")
    probe = [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', '1.0'); "
             "from gi.repository import GstRtspServer"]
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run(probe, capture_output=True).returncode != 0:
        missing.append("GStreamer RTSP server for /usr/bin/python3 (gir1.2-gst-rtsp-server-1.0, python3-gi)")
    return missing


def encode_clip(spec: ClipSpec, path: Path) -> Path:
    """Encode a clip (H.264 byte stream, no B-frames, AUD before each frame) unless it is there.

    GStreamer draws the pattern, the name and the clip's clock; this process stamps each frame's
    number as a block code (ingest/cameras/frame_code.py) between drawing and encoding, so any copy
    of a frame can be matched with the clip's own frame and compared."""
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    font = max(12, spec.height // 24)
    band = frame_code.band_height(spec.height)
    text = spec.name.replace('"', "'")
    tmp = path.with_suffix(".part")
    draw = (
        f'videotestsrc pattern={spec.pattern} num-buffers={spec.seconds * spec.fps} '
        f'! video/x-raw,format=I420,width={spec.width},height={spec.height},framerate={spec.fps}/1 '
        f'! textoverlay text="{text}" valignment=top halignment=left ypad={band + 8} font-desc="Sans {font}" '
        f'shaded-background=true '
        f'! timeoverlay valignment=bottom halignment=right font-desc="Sans Mono {font}" shaded-background=true '
        f'! fdsink fd=1')
    # threads=1 and an explicit slice count: the same slices on any machine (sliced threads would
    # make as many slices as the encoding machine has cores).
    bitrate = 2000 if spec.height >= 720 else 500
    if spec.codec == "h265":
        encoder = (f'x265enc key-int-max={spec.gop} speed-preset=ultrafast tune=zerolatency bitrate={bitrate} '
                   f'option-string="aud=1:bframes=0:pools=1:frame-threads=1" '
                   f'! video/x-h265,stream-format=byte-stream,alignment=au')
    else:
        encoder = (f'x264enc bframes=0 key-int-max={spec.gop} speed-preset=veryfast tune=zerolatency aud=true '
                   f'threads=1 option-string=slices={spec.slices} bitrate={bitrate} '
                   f'! video/x-h264,profile=constrained-baseline,stream-format=byte-stream,alignment=au')
    encode = (f'fdsrc fd=0 ! rawvideoparse width={spec.width} height={spec.height} format=i420 '
              f'framerate={spec.fps}/1 ! {encoder} ! filesink location="{tmp}"')
    drawer = subprocess.Popen(["gst-launch-1.0", "-q", *_split(draw)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    encoder = subprocess.Popen(["gst-launch-1.0", "-q", *_split(encode)], stdin=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    y_size, c_size = spec.width * spec.height, (spec.width // 2) * (spec.height // 2)
    number = 0
    try:
        while len(raw := _read_exactly(drawer.stdout, y_size + 2 * c_size)) == y_size + 2 * c_size:
            frame = np.frombuffer(raw, np.uint8).copy()
            frame_code.stamp(frame[:y_size].reshape(spec.height, spec.width),
                             frame[y_size:y_size + c_size].reshape(spec.height // 2, spec.width // 2),
                             frame[y_size + c_size:].reshape(spec.height // 2, spec.width // 2),
                             spec.first_number + number)
            encoder.stdin.write(frame.tobytes())
            number += 1
    except BrokenPipeError:
        pass
    finally:
        encoder.stdin.close()
        drawer.wait()
        encoder.wait()
    if drawer.returncode or encoder.returncode or not number or not tmp.exists():
        errors = drawer.stderr.read().decode(errors="replace") + encoder.stderr.read().decode(errors="replace")
        raise DemoCamerasUnavailable(f"encoding {path.name} failed: {errors.strip()[-400:]}")
    tmp.rename(path)
    return path


def _read_exactly(stream, size: int) -> bytes:
    chunks, left = [], size
    while left and (chunk := stream.read(left)):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _split(pipeline: str) -> list[str]:
    import shlex

    return shlex.split(pipeline)


def clip_file(folder: Path, name: str, spec: ClipSpec) -> Path:
    """Where a clip is kept; the name carries what changes its bytes, so an older encoding is not reused."""
    gop = f"-gop{spec.gop}" if spec.gop != spec.fps else ""
    first = f"-from{spec.first_number}" if spec.first_number else ""
    return folder / f"{name}-{spec.height}p-{spec.slices}sl{gop}{first}-coded.{spec.codec}"


def demo_clips(count: int, folder: Path, names: list[str], seconds: int = 20, slices: int = 4) -> dict[str, Path]:
    """Mount -> clip file for `count` cameras: camN (720p) and camN/sub (360p), encoded if missing."""
    mounts = {}
    for i in range(count):
        name = names[i] if i < len(names) else f"Kamera {i + 1}"
        pattern = PATTERNS[i % len(PATTERNS)]
        for mount, (width, height) in ((f"cam{i + 1}", (1280, 720)), (f"cam{i + 1}/sub", (640, 360))):
            spec = ClipSpec(name, width, height, pattern, seconds, slices=slices)
            mounts[mount] = encode_clip(spec, clip_file(folder, f"cam{i + 1}", spec))
    return mounts


def listed_clips(folder: Path, seconds: int = 20) -> dict[str, Path]:
    """Mount -> 360p clip of each simulated listing camera, encoded if missing."""
    clips = {}
    for i, (mount, name) in enumerate(LISTED_CAMERAS):
        spec = ClipSpec(name, 640, 360, PATTERNS[(i + 4) % len(PATTERNS)], seconds)
        clips[mount] = encode_clip(spec, clip_file(folder, mount, spec))
    return clips


def start_rtsp_server(mounts: dict[str, Path], port: int, host: str = "127.0.0.1",
                      user: str | None = None, password: str | None = None) -> subprocess.Popen:
    """Start the GStreamer RTSP server serving each mount; returns the child process."""
    args = [SYSTEM_PYTHON, str(SERVER_SCRIPT), "--host", host, "--port", str(port), "--fps", str(FPS)]
    if user:
        args += ["--user", user, "--password", password or ""]
    args += [f"{mount}={path}" for mount, path in mounts.items()]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_listening(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Block until the server says it listens; raise with its output if it died."""
    import select
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DemoCamerasUnavailable(f"RTSP server exited: {process.stdout.read()[-400:]}")
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready and "listening" in process.stdout.readline():
            return
    raise DemoCamerasUnavailable("RTSP server did not start in time")


def serve_demo_cameras(count: int, folder: Path, port: int, names: list[str]) -> subprocess.Popen | None:
    """Encode (first run) and serve the simulated cameras; None with a clear log line if impossible."""
    missing = missing_tools()
    if missing:
        log.warning("demo cameras disabled: missing %s; install with: apt-get install %s",
                    ", ".join(missing), " ".join(DEBIAN_PACKAGES))
        return None
    try:
        mounts = demo_clips(count, folder, names)
        mounts.update(listed_clips(folder))
        process = start_rtsp_server(mounts, port, user=DEMO_USER, password=DEMO_PASSWORD)
        wait_listening(process)
    except DemoCamerasUnavailable as exc:
        log.warning("demo cameras disabled: %s", exc)
        return None
    log.info("demo cameras: %d on rtsp://127.0.0.1:%d/camN (720p) and /camN/sub (360p), %d more for the "
             "e-CCTV listing", count, port, len(LISTED_CAMERAS))
    return process


if __name__ == "__main__":  # encode and serve by hand: python -m ingest.cameras.demo_cameras 4
    logging.basicConfig(level=logging.INFO)
    proc = serve_demo_cameras(int(sys.argv[1]) if len(sys.argv) > 1 else 4, Path("var/cameras"), 8554, [])
    if proc:
        proc.wait()
