"""The roles of the command center as separate processes on Redis with Sentinel, for fault tests.

Each process gets its own config file (free ports, the webhook token below, demo agencies not started) and
the Sentinel URL; a test kills whichever part it wants with SIGKILL and watches what survives.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from core.redis import free_port
from core.redis_sentinel import ReplicatedRedis
from tests.support.app import write_test_users
from tests.support.system import free_port_block

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK_TOKEN = "fault-webhook-token-0123456789"
WEBHOOK_FEED = "lapor_banten"


def write_config(workdir: Path) -> Path:
    """config.yaml with free ports (the simulated agencies' too, started only by `run.py cluster`),
    no rate limit on webhooks, the test accounts in the users file."""
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["ingest"]["port"] = free_port()
    config["dashboard"]["port"] = free_port()
    config.setdefault("auth", {})["ingest_limit"] = {"per_second": 1_000_000, "burst": 1_000_000}
    config["auth"]["users_file"] = str(workdir / "users.yaml")
    write_test_users(workdir / "users.yaml")
    base = free_port_block(7)
    config["demo"]["base_port"] = base
    for feed in config["feeds"].values():
        if "url" in feed and "127.0.0.1:80" in feed["url"]:
            port = int(feed["url"].split("127.0.0.1:")[1].split("/")[0])
            feed["url"] = feed["url"].replace(f"127.0.0.1:{port}", f"127.0.0.1:{base + port - 8071}")
    config["feeds"][WEBHOOK_FEED]["tokens"] = [WEBHOOK_TOKEN]
    if "video" in config:
        config["video"].update(port=free_port(), demo_rtsp_port=free_port(), demo_cameras=0)
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path


class Role:
    """`run.py <role>` as its own process on the cluster's Redis."""

    def __init__(self, role: str, config_path: Path, redis: ReplicatedRedis, log: Path, **env: str):
        self.role = role
        self.args = [sys.executable, str(ROOT / "run.py"), role, "--config", str(config_path)]
        self.env = dict(os.environ, REDIS_URL=redis.url, PYTHONUNBUFFERED="1", **env)
        self.log_path = log
        self.process: subprocess.Popen | None = None

    def start(self) -> Role:
        self._log = open(self.log_path, "a")
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_http(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"run.py {self.role} exited: {self.log()}")
            try:
                urllib.request.urlopen(url, timeout=2)
                return
            except urllib.error.HTTPError:
                return  # 503 "degraded" still means it is up
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"run.py {self.role} did not answer at {url} within {timeout} s: {self.log()}")

    def log(self) -> str:
        return self.log_path.read_text()[-4000:] if self.log_path.exists() else ""

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "_log", None):
            self._log.close()
