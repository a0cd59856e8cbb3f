"""Sessions that end: sign-out, account removal and a password change end every session they should
within seconds, on pages and on an open wall's WebSocket that sends nothing (it only receives); and
the read-only `wall` role of kiosk PCs opens walls and nothing else."""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import pytest

from core.users import Account, UserBook, load_users, save_users
from dashboard.app import create_app
from tests.support.access import callback_payload, fetch, post_callback
from tests.support.app import SESSION_COOKIE, TEST_PASSWORD, TEST_USERS, known_hash, login, serve, with_test_users

WITHIN_S = 8  # auth.session_check is 2 s; a loaded machine gets some slack


@pytest.fixture(scope="module")
def own_users(config, users_file, tmp_path_factory):
    """A users file of this module's own (accounts are removed and changed here), with a wall PC."""
    path = tmp_path_factory.mktemp("users-sessions") / "users.yaml"
    accounts = dict(load_users(Path(users_file), config))
    some = next(iter(accounts.values()))
    accounts["layar-lobi"] = Account(role="wall", password=some.password, display="Layar lobi")
    save_users(path, accounts)
    return path


@pytest.fixture(scope="module")
def served(config, own_users, redis_server):
    app = create_app(with_test_users(config, own_users), redis_server.url)
    with serve(app) as base:
        yield app, base


def _watch(base: str, cookie: str, payload: dict, act) -> tuple[float | None, int | None]:
    """Open a page's WebSocket, ask for the page once, then stay silent (as a wall does, only
    receiving); run `act` and return how long after it the server closed the socket (None: not
    within WITHIN_S) and the close code."""

    async def run():
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(base.replace("http", "ws") + "/_dash-ws-callback",
                                          headers={"Origin": base, "Cookie": f"{SESSION_COOKIE}={cookie}"}) as ws:
                await ws.send_json({"type": "callback_request", "requestId": "1", "rendererId": "r",
                                    "payload": payload})
                first = await ws.receive(timeout=15)
                assert "callback_response" in first.data
                await asyncio.to_thread(act)
                started = time.monotonic()
                while time.monotonic() - started < WITHIN_S:
                    try:
                        message = await ws.receive(timeout=WITHIN_S)
                    except TimeoutError:
                        break
                    if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
                        return time.monotonic() - started, ws.close_code
                return None, ws.close_code

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def _wall_payload(app):
    key = next(k for k in app.callback_map if k.startswith("..screen."))
    return callback_payload(key, app.callback_map[key], "/wall/command-center")


def _sign_out(base: str, cookie: str) -> None:
    page = fetch(base + "/logout", cookie).text()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert fetch(base + "/logout", cookie, "POST", f"csrf={token}".encode(),
                 {"Content-Type": "application/x-www-form-urlencoded"}).status == 303


def test_sign_out_ends_every_session_of_the_user_and_closes_a_silent_wall_within_seconds(served, redis_url):
    app, base = served
    wall, laptop = login(base, "executive"), login(base, "executive")
    other = login(base, "admin")
    took, code = _watch(base, wall, _wall_payload(app), lambda: _sign_out(base, laptop))
    assert took is not None and code == 4001, "the wall's socket stayed open after its user signed out"
    assert fetch(base + "/wall/command-center", wall).status == 302  # to the sign-in page
    assert fetch(base + "/wall/command-center", other).status == 200  # another user's session holds


def test_a_password_change_ends_every_session_of_that_user(served, own_users, config, redis_url):
    app, base = served
    first, second = login(base, "analyst"), login(base, "analyst")
    other = login(base, "admin")
    key = next(k for k in app.callback_map if k.startswith("..app-page."))
    payload = callback_payload(key, app.callback_map[key], "/app/e-pormas")  # an analyst's page

    def change_password():
        accounts = dict(load_users(own_users, config))
        accounts[TEST_USERS["analyst"]] = accounts[TEST_USERS["analyst"]].model_copy(
            update={"password": known_hash("kata-sandi-baru-2026")})
        save_users(own_users, accounts)

    try:
        took, code = _watch(base, first, payload, change_password)
        assert took is not None and code == 4001, "the socket stayed open after the password changed"
        for cookie in (first, second):
            assert fetch(base + "/analyst", cookie).status == 302  # to the sign-in page
        assert fetch(base + "/analyst", other).status == 200  # another user's session holds
        assert login(base, "analyst", password="kata-sandi-baru-2026")
    finally:
        accounts = dict(load_users(own_users, config))
        accounts[TEST_USERS["analyst"]] = accounts[TEST_USERS["admin"]].model_copy(
            update={"role": "analyst", "display": "Uji analyst"})
        save_users(own_users, accounts)
        time.sleep(UserBook.RECHECK_S + 0.2)


def test_removing_an_account_closes_its_wall_within_seconds(served, own_users, config, redis_url):
    app, base = served
    cookie = login(base, username="layar-lobi")
    kept = dict(load_users(own_users, config))

    def remove():
        accounts = dict(kept)
        del accounts["layar-lobi"]
        save_users(own_users, accounts)

    try:
        took, code = _watch(base, cookie, _wall_payload(app), remove)
        assert took is not None and code == 4001, "the wall kept its socket after its account was removed"
        assert fetch(base + "/wall/command-center", cookie).status == 302
    finally:
        save_users(own_users, kept)
        time.sleep(UserBook.RECHECK_S + 0.2)  # the app sees the restored file


def test_the_wall_role_opens_walls_and_nothing_else(served, redis_url):
    app, base = served
    cookie = login(base, username="layar-lobi", password=TEST_PASSWORD)
    assert fetch(base + "/wall/command-center", cookie).status == 200
    assert fetch(base + "/wall/playlist-command-center", cookie).status == 200
    for path in ("/remote", "/screen/meeting", "/screen/governor", "/analyst", "/operator", "/app/e-pormas",
                 "/admin/audit"):
        assert fetch(base + path, cookie).status == 403, path
    # No callback that changes anything answers it: the remote control, the meeting room, uploads.
    for key, spec in app.callback_map.items():
        if str(key).startswith(("..remote-", "meet-", "..op-", "op-", "..{")) and not spec.get("no_output"):
            assert post_callback(base, callback_payload(key, spec), cookie).status == 403, key
