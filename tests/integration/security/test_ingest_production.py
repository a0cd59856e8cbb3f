"""Production mode: a site that turned the demo off cannot run on a secret the demo ships, and the
internal token cannot be used to upload anywhere under any name.

Checked as an operator meets it: `run.py check` and a role's start-up on the shipped config with
`demo.enabled: false`; the ingest HTTP API with the dashboard's internal token against real accounts.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from core.config import parse_config
from core.credentials import gateway_token, ingest_token
from core.streams import AUDIT, feed_stream
from core.users import Account, save_users
from tests.support.app import known_hash
from tests.support.ingest_server import running_ingest
from tests.support.paths import PAYLOADS

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = (ROOT / "config.yaml").read_text()
REAL_SECRETS = {"LAPOR_WEBHOOK_TOKEN": "lapor-7f3a9c2e41b8d605", "HARGA_UPLOAD_TOKEN": "harga-0c8e51d97a2b4f36",
                "BPS_API_KEY": "bps-51e0c7a3d9f2b864", "CC_DEMO_CAMERA_PASSWORD": "Kamera-Polda-8842"}


def production_config(tmp_path: Path, text: str = SHIPPED) -> Path:
    """The shipped config with the demo turned off, every line where it was."""
    text = re.sub(r"(?m)^(demo:\n  enabled:) true", r"\1 false", text)
    assert "enabled: false" in text
    path = tmp_path / "config.yaml"
    path.write_text(text.replace("layouts_dir: layouts", f"layouts_dir: {ROOT / 'layouts'}"))
    return path


def run(*args, env=None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in REAL_SECRETS and not k.startswith("CC_")}
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], capture_output=True, text=True, timeout=120,
                          check=False,
                          env={**clean, **(env or {})}, cwd=ROOT)


def test_check_refuses_every_demo_secret_and_says_where(tmp_path):
    path = production_config(tmp_path)
    result = run("check", "--config", str(path))
    assert result.returncode == 2
    lines = path.read_text().splitlines()
    found = {m.group(2): int(m.group(1)) for m in re.finditer(rf"{re.escape(str(path))}:(\d+): (\S+):", result.stderr)}
    expected = {"feeds.lapor_banten.tokens[0]": "LAPOR_WEBHOOK_TOKEN",
                "feeds.harga_pihps.upload_tokens[0]": "HARGA_UPLOAD_TOKEN",
                "feeds.bps_webapi.key": "BPS_API_KEY",
                "video.demo_cameras": "demo_cameras"}
    expected.update({f"cameras.{cam}.{v}": "CC_DEMO_CAMERA_PASSWORD" for cam in
                     ("simpang-ciceri", "bundaran-cikokol", "pelabuhan-merak", "gerbang-tol-serang-timur")
                     for v in ("main", "sub")})
    assert set(found) == set(expected), result.stderr
    for yaml_path, word in expected.items():
        assert word in lines[found[yaml_path] - 1], (yaml_path, lines[found[yaml_path] - 1])
    assert "is the demo's webhook token (demo.enabled is false)" in result.stderr
    assert "holds the demo camera password" in result.stderr and "nothing was started" in result.stderr
    # The secrets themselves are not printed.
    assert "demo-lapor-token" not in result.stderr and "demo-kamera" not in result.stderr


def test_start_up_refuses_them_too_and_an_old_config_with_the_demo_internal_token(tmp_path):
    old = SHIPPED.replace("internal_token: ${CC_INTERNAL_TOKEN:-}",
                          "internal_token: ${CC_INTERNAL_TOKEN:-demo-internal-token-0123456789}")
    path = production_config(tmp_path, old.replace("demo_cameras: 4", "demo_cameras: 0"))
    result = run("ingest", "--config", str(path), env=REAL_SECRETS)
    assert result.returncode == 2 and "nothing was started" in result.stderr
    assert re.findall(r": (\S+): is", result.stderr) == ["ingest.internal_token"], result.stderr


def test_a_production_config_with_its_own_secrets_passes(tmp_path):
    path = production_config(tmp_path, SHIPPED.replace("demo_cameras: 4", "demo_cameras: 0"))
    result = run("check", "--config", str(path), env=REAL_SECRETS)
    assert result.returncode == 0, result.stderr


def test_unset_internal_tokens_are_generated_once_per_installation_owner_only(tmp_path):
    config = parse_config({"ingest": {"secrets_dir": str(tmp_path / "secrets")}})
    token = ingest_token(config)
    assert len(token) >= 40 and ingest_token(config) == token and gateway_token(config) not in (token, "")
    mode = stat.S_IMODE((tmp_path / "secrets" / "ingest-token").stat().st_mode)
    assert mode == 0o600
    other = parse_config({"ingest": {"secrets_dir": str(tmp_path / "elsewhere")}})
    assert ingest_token(other) != token  # no installation shares a token with another


# --- the internal token names an account that may use the feed, or uploads nothing ---------------

INTERNAL = "internal-token-5b0e2f7c91d4a368"


@pytest.fixture
async def ingest(redis_url, tmp_path):
    users = tmp_path / "users.yaml"
    password = known_hash("kata-sandi-uji-1")
    save_users(users, {"siti.disperindag": Account(role="operator", password=password, feeds=["harga"]),
                       "budi.dinkes": Account(role="operator", password=password, feeds=["beds"]),
                       "rina.analis": Account(role="analyst", password=password),
                       "admin": Account(role="admin", password=password)})
    feed = {"source_id": "{kode_wilayah}-{pasar}-{commodity_key}-{tanggal}", "region": "kode_wilayah",
            "event_time": "tanggal", "fields": {"commodity": "text", "harga": "number"}, "upload": True}
    config = parse_config({
        "ingest": {"internal_token": INTERNAL}, "auth": {"users_file": str(users)},
        "feeds": {"harga": {"kind": "pihps", "application": "e-disikap", "url": "http://127.0.0.1:9/g", **feed},
                  "beds": {"kind": "pihps", "application": "e-yankes", "url": "http://127.0.0.1:9/g", **feed}}})
    async with running_ingest(config, redis_url) as (base, client, _):
        yield base, client


async def upload(base: str, feed: str, who: str) -> int:
    form = aiohttp.FormData()
    form.add_field("file", (PAYLOADS / "harga_unggah_ok.csv").read_bytes(), filename="harga.csv")
    headers = {"Authorization": f"Bearer {INTERNAL}", "X-CC-Operator": who}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/upload/{feed}", data=form, headers=headers) as resp:
            return resp.status


async def test_the_internal_token_uploads_only_for_an_account_that_may_use_the_feed(ingest):
    base, client = ingest
    # Refused: another agency's operator, a name no account has, an analyst (reads, never uploads).
    assert await upload(base, "harga", "budi.dinkes") == 403
    assert await upload(base, "harga", "orang.lain") == 403
    assert await upload(base, "beds", "siti.disperindag") == 403
    assert await upload(base, "harga", "rina.analis") == 403
    assert await client.xlen(feed_stream("harga")) == 0 and await client.xlen(feed_stream("beds")) == 0
    refusals = [f for _, f in await client.xrange(AUDIT)]
    assert [(f["action"], f["outcome"]) for f in refusals] == [("token_refused", "refused")] * 4
    # Accepted: the feed's own operator, and an admin; each in their own name.
    assert await upload(base, "harga", "siti.disperindag") == 202
    assert await upload(base, "beds", "admin") == 202
    done = [(f["who"], f["target"]) for _, f in await client.xrange(AUDIT) if f["outcome"] == "ok"]
    assert done == [("siti.disperindag", "feed:harga"), ("admin", "feed:beds")]
