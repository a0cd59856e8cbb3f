"""Camera test fixtures: clips, one real GStreamer RTSP server per camera, the gateway as `run.py video`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from core.credentials import local_secret
from ingest.cameras.demo_cameras import (
    ClipSpec,
    clip_file,
    demo_clips,
    encode_clip,
    missing_tools,
    start_rtsp_server,
    wait_listening,
)

ROOT = Path(__file__).resolve().parents[2]
CAMERA_USER, CAMERA_PASSWORD = "operator", "Rahasia-Kamera-77"
# The gateway answers the dashboard's bearer token only: the one generated for this installation
# (config sets none), which the gateway under test and the dashboard under test both read.
GATEWAY_TOKEN = local_secret("video-token", ROOT / "var" / "secrets")
GATEWAY_AUTH = {"Authorization": f"Bearer {GATEWAY_TOKEN}"}
NAMES = ["Simpang Ciceri", "Bundaran Cikokol", "Pelabuhan Merak", "Gerbang Tol Serang Timur"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def clips():
    """Four 720p+360p test clips (encoded once into var/, never committed)."""
    if missing_tools():
        if os.environ.get("CI"):  # CI runs the camera tests always: a missing tool there fails, never skips
            pytest.fail(f"GStreamer RTSP server missing: {missing_tools()}; `python3 run.py test` installs it")
        pytest.skip(f"GStreamer RTSP server missing: {missing_tools()} (run.py test installs it)")
    return demo_clips(4, ROOT / "var" / "cameras" / "test-clips", NAMES, seconds=6)


class CameraServer:
    """One camera: a GStreamer RTSP server process of its own, so a test can kill or freeze it."""

    def __init__(self, index: int, mounts: dict[str, Path]):
        self.index = index
        self.port = free_port()
        self.mounts = {"main": mounts[f"cam{index}"], "main/sub": mounts[f"cam{index}/sub"]}
        self.process: subprocess.Popen | None = None

    def url(self, variant: str) -> str:
        path = "main" if variant == "main" else "main/sub"
        return f"rtsp://{CAMERA_USER}:{CAMERA_PASSWORD}@127.0.0.1:{self.port}/{path}"

    def start(self) -> CameraServer:
        self.process = start_rtsp_server(self.mounts, self.port, user=CAMERA_USER, password=CAMERA_PASSWORD)
        wait_listening(self.process)
        return self

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.thaw()
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def camera_servers(clips):
    """Four running cameras, stopped after the test."""
    servers = [CameraServer(i, clips).start() for i in range(1, 5)]
    yield servers
    for server in servers:
        server.stop()


class PageServer:
    """Serves the wall test page and assets/cctv from one origin (the one the gateway allows), or
    any other folder's files over HTTP."""

    def __init__(self, folder: Path = ROOT):
        self.port = free_port()
        handler = partial(_QuietHandler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def page_server():
    server = PageServer()
    yield server
    server.close()


class Gateway:
    """The video gateway (what `run.py video` runs) as a child process with a config naming the test cameras."""

    def __init__(self, tmp_path: Path, servers: list[CameraServer], redis_url: str, origin: str,
                 viewer_queue: int = 120, extra_cameras: dict | None = None, extra_config: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cameras = {}
        for server in servers:
            cameras[f"cam{server.index}"] = {
                "name": NAMES[server.index - 1], "kab": "3673", "lat": -6.12, "lon": 106.15, "group": "dishub",
                "protocol": "rtsp",
                # Credentials through the environment, as a real site writes them.
                "main": server.url("main").replace(CAMERA_PASSWORD, "${TEST_CAMERA_PASSWORD}"),
                "sub": server.url("sub").replace(CAMERA_PASSWORD, "${TEST_CAMERA_PASSWORD}"),
            }
        cameras.update(extra_cameras or {})
        config = {
            "camera_groups": {"dishub": {"roles": ["public", "operator"]}},
            "cameras": cameras,
            "video": {"host": "127.0.0.1", "port": self.port, "allowed_origin": origin, "stall_after": 1.5,
                      "max_backoff": 2, "snapshot_every": 1, "frozen_after": 3, "linger": 2,
                      "viewer_queue": viewer_queue},
        }
        for key, value in (extra_config or {}).items():  # e.g. feeds, video.listings, camera_groups
            if isinstance(value, dict) and isinstance(config.get(key), dict):
                config[key] = {**config[key], **value}
            else:
                config[key] = value
        self.config_path = tmp_path / f"config-{self.port}.yaml"
        self.config_path.write_text(yaml.safe_dump(config))
        env = dict(os.environ, REDIS_URL=redis_url, TEST_CAMERA_PASSWORD=CAMERA_PASSWORD, PYTHONUNBUFFERED="1")
        self.log_path = tmp_path / f"video-{self.port}.log"
        self.process = subprocess.Popen([sys.executable, "-m", "ingest.cameras.gateway", str(self.config_path)],
                                        env=env, cwd=ROOT,
                                        stdout=self.log_path.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.get("/healthz")
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gateway exited: {self.log_path.read_text()[-2000:]}") from None
                time.sleep(0.2)
        raise RuntimeError("gateway did not start")

    def get(self, path: str) -> dict:
        request = urllib.request.Request(self.base + path, headers=GATEWAY_AUTH)
        with urllib.request.urlopen(request, timeout=3) as response:
            return json.loads(response.read())

    def states(self) -> dict[str, str]:
        return {c["id"]: c["state"] for c in self.get("/cameras")["cameras"]}

    def wait_states(self, want: dict[str, set[str]], timeout: float) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        states = {}
        while time.monotonic() < deadline:
            states = self.states()
            if all(states.get(cid) in ok for cid, ok in want.items()):
                return states
            time.sleep(0.2)
        raise AssertionError(f"camera states {states}, wanted {want}")

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def close(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def gateway_factory(tmp_path, redis_url):
    """Start gateways over given camera servers; all stopped after the test."""
    started = []

    def start(servers, origin="http://127.0.0.1:1", **kwargs) -> Gateway:
        gateway = Gateway(tmp_path, servers, redis_url, origin, **kwargs)
        started.append(gateway)
        return gateway

    yield start
    for gateway in started:
        gateway.close()


@pytest.fixture(scope="module")
def kinds(clips):
    """One server: a good 4-slice camera, the same clip through a keyframe-splitting packetiser, and H.265."""
    folder = ROOT / "var" / "cameras" / "test-clips"
    h265 = ClipSpec("Kamera H.265", 640, 360, "ball", 4, codec="h265")
    slow_gop = ClipSpec("Kunci 4 detik", 640, 360, "smpte", 8, gop=60)  # a keyframe every 4 s
    made = {"hevc": encode_clip(h265, clip_file(folder, "h265", h265)),
            "jarang": encode_clip(slow_gop, clip_file(folder, "jarang", slow_gop)),
            "ganti": folder / "ganti-360p-then-540p.h264"}
    if not made["ganti"].exists():  # 2 s at 360p, then the same camera at 540p (as after a reboot)
        small = ClipSpec("Ganti ukuran", 640, 360, "pinwheel", 2)
        large = ClipSpec("Ganti ukuran", 960, 540, "pinwheel", 2, first_number=30)
        made["ganti"].write_bytes(encode_clip(small, clip_file(folder, "ganti", small)).read_bytes()
                                  + encode_clip(large, clip_file(folder, "ganti", large)).read_bytes())
    port = free_port()
    server = start_rtsp_server({"baik": clips["cam1/sub"], "rusak": f"drop-slice:{clips['cam2/sub']}",
                                "potong": f"split-slices:{clips['cam4/sub']}",
                                "hevc": made["hevc"], "jarang": made["jarang"], "ganti": made["ganti"],
                                "bframe": "live-clock:640x360:bframes",
                                "garbel": f"corrupt-burst:{clips['cam3/sub']}"}, port)
    wait_listening(server)
    yield f"rtsp://127.0.0.1:{port}", {**clips, **made}
    server.terminate()
    server.wait(5)
