"""Sign-in, sessions, sign-out, CSRF, brute force and security headers, over real HTTP against the app.

Every refusal must also be in the audit trail with who, what and from where.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import re
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import aiohttp
import pytest

from core.users import Account, load_users, save_users
from dashboard.app import create_app
from tests.support.access import audit_entries, callback_payload, fetch, ws_callbacks
from tests.support.app import SESSION_COOKIE, TEST_PASSWORD, TEST_USERS, login, serve, with_test_users

SHORT_SESSION_H = 0.001  # 3.6 s


@pytest.fixture(scope="module")
def served(config, redis_server, users_file, tmp_path_factory):
    """The app with the test accounts and one executive whose session lasts 3.6 s."""
    users = load_users(users_file, config)
    users["uji-singkat"] = Account(role="executive", password=users[TEST_USERS["executive"]].password,
                                   session_hours=SHORT_SESSION_H)
    path = tmp_path_factory.mktemp("users-short") / "users.yaml"
    save_users(path, users)
    app = create_app(with_test_users(config, path), redis_server.url)
    with serve(app) as base:
        yield app, base


class Browser:
    """A cookie jar and no automatic redirects: what a browser keeps between requests."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, form: dict | None = None, headers: dict | None = None):
        data = urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(self.base + path, data=data, headers={"Accept": "text/html", **(headers or {})})
        try:
            with self.opener.open(req, timeout=20) as resp:
                return resp.status, resp.headers, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read().decode()

    def cookie(self, name: str = SESSION_COOKIE) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def form_token(self, path: str = "/login") -> str:
        status, _, page = self.request(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrf" value="([^"]+)"', page).group(1)

    def sign_in(self, username: str, password: str = TEST_PASSWORD, next_path: str = "/", token: str | None = None):
        token = token or self.form_token()
        return self.request("/login", {"username": username, "password": password, "csrf": token, "next": next_path})


def test_sign_in_goes_back_to_the_asked_page_and_sign_out_ends_the_session(served, r):
    _, base = served
    b = Browser(base)
    status, headers, _ = b.request("/wall/command-center?lang=en")
    assert status == 302 and headers["Location"] == "/login?next=%2Fwall%2Fcommand-center%3Flang%3Den&lang=en"
    status, _, page = b.request(headers["Location"])
    assert status == 200 and 'id="login-form"' in page and "Username" in page and "Password" in page
    assert "Nama pengguna" in b.request("/login")[2] and "Kata sandi" in b.request("/login")[2]
    status, headers, _ = b.sign_in(TEST_USERS["executive"], next_path="/wall/command-center?lang=en")
    assert status == 303 and headers["Location"] == "/wall/command-center?lang=en"
    cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith(f"{SESSION_COOKIE}="))
    assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # served over plain http here: cookie_secure auto
    assert len(b.cookie()) == 43  # 256 random bits
    assert b.request("/wall/command-center")[0] == 200
    assert b.request("/login?next=/wall/command-center")[1].get("Location") == "/wall/command-center"  # signed in
    # An open redirect is not possible: `next` stays on this site.
    assert Browser(base).sign_in(TEST_USERS["analyst"], next_path="//evil.example/x")[1]["Location"] == "/"

    token = re.search(r'name="csrf" value="([^"]+)"', b.request("/logout")[2]).group(1)
    status, headers, _ = b.request("/logout", {"csrf": token})
    assert status == 303 and headers["Location"].startswith("/login?msg=out")
    assert b.request("/wall/command-center")[0] == 302  # the session is gone, server side
    entries = audit_entries(r)
    logins = [e for e in entries if e["action"] == "login"]
    assert [e["who"] for e in logins] == [TEST_USERS["executive"], TEST_USERS["analyst"]]
    assert logins[0]["target"] == "/wall/command-center?lang=en" and logins[0]["ip"] == "127.0.0.1"
    assert [e["who"] for e in entries if e["action"] == "logout"] == [TEST_USERS["executive"]]


def test_a_wrong_password_is_refused_and_audited(served, r):
    _, base = served
    b = Browser(base)
    status, _, page = b.sign_in(TEST_USERS["admin"], "salah-sekali-123")
    assert status == 401 and "Nama pengguna atau kata sandi salah." in page and b.cookie() is None
    status, _, _ = b.sign_in("tidak-ada", "salah-sekali-123")
    assert status == 401
    failed = audit_entries(r, "login_failed")
    assert [(e["who"], e["detail"]) for e in failed] == [(TEST_USERS["admin"], "wrong password"),
                                                         ("tidak-ada", "unknown user")]


def test_brute_force_sign_in_is_refused_with_429_and_audited(served, r):
    _, base = served
    b = Browser(base)
    for _ in range(5):
        assert b.sign_in(TEST_USERS["admin"], "tebakan-salah-99")[0] == 401
    status, headers, page = b.sign_in(TEST_USERS["admin"])  # even the right password, now
    assert status == 429 and int(headers["Retry-After"]) > 200 and "Terlalu banyak percobaan" in page
    assert b.cookie() is None
    limited = audit_entries(r, "rate_limited")
    assert limited and limited[-1]["who"] == TEST_USERS["admin"] and limited[-1]["outcome"] == "refused"
    assert len(audit_entries(r, "login_failed")) == 5
    # Per address too: the same address guessing other names is held back as well.
    assert b.sign_in(TEST_USERS["analyst"])[0] == 429


def test_sign_in_forms_are_single_use_and_bound_to_their_browser(served, r):
    _, base = served
    b = Browser(base)
    token = b.form_token()
    assert b.sign_in(TEST_USERS["analyst"], "salah-sekali-123", token=token)[0] == 401  # uses the token up
    status, _, page = b.sign_in(TEST_USERS["analyst"], token=token)  # the same form sent again
    assert status == 403 and "kedaluwarsa atau sudah dipakai" in page and b.cookie() is None
    # A token another browser was given (a forged cross-site sign-in) is refused too.
    stolen = Browser(base).form_token()
    assert b.sign_in(TEST_USERS["analyst"], token=stolen)[0] == 403
    assert b.request("/login", {"username": TEST_USERS["analyst"], "password": TEST_PASSWORD, "next": "/"})[0] == 403
    assert b.cookie() is None
    assert b.sign_in(TEST_USERS["analyst"])[0] == 303  # a fresh form works
    refused = audit_entries(r, "csrf_refused")
    assert len(refused) == 3 and all(e["target"] == "login" and e["outcome"] == "refused" for e in refused)


def test_sign_out_needs_the_sessions_own_token(served, r):
    _, base = served
    a, b = Browser(base), Browser(base)
    a.sign_in(TEST_USERS["analyst"])
    b.sign_in(TEST_USERS["analyst"])
    token_a = re.search(r'name="csrf" value="([^"]+)"', a.request("/logout")[2]).group(1)
    assert b.request("/logout", {"csrf": token_a})[0] == 403  # another session's token
    assert b.request("/logout", {})[0] == 403  # none
    assert b.request("/analyst")[0] == 200  # still signed in
    assert a.request("/logout", {"csrf": token_a})[0] == 303
    assert a.request("/logout", {"csrf": token_a})[0] == 403  # replayed after the session ended
    # A POST from another site is refused before anything else.
    status, _, _ = b.request("/logout", {"csrf": token_a}, headers={"Origin": "http://evil.example"})
    assert status == 403
    reasons = [e["detail"] for e in audit_entries(r, "csrf_refused")]
    assert reasons.count("wrong or missing form token") == 2 and "no session" in reasons
    assert any(d.startswith("cross-site POST from http://evil.example") for d in reasons)


def test_an_expired_session_is_refused_and_audited_on_pages_and_the_websocket(served, r):
    app, base = served
    cookie = login(base, username="uji-singkat")
    key = next(k for k in app.callback_map if k.startswith("..screen."))
    payload = callback_payload(key, app.callback_map[key], "/wall/command-center")
    assert fetch(base + "/wall/command-center", cookie).status == 200
    answers = ws_callbacks(base, cookie, {"a": payload}, wait_for={"a"})
    assert "login-required" not in str(answers["a"])
    time.sleep(SHORT_SESSION_H * 3600 + 0.5)
    answer = fetch(base + "/wall/command-center", cookie)
    assert answer.status == 302 and answer.location == "/login?next=%2Fwall%2Fcommand-center&msg=ended"
    assert "Sesi Anda telah berakhir" in fetch(base + answer.location).text()
    assert f"{SESSION_COOKIE}=;" in answer.headers.get("Set-Cookie", "")
    expired = audit_entries(r, "session_expired")
    assert len(expired) == 1 and expired[0]["who"] == "uji-singkat"
    # The router now answers that page with the way to sign in.
    answers = ws_callbacks(base, cookie, {"b": payload}, wait_for={"b"})
    assert "login-required" in str(answers["b"])


def test_an_open_websocket_ends_when_its_session_ends(served, r):
    app, base = served
    cookie = login(base, username="uji-singkat")
    key = next(k for k in app.callback_map if k.startswith("..screen."))
    payload = callback_payload(key, app.callback_map[key], "/wall/command-center")

    async def run():
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(base.replace("http", "ws") + "/_dash-ws-callback",
                                          headers={"Origin": base, "Cookie": f"{SESSION_COOKIE}={cookie}"}) as ws:
                await ws.send_json({"type": "callback_request", "requestId": "1", "rendererId": "r",
                                    "payload": payload})
                first = await ws.receive(timeout=10)
                await asyncio.sleep(SHORT_SESSION_H * 3600 + 0.5)
                await ws.send_json({"type": "callback_request", "requestId": "2", "rendererId": "r",
                                    "payload": payload})
                closed = await ws.receive(timeout=10)
                return first, closed, ws.close_code

    first, closed, code = asyncio.run(run())
    assert "callback_response" in first.data
    assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED) and code == 4001
    assert [e["detail"] for e in audit_entries(r, "session_expired")] == ["WebSocket"]


def test_security_headers_on_every_response(served):
    _, base = served
    for path in ("/", "/login", "/publik", "/healthz", "/assets/wall/wall.css", "/wall/command-center"):
        headers = fetch(base + path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]  # inline scripts by hash only
        assert "'sha256-" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert "camera=()" in headers["permissions-policy"]
        assert "strict-transport-security" not in headers  # plain http: no HSTS promise


