"""Dashboard fixtures: the project's config, an app served by uvicorn in a thread, headless Chromium.

Signing in: `config` names a users file with one test account per role (TEST_USERS,
TEST_PASSWORD). The `browser` fixture's pages are signed in as admin: on the app served last at
once, and on any app whenever it sends the page to its sign-in page. For another role or none:

    page = browser.new_page(role="operator")            # signed in as the test operator (e-pormas)
    page = browser.anonymous_page()                     # nobody signed in
    signed_in(context, base_url, role="analyst")        # sign an existing context in
    cookie = login(base_url, "executive")               # a real session cookie, for plain HTTP
    cookie = issued_session(redis_url, "executive")     # the same, without the sign-in form

Passwords are scrypt-hashed at 0.4 s of CPU a hash and a check: `known_hash` hashes each test
password once a run, and tests of what a role may do (not of signing in) take `issued_session`.
"""

from __future__ import annotations

import asyncio
import functools
import http.cookiejar
import os
import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import uvicorn

from core.config import Config, load_config
from core.redis import connect_async, free_port
from core.users import Account, hash_password, save_users
from dashboard.auth.sessions import SessionStore, password_fingerprint

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
RESULTS = ROOT / "test-results" / "dashboard"

# One account per role that signs in; the operator answers for e-Pormas (the LAPOR! webhook feed).
TEST_USERS = {"admin": "uji-admin", "executive": "uji-pimpinan", "analyst": "uji-analis", "operator": "uji-operator"}
TEST_OPERATOR_FEEDS = ["lapor_banten"]
TEST_PASSWORD = "kata-sandi-uji-2026"
SESSION_COOKIE = "cc_session"


@functools.cache
def known_hash(password: str) -> str:
    """The stored form of a test password, hashed once a run (a fresh salt each time costs 0.4 s)."""
    return hash_password(password)


def write_test_users(path: Path) -> Path:
    """A users file with TEST_USERS, all with TEST_PASSWORD."""
    save_users(path, {name: Account(role=role, password=known_hash(TEST_PASSWORD), display=f"Uji {role}",
                                    feeds=TEST_OPERATOR_FEEDS if role == "operator" else [])
                      for role, name in TEST_USERS.items()})
    return path


def with_test_users(config: Config, users_file: Path) -> Config:
    """`config` with its accounts from `users_file` (written by write_test_users)."""
    return config.model_copy(update={"auth": config.auth.model_copy(update={"users_file": str(users_file)})})


@pytest.fixture(scope="session")
def users_file(tmp_path_factory) -> Path:
    return write_test_users(tmp_path_factory.mktemp("users") / "users.yaml")


@pytest.fixture(scope="session")
def config(users_file) -> Config:
    """config.yaml as shipped (with its kab/kota boundaries, dashboard/maps/), and the test accounts."""
    return with_test_users(load_config(ROOT / "config.yaml"), users_file)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base_url: str, role: str = "admin", *, username: str | None = None,
          password: str = TEST_PASSWORD) -> str:
    """Sign in through the app's own /login form over HTTP; returns the session cookie's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    form = opener.open(base_url + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    body = urlencode({"username": username or TEST_USERS[role], "password": password, "csrf": token,
                      "next": "/"}).encode()
    try:
        opener.open(base_url + "/login", body, timeout=20)
        status = 200
    except urllib.error.HTTPError as answer:
        status = answer.code
    session = next((c.value for c in jar if c.name == SESSION_COOKIE), None)
    if status != 303 or session is None:
        raise AssertionError(f"signing in as {username or TEST_USERS[role]} at {base_url} failed ({status}): "
                             "does the app's config name the test users (with_test_users)?")
    return session


def issued_session(redis_url: str, role: str = "admin", *, username: str | None = None,
                   password: str = TEST_PASSWORD, hours: float = 1.0) -> str:
    """A session of the test user of `role` as the sign-in form issues it once the password is
    right, written by the app's own session store into its Redis; returns the cookie's value. The
    account must hold `known_hash(password)`, as the test users files do."""
    async def issue():
        client = connect_async(redis_url)
        try:
            found = await SessionStore(lambda: client).create(username or TEST_USERS[role], hours, "127.0.0.1",
                                                              password_fingerprint(known_hash(password)))
        finally:
            await client.aclose()
        return found.id
    # A thread of its own: Playwright's sync API keeps an event loop running in the test's thread.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, issue()).result()


def signed_in(context, base_url: str, role: str = "admin"):
    """Give a Playwright context a real session of the test user of `role` on the app at `base_url`."""
    context.add_cookies([{"name": SESSION_COOKIE, "value": login(base_url, role), "url": base_url}])
    return context


# Base URLs of the apps `serve` runs now, the newest last: new pages sign in there first.
_SERVED: list[str] = []
_TO_LOGIN = re.compile(r"^https?://[^/]+/login\?(.*&)?next=")


def sign_in_on_demand(context, role: str = "admin", served: list[str] | None = None):
    """Sign `context` in as `role`: on the newest served app now, and on any app whenever it sends
    the page to its sign-in page (then straight back to the page asked for)."""
    served = _SERVED if served is None else served
    if served:
        signed_in(context, served[-1], role)

    def sign_in_and_return(route):
        url = urlsplit(route.request.url)
        base = f"{url.scheme}://{url.netloc}"
        back = parse_qs(url.query).get("next", ["/"])[0]
        signed_in(context, base, role)
        route.fulfill(status=302, headers={"Location": back if back.startswith("/") else "/"})

    context.route(_TO_LOGIN, sign_in_and_return)
    return context


class SignedInBrowser:
    """A Playwright Browser whose new pages and contexts are signed in (as admin unless told)."""

    def __init__(self, browser, role: str = "admin", served: list[str] | None = None):
        self.raw = browser
        self.role = role
        self.served = served

    def new_context(self, *, role: str | None = None, **kwargs):
        return sign_in_on_demand(self.raw.new_context(**kwargs), role or self.role, self.served)

    def new_page(self, *, role: str | None = None, **kwargs):
        context = self.new_context(role=role, **kwargs)
        page = context.new_page()
        # As Browser.new_page does: closing the page closes its context.
        page._impl_obj._owned_context = context._impl_obj  # noqa: SLF001
        context._impl_obj._owner_page = page._impl_obj  # noqa: SLF001
        return page

    def anonymous_page(self, **kwargs):
        """A page of a fresh context with nobody signed in."""
        return self.raw.new_page(**kwargs)

    def __getattr__(self, name):
        return getattr(self.raw, name)


@contextmanager
def serve(app, port: int | None = None):
    """Run a Dash app's FastAPI server on a (free) port in a thread; yields its base URL."""
    port = port or free_port()
    # As run.py serves it: the gate alone judges X-Forwarded-For (dashboard.trusted_proxies).
    server = uvicorn.Server(uvicorn.Config(app.server, host="127.0.0.1", port=port, log_level="warning",
                                           proxy_headers=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    _SERVED.append(base)
    try:
        yield base
    finally:
        _SERVED.remove(base)
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")  # not session: a live sync Playwright blocks later asyncio tests
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`); its pages are signed in
    as admin (SignedInBrowser: `new_page(role=...)`, `anonymous_page()`)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}: `python3 run.py test` installs it")
        pytest.skip(f"no Chromium at {CHROMIUM}; `python3 run.py test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield SignedInBrowser(browser)
        browser.close()
