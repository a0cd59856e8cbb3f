"""The roles of the command center as separate processes on Redis with Sentinel, for fault tests.

Each process gets its own config file (free ports, the webhook token below, demo agencies not started) and
the Sentinel URL; a test kills whichever part it wants with SIGKILL and watches what survives.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import yaml

from core import clock
from core.redis import connect, free_port
from core.redis_sentinel import ReplicatedRedis
from core.streams import KpiValue, feed_stream, kpi
from tests.support.app import write_test_users
from tests.support.system import free_port_block

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK_TOKEN = "fault-webhook-token-0123456789"
WEBHOOK_FEED = "lapor_banten"
SENDERS = 4
BATCH = 50            # records per webhook request
RATE = 1000           # records/s offered in total
METRIC = "pengaduan_24j"  # complaints with an event in the last 24 h, one per tracking id


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


def record(n: int) -> dict:
    now = clock.utc_now().isoformat()
    return {"tracking_id": f"FT{n:08d}", "status": "baru", "category": "Jalan rusak", "via": "web",
            "created_at": now, "updated_at": now, "city_id": "3673"}


async def send_records(session, url: str, first: int, stop: asyncio.Event, acked: list, answers: list) -> None:
    """Send batches at this sender's share of RATE; resend a batch until it is acknowledged."""
    n = first
    period = BATCH * SENDERS / RATE
    while not stop.is_set():
        batch = [record(i) for i in range(n, n + BATCH)]
        started = clock.monotonic()
        while True:
            try:
                async with session.post(url, data=json.dumps(batch), headers={
                        "Authorization": f"Bearer {WEBHOOK_TOKEN}", "Content-Type": "application/json"},
                        timeout=aiohttp.ClientTimeout(total=15)) as resp:
                    status = resp.status
            except (TimeoutError, aiohttp.ClientError):
                status = 0
            answers.append((clock.monotonic(), status))
            if 200 <= status < 300:
                acked.extend(r["tracking_id"] for r in batch)
                break
            await asyncio.sleep(0.2)
        n += BATCH * SENDERS
        await asyncio.sleep(max(0.0, period - (clock.monotonic() - started)))


def longest_wait(answers: list, fault_at: float) -> float:
    """The write outage: the longest wait between two acknowledgements from the fault on (a request
    answered just after the fault may have been written just before it)."""
    acks = sorted(t for t, status in answers if 200 <= status < 300)
    around = [fault_at] + [t for t in acks if t > fault_at]
    return max(b - a for a, b in itertools.pairwise(around)) if len(around) > 1 else float("inf")


def headline_when(url: str, expected: int, timeout: float = 40.0) -> float | None:
    """The headline figure derive keeps, once it equals `expected` (a recount), else after `timeout`."""
    deadline = clock.monotonic() + timeout
    figure = None
    while clock.monotonic() < deadline:
        figure = KpiValue.decode(METRIC, connect(url).hgetall(kpi(METRIC))).value
        if figure == expected:
            break
        time.sleep(0.5)
    return figure


def outcome(url: str, acked: list, answers: list, fault_at: float) -> tuple[set, set, float, int]:
    """What a fault left: the tracking ids the stream holds, those acknowledged but not there, the write
    outage (longest_wait) and how many requests were not answered 2xx."""
    stored = {f[b"payload"] for _, f in connect(url).xrange(feed_stream(WEBHOOK_FEED))}
    found = {json.loads(p)["tracking_id"] for p in stored}
    refused = sum(1 for _, status in answers if not 200 <= status < 300)
    return found, set(acked) - found, longest_wait(answers, fault_at), refused
