"""Abuse bounded: body limits before any check, per-client limits, sign-in forms that cost nothing
until used, refusals counted per source and minute, login limits a stranger cannot turn against a
named user, and X-Forwarded-For believed only from a configured proxy.

The app here trusts 127.0.0.1 as its proxy, so each test speaks as several addresses through
X-Forwarded-For (the way a site's TLS proxy reports its clients), with small limits.
"""

from __future__ import annotations

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlencode

import aiohttp
import pytest

from core.clock import shifted
from dashboard.app import create_app
from tests.support.access import audit_entries, callback_payload, fetch, post_callback
from tests.support.app import TEST_PASSWORD, TEST_USERS, login, serve


def limited(config, **dashboard_limits):
    limits = config.dashboard.limits.model_copy(update=dashboard_limits)
    dashboard = config.dashboard.model_copy(update={"trusted_proxies": ["127.0.0.1"], "limits": limits})
    auth = config.auth.model_copy(update={"refusals_each": 3})
    return config.model_copy(update={"dashboard": dashboard, "auth": auth})


@pytest.fixture(scope="module")
def served(security_config, redis_server):
    from core.config import ClientLimit

    config = limited(security_config, callbacks=ClientLimit(per_second=0.5, burst=20),
                     whep_offers=ClientLimit(per_second=0.1, burst=5), opendata=ClientLimit(per_second=0.1, burst=5))
    app = create_app(config, redis_server.url)
    with serve(app) as base:
        yield app, base


def source(address: str) -> dict:
    return {"X-Forwarded-For": address}


def test_bodies_past_their_limit_are_refused_before_anything_reads_them(served, redis_url, r):
    app, base = served
    big = b"x" * (65 * 1024)
    for path in ("/_dash-update-component", "/whep/cam-1", "/login", "/logout", "/publik"):
        answer = fetch(base + path, None, "POST", big, {"Content-Type": "application/json", **source("10.0.0.1")})
        assert answer.status == 413, f"{path}: {answer.status}"
    assert audit_entries(r) == []  # refused before the gate's checks: nothing else was done
    # A signed-in user's callback may carry an upload (up to auth's signed_in_body).
    cookie = login(base, "operator")
    key = next(k for k in app.callback_map if k.startswith("..app-page."))
    payload = callback_payload(key, app.callback_map[key], "/app/e-pormas")
    payload["inputs"][1]["value"] = "?" + "a" * (100 * 1024)
    assert post_callback(base, payload, cookie).status == 200
    # A WebSocket message past the limit closes the socket.

    async def ws_big():
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(base.replace("http", "ws") + "/_dash-ws-callback",
                                          headers={"Origin": base}) as ws:
                await ws.send_str(json.dumps({"type": "heartbeat", "pad": "x" * (65 * 1024)}))
                await ws.receive(timeout=10)
                return ws.close_code

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, ws_big()).result() == 1009


def test_per_client_limits_on_callbacks_whep_offers_and_open_data(served, redis_url, r):
    app, base = served
    key = next(k for k in app.callback_map if k.startswith("..pub-loc."))
    payload = callback_payload(key, app.callback_map[key], "/publik")
    body = json.dumps(payload).encode()
    statuses = [fetch(base + "/_dash-update-component", None, "POST", body,
                      {"Content-Type": "application/json", **source("10.0.0.2")}, accept="application/json").status
                for _ in range(30)]
    assert statuses.count(429) >= 8 and statuses[:15].count(429) == 0, statuses
    answer = fetch(base + "/_dash-update-component", None, "POST", body,
                   {"Content-Type": "application/json", **source("10.0.0.2")}, accept="application/json")
    assert answer.status == 429 and int(answer.headers["Retry-After"]) >= 1
    # Another client is not held back by the first one's flood.
    assert fetch(base + "/_dash-update-component", None, "POST", body,
                 {"Content-Type": "application/json", **source("10.0.0.3")}, accept="application/json").status == 200
    offers = [fetch(base + "/whep/cam-x", None, "POST", b"v=0", {"Content-Type": "application/sdp",
                                                               **source("10.0.0.4")}).status for _ in range(8)]
    assert offers[:5].count(429) == 0 and offers[5:] == [429, 429, 429], offers
    downloads = [fetch(base + "/opendata/katalog.csv", None, headers=source("10.0.0.5")).status for _ in range(8)]
    assert downloads[5:] == [429, 429, 429], downloads

    # WebSocket messages: past the limit a callback is answered "rate limited", never run.
    async def flood():
        answers = {}
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(base.replace("http", "ws") + "/_dash-ws-callback",
                                          headers={"Origin": base, **source("10.0.0.6")}) as ws:
                for i in range(40):
                    await ws.send_json({"type": "callback_request", "requestId": str(i), "rendererId": "r",
                                        "payload": payload})
                while len(answers) < 40:
                    message = await ws.receive(timeout=15)
                    data = json.loads(message.data)
                    for item in data if isinstance(data, list) else [data]:
                        if item.get("type") == "callback_response":
                            answers[item["requestId"]] = item["payload"]
        return answers

    with ThreadPoolExecutor(1) as pool:
        answers = pool.submit(asyncio.run, flood()).result()
    limited_ = [a for a in answers.values() if a.get("message") == "rate limited"]
    assert 15 <= len(limited_) <= 25, len(limited_)


def test_sign_in_forms_cost_the_server_nothing_until_used(served, redis_url, r):
    _, base = served
    before = r.dbsize()
    forms = [fetch(base + "/login", None, headers=source(f"10.1.{i // 250}.{i % 250}")) for i in range(300)]
    assert all(f.status == 200 for f in forms)
    assert r.dbsize() == before, "a key per GET /login"
    assert audit_entries(r) == []


def test_refusals_are_counted_per_source_and_minute(served, redis_url, r):
    _, base = served
    for i in range(50):
        assert fetch(base + f"/wall/tidak-ada-{i}", None, accept="application/json",
                     headers=source("10.2.0.1")).status == 401
    assert fetch(base + "/wall/x", None, accept="application/json", headers=source("10.2.0.2")).status == 401
    entries = audit_entries(r, "refused")
    assert len(entries) == 4  # three from the flood one by one, one from the other address
    with shifted(timedelta(seconds=61)):  # the next minute: the flood's total is written at its first refusal
        fetch(base + "/wall/y", None, accept="application/json", headers=source("10.2.0.1"))
    entries = [e for e in audit_entries(r, "refused") if e["ip"].startswith("10.2.")]
    summary = [e for e in entries if "more refusals" in e["detail"]]
    assert len(summary) == 1 and summary[0]["ip"] == "10.2.0.1" and summary[0]["detail"].startswith("47 more")
    assert "/wall/tidak-ada-3" in summary[0]["target"]
    assert len(entries) == 6  # 3 + 1 one by one, the flood's total, the next minute's first


def test_a_stranger_cannot_lock_a_named_user_out(served, redis_url, r):
    _, base = served

    def sign_in(address: str, password: str) -> int:
        form = fetch(base + "/login", None, headers=source(address))
        token = re.search(r'name="csrf" value="([^"]+)"', form.text()).group(1)
        jar_cookie = re.search(r"cc_login=([^;]+)", form.headers.get("Set-Cookie", "")).group(1)
        body = urlencode({"username": TEST_USERS["admin"], "password": password, "csrf": token, "next": "/"}).encode()
        answer = fetch(base + "/login", None, "POST", body,
                       {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"cc_login={jar_cookie}",
                        **source(address)})
        return answer.status

    stranger = [sign_in("203.0.113.9", "tebakan-salah-99") for _ in range(7)]
    assert stranger[:5] == [401] * 5 and stranger[5:] == [429, 429]
    assert sign_in("10.3.0.1", TEST_PASSWORD) == 303  # the admin, at their own address
    assert len(r.keys("cc:login-form:*")) == 6  # a key per form checked, none per GET or refused attempt


def test_x_forwarded_for_is_believed_only_from_a_configured_proxy(security_config, redis_server, redis_url, r):
    app = create_app(security_config, redis_server.url)  # no trusted proxies
    with serve(app) as base:
        fetch(base + "/wall/x", None, accept="application/json", headers=source("198.51.100.7"))
    assert [e["ip"] for e in audit_entries(r, "refused")] == ["127.0.0.1"]
