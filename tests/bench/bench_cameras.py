"""Camera benchmarks: gateway CPU per relayed viewer-stream against decoding everything,
time to first frame for a new viewer, and glass-to-glass latency read back from browser frames.

Over 450 lines: three measurements of one camera path share its set-up and its integrity checks.

    .venv/bin/python tests/bench/bench_cameras.py cpu [--cameras 1 8 16] [--seconds 20]
    .venv/bin/python tests/bench/bench_cameras.py browser [--trials 20] [--seconds 30]
    .venv/bin/python tests/bench/bench_cameras.py transcode [--seconds 10]

cpu: one GStreamer RTSP server with N 720p (plus 360p sub) cameras, the gateway as `run.py video`
runs it, and one WHEP viewer per camera on the main stream. Viewers are aiortc peers whose
receivers are tapped (ingest/cameras/whep.py), so this process decodes nothing and leaves the CPU
to the gateway. Gateway CPU comes from /proc: idle (health pulls only) and with the viewers; the
difference over N is the cost of one relayed 720p viewer-stream (its main pull included). The
baseline, in the same run, decodes every frame of the same N main streams with PyAV.

browser: a live-encoded camera (x264 zerolatency, GOP 2 s, the wall clock as a 32-block code in
the top rows: ingest/cameras/rtsp_server.py `live-clock`) through the gateway and the dashboard's
/whep route into headless Chromium with the wall's own player (assets/cctv/whep-client.js).
Time to first frame: a new player, to its first presented frame (requestVideoFrameCallback), at a
random point of the GOP. Glass-to-glass: each presented frame is drawn to a canvas, its code read
back, and compared with the moment it is displayed (same machine clock).

Integrity, on every sampled frame: cpu mode takes 8 decoded frames of each camera (up to 4) from a
WHEP viewer of the gateway after measuring and compares each with its clip frame (SSIM >= 0.9,
tests/support/camera_integrity.py). browser mode keeps each first frame and every 10th glass-to-glass frame
and compares it with the picture the live camera drew for that code (the blocks on flat grey; the
clock text at the bottom left out), and looks for the decoder's green of missing slices.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import av  # noqa: E402
import yaml  # noqa: E402

from core.redis import EmbeddedRedis, free_port  # noqa: E402
from ingest.cameras.demo_cameras import demo_clips, start_rtsp_server, wait_listening  # noqa: E402
from ingest.cameras.rtsp_server import CLOCK_BAND, CLOCK_BITS, CLOCK_SYNC  # noqa: E402
from ingest.cameras.snapshot import damage_of  # noqa: E402
from tests.support.camera_integrity import SSIM_MIN, SourceClip, ssim, whep_frames  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
FPS = 15
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--autoplay-policy=no-user-gesture-required", "--disable-features=WebRtcHideLocalIpsWithMdns"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its threads so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def cpu_share(pid: int, seconds: float) -> float:
    """Share of one core a process used over the next `seconds`."""
    c0, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - c0) / (time.monotonic() - t0)


def camera_entry(i: int, url: str, sub: str | None = None) -> dict:
    entry = {"name": f"Kamera uji {i}", "kab": "3673", "lat": -6.12, "lon": 106.15, "group": "uji",
             "protocol": "rtsp", "main": url}
    if sub:
        entry["sub"] = sub
    return entry


def gateway_auth() -> dict[str, str]:
    """The dashboard's token for the gateway (generated for this installation, as the gateway reads it)."""
    from core.credentials import local_secret

    return {"Authorization": f"Bearer {local_secret('video-token', ROOT / 'var' / 'secrets')}"}


class GatewayProcess:
    """The gateway as `run.py video` runs it, on a config of its own."""

    def __init__(self, folder: Path, cameras: dict, redis_url: str, origin: str = "http://127.0.0.1:1"):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = {"camera_groups": {"uji": {"roles": ["public"]}}, "cameras": cameras,
                  "video": {"host": "127.0.0.1", "port": self.port, "allowed_origin": origin, "linger": 30}}
        path = folder / f"video-{self.port}.yaml"
        path.write_text(yaml.safe_dump(config))
        self.log = (folder / f"video-{self.port}.log").open("w")
        self.process = subprocess.Popen([sys.executable, "-m", "ingest.cameras.gateway", str(path)], cwd=ROOT,
                                        env=dict(os.environ, REDIS_URL=redis_url), stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.wait_live(list(cameras), 30)

    def states(self) -> dict[str, str]:
        import json

        request = urllib.request.Request(self.base + "/cameras", headers=gateway_auth())
        with urllib.request.urlopen(request, timeout=3) as response:
            return {c["id"]: c["state"] for c in json.loads(response.read())["cameras"]}

    def wait_live(self, ids: list[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if all(s == "live" for s in self.states().values()):
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"cameras not live: {self.log.name}")

    def close(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def tapped_viewers(base: str, ids: list[str], seconds: float, measure) -> list[int]:
    """One non-decoding WHEP viewer per camera for `seconds`; `measure` runs in a thread meanwhile."""
    import aiohttp
    from aiortc import RTCPeerConnection, RTCRtpReceiver, RTCSessionDescription

    from ingest.cameras.whep import tap_receiver

    counts = [0] * len(ids)
    pcs = []
    async with aiohttp.ClientSession() as http:
        for n, cid in enumerate(ids):
            pc = RTCPeerConnection()
            tr = pc.addTransceiver("video", direction="recvonly")
            codecs = RTCRtpReceiver.getCapabilities("video").codecs
            tr.setCodecPreferences([c for c in codecs if c.mimeType in ("video/H264", "video/rtx")])

            def count(_data, _ts, n=n):
                counts[n] += 1

            tap_receiver(tr.receiver, count)
            await pc.setLocalDescription(await pc.createOffer())
            async with http.post(f"{base}/whep/{cid}?stream=main", data=pc.localDescription.sdp,
                                 headers={**gateway_auth(), "Content-Type": "application/sdp"}) as response:
                answer = await response.text()
            await pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))
            pcs.append(pc)
        await asyncio.sleep(3)  # connected, past the first GOP
        start = list(counts)
        result = await asyncio.to_thread(measure)
        frames = [c - s for c, s in zip(counts, start)]
        for pc in pcs:
            await pc.close()
    return result, frames


async def sampled_pictures(base: str, ids: list[str]) -> dict[str, list]:
    """8 decoded pictures of each camera's main stream from a WHEP viewer, after the measurement."""
    got = await asyncio.gather(*(whep_frames(base, cid, "main", 8) for cid in ids))
    return dict(zip(ids, got))


DECODE_ALL = """
import sys, threading, av
def run(url):
    c = av.open(url, options={"rtsp_transport": "tcp"})
    for _ in c.decode(video=0):
        pass
for url in sys.argv[1:]:
    threading.Thread(target=run, args=(url,), daemon=True).start()
threading.Event().wait()
"""


def bench_cpu(counts: list[int], seconds: float) -> None:
    clips = demo_clips(4, ROOT / "var" / "cameras" / "test-clips",
                       ["Simpang Ciceri", "Bundaran Cikokol", "Pelabuhan Merak", "Gerbang Tol Serang Timur"], seconds=6)
    sources = {mount: SourceClip(path) for mount, path in clips.items() if "/" not in mount}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        redis = EmbeddedRedis(folder / "redis").start()
        try:
            for n in counts:
                port = free_port()
                mounts = {}
                for i in range(1, n + 1):
                    k = (i - 1) % 4 + 1
                    mounts[f"c{i}"], mounts[f"c{i}/sub"] = clips[f"cam{k}"], clips[f"cam{k}/sub"]
                server = start_rtsp_server(mounts, port)
                wait_listening(server)
                url = f"rtsp://127.0.0.1:{port}"
                cameras = {f"c{i}": camera_entry(i, f"{url}/c{i}", f"{url}/c{i}/sub") for i in range(1, n + 1)}
                gateway = GatewayProcess(folder, cameras, redis.url)
                try:
                    time.sleep(3)
                    idle = cpu_share(gateway.process.pid, seconds)
                    pid = gateway.process.pid
                    busy, frames = asyncio.run(tapped_viewers(gateway.base, list(cameras), seconds,
                                                              lambda pid=pid: cpu_share(pid, seconds)))
                    checked = list(cameras)[:4]
                    pictures = asyncio.run(sampled_pictures(gateway.base, checked))
                    # Camera c<i> plays clip cam<(i-1) % 4 + 1>; a frame without a readable code scores 0.
                    scores = [sources[f"cam{(i - 1) % 4 + 1}"].match(p).score
                              for i, cid in enumerate(checked, 1) for p in pictures[cid]]
                finally:
                    gateway.close()
                decoder = subprocess.Popen([sys.executable, "-c", DECODE_ALL,
                                            *[f"{url}/c{i}" for i in range(1, n + 1)]])
                try:
                    time.sleep(4)
                    decode = cpu_share(decoder.pid, seconds)
                finally:
                    decoder.kill()
                    decoder.wait()
                    server.terminate()
                    server.wait(5)
                per_viewer = (busy - idle) / n
                fps = statistics.mean(frames) / seconds
                print(f"{n:2d} cameras x 720p: gateway idle (health pulls) {idle * 100:5.1f} % of a core, "
                      f"with {n} viewers {busy * 100:5.1f} %; per relayed viewer-stream {per_viewer * 100:4.2f} % "
                      f"(all-in {busy / n * 100:4.2f} %); decode-everything {decode / n * 100:5.1f} % per camera; "
                      f"ratio decode/relay {decode / n / max(per_viewer, 1e-6):4.1f}x; viewers got {fps:4.1f} fps; "
                      f"integrity {sum(s >= SSIM_MIN for s in scores)}/{len(scores)} sampled frames SSIM >= "
                      f"{SSIM_MIN} (min {min(scores):.3f})", flush=True)
        finally:
            redis.stop()


TTFF_JS = """async (url) => {
  const video = document.createElement('video');
  video.muted = true; video.style.width = '640px'; document.body.appendChild(video);
  const t0 = performance.now();
  const player = new CctvWhepPlayer(video, url, {});
  player.start();
  const first = await new Promise((resolve) => {
    video.requestVideoFrameCallback((now, meta) => resolve(meta.presentationTime || now));
    setTimeout(() => resolve(null), 10000);
  });
  let shot = null;
  if (first !== null) {  // the first frame itself, for the integrity check
    const canvas = document.createElement('canvas');
    canvas.width = 320; canvas.height = 180;
    canvas.getContext('2d').drawImage(video, 0, 0, 320, 180);
    shot = canvas.toDataURL('image/png');
  }
  player.stop(); video.remove();
  return first === null ? null : [first - t0, shot];
}"""

G2G_JS = """async ([url, seconds]) => {
  const video = document.createElement('video');
  video.muted = true; video.style.width = '1280px'; document.body.appendChild(video);
  const player = new CctvWhepPlayer(video, url, {});
  player.start();
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const samples = []; const shots = []; let unread = 0; let n = 0;
  const small = document.createElement('canvas'); small.width = 320; small.height = 180;
  const onFrame = (now, meta) => {
    const shown = Date.now() + (meta.expectedDisplayTime - performance.now());
    const w = video.videoWidth;
    if (w) {
      if (canvas.width !== w) { canvas.width = w; canvas.height = 48; }
      ctx.drawImage(video, 0, 0, w, 48, 0, 0, w, 48);
      const row = ctx.getImageData(0, 24, w, 1).data;
      const block = Math.floor(w / 32);
      let code = 0;
      for (let i = 0; i < 32; i++) code = code * 2 + (row[4 * (i * block + (block >> 1))] > 128 ? 1 : 0);
      if (Math.floor(code / 2 ** 28) === 0xA) {
        let d = (shown % 86400000) - (code % 2 ** 28);
        if (d < -43200000) d += 86400000;
        samples.push(d);
      } else unread += 1;
      if (n++ % 10 === 0) {
        small.getContext('2d').drawImage(video, 0, 0, 320, 180);
        shots.push(small.toDataURL('image/png'));
      }
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  player.stop(); video.remove();
  return {samples, unread, shots};
}"""


def clock_picture_check(data_url: str) -> tuple[float, str]:
    """(SSIM, damage) of a live-clock frame (320x180 from the browser) against the picture the camera
    drew for the code it carries: the block row on flat grey, the clock text (bottom) left out."""
    import base64

    import cv2
    import numpy as np

    shot = cv2.imdecode(np.frombuffer(base64.b64decode(data_url.split(",", 1)[1]), np.uint8), cv2.IMREAD_COLOR)
    grey = cv2.cvtColor(shot, cv2.COLOR_BGR2GRAY)
    h, w = grey.shape
    band = round(CLOCK_BAND * h / 720)
    block = w / CLOCK_BITS
    code = 0
    for i in range(CLOCK_BITS):
        code = code * 2 + (1 if grey[band // 2, int(i * block + block / 2)] > 128 else 0)
    if code >> 28 != CLOCK_SYNC:
        return 0.0, f"no clock code (mean grey {grey.mean():.0f})"
    # Studio-range levels the camera drew (16, 235, 80), as a browser shows them (full range).
    reference = np.full((h, w), round((80 - 16) * 255 / 219), np.uint8)
    for i in range(CLOCK_BITS):
        bit = (code >> (CLOCK_BITS - 1 - i)) & 1
        reference[:band, int(i * block):int((i + 1) * block)] = 255 if bit else 0
    reference[:band, int(CLOCK_BITS * block):] = 0
    keep = int(h * 0.8)  # the clock text lies in the bottom rows
    return ssim(grey[:keep], reference[:keep]), damage_of(shot)


def bench_browser(trials: int, seconds: float) -> None:
    from playwright.sync_api import sync_playwright

    from core.cameras import CameraConfig, CameraGroup
    from core.config import load_config
    from dashboard.app import create_app
    from tests.support.app import serve, signed_in, with_test_users, write_test_users

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        redis = EmbeddedRedis(folder / "redis").start()
        port = free_port()
        server = start_rtsp_server({"clock": "live-clock:1280x720"}, port)
        wait_listening(server)
        url = f"rtsp://127.0.0.1:{port}/clock"
        dash_port = free_port()
        origin = f"http://127.0.0.1:{dash_port}"
        gateway = GatewayProcess(folder, {"jam": camera_entry(1, url)}, redis.url, origin)
        config = load_config(ROOT / "config.yaml")
        config = config.model_copy(update={
            "cameras": {"jam": CameraConfig(name="Jam", kab="3673", lat=-6.12, lon=106.15, group="uji", main=url)},
            "camera_groups": {"uji": CameraGroup(roles=["public", "admin"])},
            "video": config.video.model_copy(update={"port": gateway.port, "allowed_origin": origin,
                                                     "demo_cameras": 0})})
        config = with_test_users(config, write_test_users(folder / "users.yaml"))
        try:
            with serve(create_app(config, redis.url), dash_port) as base, sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = signed_in(browser.new_context(viewport={"width": 1400, "height": 900}), base).new_page()
                page.goto(base + "/")
                page.wait_for_function("() => window.CctvWhepPlayer !== undefined")
                whep = f"{base}/whep/jam?stream=main"
                page.evaluate(TTFF_JS, whep)  # warm-up: Chromium's first WebRTC setup
                times, checks = [], []
                for _ in range(trials):
                    time.sleep(random.uniform(0.2, 2.2))  # join anywhere in the 2 s GOP
                    got = page.evaluate(TTFF_JS, whep)
                    if got is not None:
                        times.append(got[0])
                        checks.append(clock_picture_check(got[1]))
                print(f"time to first frame (new viewer, GOP 2 s, {len(times)}/{trials} trials): "
                      f"p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 95):.0f} ms, "
                      f"max {max(times):.0f} ms; {integrity(checks)}", flush=True)
                result = page.evaluate(G2G_JS, [whep, seconds])
                lat = result["samples"]
                checks = [clock_picture_check(shot) for shot in result["shots"]]
                print(f"glass-to-glass (live x264 zerolatency 720p{FPS}, 4 slices, {len(lat)} frames read, "
                      f"{result['unread']} unreadable): p50 {statistics.median(lat):.0f} ms, "
                      f"p95 {percentile(lat, 95):.0f} ms, max {max(lat):.0f} ms; {integrity(checks)}", flush=True)
                browser.close()
        finally:
            gateway.close()
            server.terminate()
            server.wait(5)
            redis.stop()


def bench_transcode(seconds: float) -> None:
    """CPU of one H.265 camera stream re-encoded to H.264 (`transcode: true`) against demuxing it
    alone, in this process (the pull's own work), at 360p and 720p."""
    from ingest.cameras.demo_cameras import ClipSpec, clip_file, encode_clip
    from ingest.cameras.source import SourceTimeouts, source_for

    folder = ROOT / "var" / "cameras" / "test-clips"
    specs = {"360p": ClipSpec("Kamera H.265", 640, 360, "ball", 4, codec="h265"),
             "720p": ClipSpec("Kamera H.265", 1280, 720, "smpte", 6, codec="h265")}
    clips = {size: encode_clip(spec, clip_file(folder, "h265", spec)) for size, spec in specs.items()}
    port = free_port()
    server = start_rtsp_server(clips, port)
    wait_listening(server)
    try:
        for size in clips:
            shares = {}
            for transcode in (False, True):
                # The plain pull refuses H.265 (that is its point): demux it by hand for the baseline.
                container = None if transcode else av.open(f"rtsp://127.0.0.1:{port}/{size}",
                                                           options={"rtsp_transport": "tcp"})
                source = source_for("rtsp", f"rtsp://127.0.0.1:{port}/{size}", SourceTimeouts(), transcode)
                packets = source.packets() if transcode else container.demux(container.streams.video[0])
                for n, _ in enumerate(packets):
                    if n == FPS:  # past opening and the first keyframe
                        c0, t0 = time.process_time(), time.monotonic()
                    if n >= FPS * (1 + seconds):
                        break
                shares[transcode] = (time.process_time() - c0) / (time.monotonic() - t0)
                source.close()
                if container is not None:
                    container.close()
            print(f"H.265 {size}{FPS}: demux only {shares[False] * 100:4.1f} % of a core, "
                  f"decode + x264 ultrafast {shares[True] * 100:4.1f} %", flush=True)
    finally:
        server.terminate()
        server.wait(5)


def integrity(checks: list[tuple[float, str]]) -> str:
    """How many sampled frames were whole: SSIM >= 0.9 and no decoder green."""
    whole = sum(score >= SSIM_MIN and not damage for score, damage in checks)
    low = min((score for score, _ in checks), default=0.0)
    broken = [f"{score:.3f} {damage}".strip() for score, damage in checks if score < SSIM_MIN or damage]
    return (f"integrity {whole}/{len(checks)} sampled frames whole (SSIM min {low:.3f})"
            + (f"; not whole: {broken}" if broken else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    cpu = sub.add_parser("cpu")
    cpu.add_argument("--cameras", type=int, nargs="+", default=[1, 8, 16])
    cpu.add_argument("--seconds", type=float, default=20)
    browser = sub.add_parser("browser")
    browser.add_argument("--trials", type=int, default=20)
    browser.add_argument("--seconds", type=float, default=30)
    transcode = sub.add_parser("transcode")
    transcode.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    print(f"{platform.node()} ({os.cpu_count()} cores, {platform.processor() or platform.machine()}), "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.2f}", flush=True)
    if args.what == "cpu":
        bench_cpu(args.cameras, args.seconds)
    elif args.what == "transcode":
        bench_transcode(args.seconds)
    else:
        bench_browser(args.trials, args.seconds)


if __name__ == "__main__":
    main()
