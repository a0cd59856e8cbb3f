"""Access end to end, as `run.py all` starts the demo: demo accounts printed and saved, a person signs
in with one in Chromium, and the ingest side refuses wrong tokens and floods, each audited."""

from __future__ import annotations

import re
import stat
import time
import urllib.error
import urllib.request

import pytest

from core.config import load_config
from core.redis import connect
from core.streams import AUDIT
from tests.support.system import WEBHOOK_TOKEN, chromium, running_system

BURST = 8
RATE = 2.0


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("access")
    auth = {"users_file": str(workdir / "var" / "users.yaml"),
            "ingest_limit": {"per_second": RATE, "burst": BURST}}
    with running_system(workdir, users="demo", demo_speed=0.01, overrides={"auth": auth}) as system:
        yield system


@pytest.fixture(scope="module")
def accounts(system) -> dict[str, str]:
    """name -> password, as `run.py all` saved them beside the users file."""
    notes = system.workdir / "var" / "demo-accounts.txt"
    assert stat.S_IMODE(notes.stat().st_mode) == 0o600
    rows = [line.split() for line in notes.read_text().splitlines() if line and not line.startswith("#")]
    return {name: password for name, _role, password in rows}


def audit(system, action: str) -> list[dict]:
    return [e for _, e in connect(system.redis.url, decode_responses=True).xrange(AUDIT) if e["action"] == action]


def post(url: str, body: bytes, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers)


def test_demo_accounts_are_printed_with_the_urls_and_saved_owner_only(system, accounts):
    assert set(accounts) == {"admin", "gubernur", "analis", "operator-pormas", "operator-disikap"}
    deadline = time.monotonic() + 30  # run.py prints its banner once the dashboard answers
    while "Ctrl-C stops everything" not in system.log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    log = system.log_path.read_text()
    assert f"{system.dashboard}/login" in log and f"{system.dashboard}/publik" in log
    for name, password in accounts.items():
        assert re.search(rf"{re.escape(name)}\s+\w+\s+{re.escape(password)}", log), name
    users = (system.workdir / "var" / "users.yaml").read_text()
    assert not any(password in users for password in accounts.values())  # hashes only
    assert system.login(username="operator-pormas", password=accounts["operator-pormas"])


def test_a_person_signs_in_with_a_demo_account_and_lands_on_the_wall(system, accounts):
    with chromium() as browser:
        page = browser.anonymous_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{system.dashboard}/wall/command-center")
        assert "/login?next=" in page.url
        page.fill("#login-username", "gubernur")
        page.fill("#login-password", accounts["gubernur"])
        page.click("#login-submit")
        page.wait_for_url(f"{system.dashboard}/wall/command-center")
        page.wait_for_function("() => document.querySelector('[data-tile=\"beras\"] .tile-value')"
                               "?.getAttribute('data-value')", timeout=60_000)
        page.close()
    assert [e["who"] for e in audit(system, "login")][-1] == "gubernur"


def test_wrong_and_other_feeds_tokens_are_refused_and_audited(system):
    upload_token = load_config(system.config_path).feeds["harga_pihps"].upload_tokens[0]
    assert system.post_webhook("lapor_banten", {"tracking_id": "X"}, token="salah-token-0123456789")[0] == 401
    # The upload feed's own token does not open the webhook, nor the webhook's token the upload.
    assert system.post_webhook("lapor_banten", {"tracking_id": "X"}, token=upload_token)[0] == 401
    status, _ = post(f"{system.ingest}/upload/harga_pihps", b"--x--\r\n",
                     {"Authorization": f"Bearer {WEBHOOK_TOKEN}", "Content-Type": "multipart/form-data; boundary=x"})
    assert status == 401
    refused = audit(system, "token_refused")
    assert [e["target"] for e in refused] == ["feed:lapor_banten", "feed:lapor_banten", "feed:harga_pihps"]
    assert all(e["outcome"] == "refused" and e["ip"] == "127.0.0.1" for e in refused)
    assert system.post_webhook("lapor_banten", [])[0] == 202  # the right token still works


def test_a_flood_of_requests_to_one_feed_gets_429_with_retry_after(system):
    time.sleep(BURST / RATE + 0.5)  # the bucket full again after the earlier tests
    answers = [post(f"{system.ingest}/upload/harga_pihps", b"", {"Authorization": "Bearer salah-token-0123456789"})
               for _ in range(BURST + 4)]
    statuses = [status for status, _ in answers]
    assert statuses[:BURST] == [401] * BURST and statuses[BURST:] == [429] * 4
    assert all(int(headers["Retry-After"]) >= 1 for status, headers in answers if status == 429)
    # Other feeds are not held back by this sender's flood of one.
    assert system.post_webhook("lapor_banten", [])[0] == 202
    limited = audit(system, "rate_limited")
    assert len(limited) == 1 and limited[0]["target"] == "feed:harga_pihps"  # once, not per request
