"""Every frame arrives whole: read from the RTSP server (TCP and UDP) and through the gateway (from
RTSP and from an HLS portal), each sampled frame matches its source clip frame (SSIM >= 0.9), for
1, 4 and 8 slices per frame, main stream and substream."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
from concurrent.futures import ThreadPoolExecutor

import av
import pytest

from ingest.cameras.demo_cameras import demo_clips, start_rtsp_server, wait_listening
from ingest.cameras.h264 import starts_picture
from tests.support.camera_integrity import SourceClip, picture_of, whep_frames
from tests.support.cameras import NAMES, ROOT, PageServer, free_port

SLICES = (1, 4, 8)
VARIANTS = {"main": "", "sub": "/sub"}
FRAMES = 8  # sampled per stream, from a keyframe on


@pytest.fixture(scope="module")
def sliced(clips):
    """Clips of one camera with 1, 4 and 8 slices per frame, served by one GStreamer RTSP server."""
    folder = ROOT / "var" / "cameras" / "test-clips"
    mounts = {4: clips}
    for slices in (1, 8):
        mounts[slices] = demo_clips(1, folder, NAMES, seconds=6, slices=slices)
    served = {f"s{n}{suffix}": mounts[n][f"cam1{suffix}"] for n in SLICES for suffix in VARIANTS.values()}
    sources = {mount: SourceClip(path) for mount, path in served.items()}
    port = free_port()
    server = start_rtsp_server(served, port)
    wait_listening(server)
    yield f"rtsp://127.0.0.1:{port}", sources
    server.terminate()
    server.wait(5)


def pull_frames(url: str, transport: str, count: int) -> list:
    """`count` decoded pictures from the first whole keyframe on, over a session set up again once
    when the first gets nothing within the read timeout: of twelve sessions set up at once on the
    one server, one now and then does, and a real client would set up again too. Whatever arrives
    is judged whole or not; a stream that never comes still fails."""
    try:
        return _pull_frames(url, transport, count)
    except av.error.ExitError:  # the read timeout: this session received nothing more
        return _pull_frames(url, transport, count)


def _pull_frames(url: str, transport: str, count: int) -> list:
    """The server's media is shared: a client may join in the middle of a GOP, even of a frame, and
    what comes before the next keyframe's first slice has no reference to decode from (the gateway
    skips it too)."""
    # A 2 MB socket buffer over UDP, as a client on a busy machine should have: a 720p keyframe of
    # 8 slices is a burst of ~40 datagrams, and the default buffer overflows when the reader lags.
    options = {"rtsp_transport": transport, **({"buffer_size": str(2 << 20)} if transport == "udp" else {})}
    with av.open(url, options=options, timeout=(5, 5)) as container:
        stream = container.streams.video[0]
        frames: list = []
        started = False
        for packet in container.demux(stream):
            started = started or (packet.is_keyframe and starts_picture(bytes(packet)))
            if not started or not packet.size:
                continue
            frames += [picture_of(frame) for frame in stream.codec_context.decode(packet)]
            if len(frames) >= count:
                return frames[:count]
    return frames


def test_rtsp_server_delivers_whole_frames_over_tcp_and_udp(sliced):
    base, sources = sliced
    jobs = [(mount, transport) for mount in sources for transport in ("tcp", "udp")]
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(lambda job: pull_frames(f"{base}/{job[0]}", job[1], FRAMES), jobs))
    for (mount, transport), frames in zip(jobs, results):
        matches = [sources[mount].match(frame) for frame in frames]
        assert len(matches) == FRAMES, f"{mount} over {transport}: {len(matches)} frames"
        assert all(m.intact for m in matches), (mount, transport, matches)
        numbers = [m.number for m in matches]
        # Consecutive frames in order (the clip may loop once meanwhile).
        assert all((b - a) % len(sources[mount].frames) == 1 for a, b in itertools.pairwise(numbers)), numbers


async def test_gateway_relays_whole_frames_for_any_slice_count(sliced, gateway_factory):
    base, sources = sliced
    # Every slice count over TCP (the default), and the worst case, 8 slices, over UDP too.
    pulls = [(f"s{n}", n, "rtsp") for n in SLICES] + [("udp8", 8, "rtsp_udp")]
    cameras = {cid: {"name": f"Irisan {n}", "kab": "3673", "lat": -6.12, "lon": 106.15, "group": "dishub",
                     "protocol": protocol, "main": f"{base}/s{n}", "sub": f"{base}/s{n}/sub"}
               for cid, n, protocol in pulls}
    gateway = gateway_factory([], extra_cameras=cameras)
    await asyncio.to_thread(gateway.wait_states, {cid: {"live"} for cid in cameras}, 15)
    jobs = [(cid, n, variant) for cid, n, _ in pulls for variant in VARIANTS]
    results = await asyncio.gather(*(whep_frames(gateway.base, cid, variant, FRAMES) for cid, _, variant in jobs))
    for (cid, n, variant), frames in zip(jobs, results):
        source = sources[f"s{n}" + VARIANTS[variant]]
        matches = [source.match(frame) for frame in frames]
        assert all(m.intact for m in matches), (cid, variant, matches)


class HlsPortal:
    """A camera portal that restreams an RTSP camera as HLS (GStreamer's hlssink2, 1 s segments),
    served over HTTP, as many public CCTV sites publish."""

    def __init__(self, rtsp_url: str, folder):
        self.folder = folder
        self.log = folder / "portal.log"
        self.process = subprocess.Popen(
            ["gst-launch-1.0", "-q", "rtspsrc", f"location={rtsp_url}", "latency=0", "protocols=tcp", "!",
             "rtph264depay", "!", "h264parse", "!", "hlssink2", "target-duration=1", "playlist-length=3",
             "max-files=6", "send-keyframe-requests=false", f"location={folder}/segmen%05d.ts",
             f"playlist-location={folder}/live.m3u8"], stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        self.files = PageServer(folder)

    @property
    def url(self) -> str:
        return f"{self.files.origin}/live.m3u8"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(5)
        self.files.close()


async def test_gateway_relays_whole_frames_from_an_hls_portal(sliced, gateway_factory, tmp_path):
    base, sources = sliced
    portal = HlsPortal(f"{base}/s8/sub", tmp_path)
    try:
        gateway = gateway_factory([], extra_cameras={"portal": {
            "name": "Portal HLS", "kab": "3673", "lat": -6.12, "lon": 106.15, "group": "dishub",
            "protocol": "hls", "main": portal.url}})
        try:
            await asyncio.to_thread(gateway.wait_states, {"portal": {"live"}}, 30)
        except AssertionError as exc:
            files = sorted(p.name for p in tmp_path.iterdir())
            raise AssertionError(f"{exc}; portal files {files}; {portal.log.read_text()[-800:]}") from None
        matches = [sources["s8/sub"].match(p) for p in await whep_frames(gateway.base, "portal", "main", FRAMES)]
        assert all(m.intact for m in matches), matches
    finally:
        portal.close()
