"""The video gateway (as `run.py video` runs it) answers the dashboard's token only: a local process,
or anyone who reaches its port, cannot list cameras, take snapshots or pull a stream around the
dashboard's role check, whatever Origin it claims."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from core.credentials import local_secret
from core.redis import free_port

ROOT = Path(__file__).resolve().parents[3]
ORIGIN = "http://127.0.0.1:8050"


@pytest.fixture
def gateway(tmp_path, redis_url):
    port = free_port()
    config = {"ingest": {"secrets_dir": str(tmp_path / "secrets")},
              "video": {"host": "127.0.0.1", "port": port, "allowed_origin": ORIGIN, "demo_cameras": 0}}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    log = (tmp_path / "video.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "ingest.cameras.gateway", str(path)], cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT, env={**os.environ, "REDIS_URL": redis_url})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "video.log").read_text()
            time.sleep(0.2)
    yield base, local_secret("video-token", tmp_path / "secrets")
    process.terminate()
    process.wait(timeout=10)


def call(method: str, url: str, headers: dict | None = None, body: bytes | None = None) -> int:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_every_route_but_health_asks_for_the_dashboards_token(gateway):
    base, token = gateway
    sdp = {"Content-Type": "application/sdp"}
    refused = [("GET", "/cameras", {}), ("GET", "/snapshot/simpang-ciceri", {}),
               ("POST", "/whep/simpang-ciceri", sdp), ("DELETE", "/whep/simpang-ciceri/abc", {})]
    for method, path, headers in refused:
        body = b"v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n" if method == "POST" else None
        for credential in ({}, {"Origin": ORIGIN}, {"Authorization": "Bearer wrong-token-0123456789abc"},
                           {"Authorization": "Basic " + token}):
            assert call(method, base + path, {**headers, **credential}, body) == 401, (method, path, credential)
    assert call("GET", base + "/healthz") == 200  # a monitor needs no token: counts only
    auth = {"Authorization": f"Bearer {token}"}
    assert call("GET", base + "/cameras", auth) == 200
    assert call("GET", base + "/snapshot/simpang-ciceri", auth) == 404
