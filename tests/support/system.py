"""The whole command center as a user starts it (`run.py all`), on free ports: system tests, faults, benchmarks.

Accounts: the system's users file holds the test accounts of tests/support/app.py
(one per role, TEST_PASSWORD), unless `users="demo"` lets `run.py all` create its demo accounts.
`chromium()` gives pages signed in as admin (`new_page(role=...)`, `anonymous_page()`);
`system.login(role)` gives a session cookie for plain HTTP.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from core.apps import APPLICATIONS
from core.clock import utc_now
from core.redis import EmbeddedRedis, free_port
from tests.support.app import SignedInBrowser, login, write_test_users
from tests.support.ports import free_port_block

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 # as on a wall PC (README): host candidates the gateway can reach, not mDNS names
                 "--disable-features=WebRtcHideLocalIpsWithMdns"]
WEBHOOK_TOKEN = "e2e-webhook-token-0123456789"
# The day-one system replays this many past days: the fewest for which every trend shows 60.
DAY_ONE_DAYS = 61
_RUNNING: list[str] = []  # dashboards of the systems running now: chromium() pages sign in there


def without_demo_secrets(config: dict[str, Any]) -> None:
    """A site's config from the shipped one, as production mode wants it: the demo's cameras turned
    off, each demo secret replaced by one of the test's own."""
    from core.config import parse_config
    from core.production import demo_secrets

    config["demo"]["enabled"] = False
    parsed = parse_config(config)
    for problem in demo_secrets(parsed):
        steps = [int(p) if p.isdigit() else p for p in re.split(r"\.|\[|\]\.?", problem.path) if p != ""]
        if steps[0] == "cameras":  # the same camera, with a password of the test's own
            address = urlsplit(getattr(parsed.cameras[steps[1]], steps[2]))
            netloc = f"{address.username}:uji-{secrets.token_hex(8)}@{address.hostname}:{address.port}"
            config["cameras"][steps[1]][steps[2]] = urlunsplit(address._replace(netloc=netloc))
        elif steps == ["video", "demo_cameras"]:
            config["video"]["demo_cameras"] = 0
        else:
            *parents, leaf = steps
            node = config
            for step in parents:
                node = node[step]
            node[leaf] = f"uji-{secrets.token_hex(16)}"


class System:
    """run.py all with its own config file and an external Redis the test can kill and restart."""

    def __init__(self, workdir: Path, *, demo: bool = True, demo_speed: float = 1.0, redis: EmbeddedRedis,
                 history_days: int = 0, demo_cameras: int | None = None,
                 overrides: dict[str, Any] | None = None, users: str = "test", layouts_dir: Path | None = None):
        self.workdir = workdir
        self.redis = redis
        config = yaml.safe_load((ROOT / "config.yaml").read_text())
        self.users_file = workdir / "users.yaml"
        config.setdefault("auth", {})["users_file"] = str(self.users_file)
        if users == "test":
            write_test_users(self.users_file)
        self.dashboard_port = free_port()
        self.ingest_port = free_port()
        config["dashboard"].update(port=self.dashboard_port, layouts_dir=str(layouts_dir or ROOT / "layouts"))
        config["ingest"]["port"] = self.ingest_port
        base = free_port_block(10)  # seven agency services, then the OPD systems the monitor checks (HTTP, HTTPS, DNS)
        # No replayed past unless a test asks: most tests watch what arrives live.
        config["demo"].update(enabled=demo, base_port=base, speed=demo_speed, history_days=history_days)
        self.history_days = history_days
        for feed in config["feeds"].values():
            if "url" in feed and "127.0.0.1:80" in feed["url"]:
                port = int(feed["url"].split("127.0.0.1:")[1].split("/")[0])
                feed["url"] = feed["url"].replace(f"127.0.0.1:{port}", f"127.0.0.1:{base + port - 8071}")
        if "monitors" in config:  # the monitor's targets follow the simulated OPD systems too
            moved = yaml.safe_dump(config["monitors"], allow_unicode=True)
            for port in (8078, 8079, 8080):
                moved = moved.replace(f"127.0.0.1:{port}", f"127.0.0.1:{base + port - 8071}")
            config["monitors"] = yaml.safe_load(moved)
        config["feeds"]["lapor_banten"]["tokens"] = [WEBHOOK_TOKEN]
        if "video" in config:
            self.video_port = free_port()
            rtsp_port = free_port()
            shipped = f":{config['video'].get('demo_rtsp_port', 8554)}/"
            config["video"].update(port=self.video_port, demo_rtsp_port=rtsp_port,
                                   allowed_origin=f"http://127.0.0.1:{self.dashboard_port}")
            if demo_cameras is not None:  # 0: no clips to encode, no RTSP server (tests that need no video)
                config["video"]["demo_cameras"] = demo_cameras
            for camera in (config.get("cameras") or {}).values():  # the demo cameras follow their server
                for stream in ("main", "sub"):
                    if isinstance(camera.get(stream), str):
                        camera[stream] = camera[stream].replace(shipped, f":{rtsp_port}/")
        if not demo:
            without_demo_secrets(config)
        for key, value in (overrides or {}).items():
            config[key] = value
        self.config_path = workdir / "config.yaml"
        self.config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
        self.process: subprocess.Popen | None = None
        self.log_path = workdir / "system.log"

    @property
    def dashboard(self) -> str:
        return f"http://127.0.0.1:{self.dashboard_port}"

    @property
    def ingest(self) -> str:
        return f"http://127.0.0.1:{self.ingest_port}"

    def login(self, role: str = "admin", **kwargs) -> str:
        """A real session cookie of the test user of `role` (tests/support/app.py login)."""
        return login(self.dashboard, role, **kwargs)

    def start(self, timeout: float | None = None) -> System:
        # A replayed history runs before ingest and the dashboard start: about half a second a day here.
        timeout = timeout or 90 + self.history_days
        env = dict(os.environ, REDIS_URL=self.redis.url, PYTHONUNBUFFERED="1")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "all", "--config",
                                         str(self.config_path)],
                                        cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"run.py all exited with {self.process.returncode}:\n{self.log()}")
            if self._answers(f"{self.dashboard}/healthz") and self._answers(f"{self.ingest}/healthz"):
                return self
            time.sleep(0.3)
        raise RuntimeError(f"system did not come up in {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text()[-6000:] if self.log_path.exists() else ""

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except urllib.error.HTTPError:
            return True  # 503 "degraded" still means it is up
        except OSError:
            return False

    def post_webhook(self, feed_id: str, body: Any, token: str = WEBHOOK_TOKEN) -> tuple[int, dict]:
        request = urllib.request.Request(f"{self.ingest}/ingest/{feed_id}", data=json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()


@contextmanager
def running_system(workdir: Path, **kwargs) -> Iterator[System]:
    """A started system with its own Redis; everything stopped afterwards."""
    redis = EmbeddedRedis(workdir / "redis").start()
    system = System(workdir, redis=redis, **kwargs)
    try:
        system.start()
        _RUNNING.append(system.dashboard)
        yield system
    finally:
        if system.dashboard in _RUNNING:
            _RUNNING.remove(system.dashboard)
        system.stop()
        system.redis.stop()  # a test may have replaced it with a restarted server
        redis.stop()


@contextmanager
def chromium(role: str = "admin", **launch) -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (no browser download: the system one). Its pages are
    signed in as `role` on the running system (SignedInBrowser: `new_page(role=...)`, `anonymous_page()`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **launch)
        try:
            yield SignedInBrowser(browser, role, served=_RUNNING)
        finally:
            browser.close()


def complaint(tracking_id: str) -> dict:
    now = utc_now().isoformat()
    return {"tracking_id": tracking_id, "status": "diterima", "category": "Infrastruktur", "via": "app",
            "city_id": "3673", "judul": "Jalan berlubang", "isi": "Jalan di Ciceri berlubang",
            "nama_pelapor": "Rina Marlina", "nik": "3673014101900002", "telepon": "081299887766",
            "created_at": now, "updated_at": now}


def wait_until_filled(page, tiles: list[str]) -> None:
    page.wait_for_function("""(tiles) => tiles.every(t => {
        const v = document.querySelector(`[data-tile="${t}"] .tile-value`);
        return v && v.getAttribute('data-value') !== '';
    })""", arg=tiles, timeout=60_000)


def wait_until_governor_filled(page, timeout_ms: int = 60_000) -> None:
    """Wait until the governor's screen shows a number for every application."""
    page.wait_for_function("""(apps) => apps.every(a => {
            const v = document.querySelector(`#gov-app-${a}-value`);
            return v && /\\d/.test(v.textContent);
        })""", arg=list(APPLICATIONS), timeout=timeout_ms)
