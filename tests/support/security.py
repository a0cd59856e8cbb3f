"""Fixtures for the security suite: the real app with one account per role (and an e-Disikap
operator beside the e-Pormas one), and marked data of every application, so a test can tell from an
answer whose data it carries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.clock import utc_now
from core.config import APPLICATIONS, ClientLimit
from core.streams import app_records, app_regions, app_units, to_iso
from core.users import Account, load_users, save_users
from dashboard.app import create_app
from dashboard.auth.access import User
from tests.support.app import (  # noqa: F401 (fixtures)
    TEST_OPERATOR_FEEDS,
    TEST_USERS,
    browser,
    config,
    issued_session,
    serve,
    users_file,
    with_test_users,
)

# The e-Disikap operator of the finding (prices: the panel_harga feed), beside the suite's e-Pormas one.
DISIKAP_OPERATOR = "uji-disikap"
DISIKAP_FEEDS = ["panel_harga"]
WALL_PC = "uji-layar"  # a kiosk wall PC (role wall)
ROLES = ("public", "operator", "disikap", "analyst", "executive", "admin", "wall")
REGION, UNIT, RECORD = "3673", "U1", "R1"
DRILL = f"?wilayah={REGION}&unit={UNIT}&rekaman={RECORD}"


def marker(application: str) -> str:
    """Text that only `application`'s data carries (a unit's name and a record's title)."""
    return f"rahasia-{application}"


def role_user(role: str) -> User:
    """The test user of a role as the rules see it."""
    if role == "operator":
        return User(name=TEST_USERS["operator"], role="operator", feeds=frozenset(TEST_OPERATOR_FEEDS),
                    applications=frozenset({"e-pormas"}))
    if role == "disikap":
        return User(name=DISIKAP_OPERATOR, role="operator", feeds=frozenset(DISIKAP_FEEDS),
                    applications=frozenset({"e-disikap"}))
    if role == "wall":
        return User(name=WALL_PC, role="wall")
    return User(name=f"uji-{role}", role=role)


def forbidden_markers(role: str) -> set[str]:
    """The markers of every application the role may not read."""
    user = role_user(role)
    return {marker(a) for a in APPLICATIONS if not user.may_see_application(a)}


def seed_markers(r) -> None:
    """One kab/kota, unit and record per application, each named with the application's marker."""
    now = to_iso(utc_now())
    for application in APPLICATIONS:
        mark = marker(application)
        r.hset(app_regions(application), REGION, json.dumps({"updated": now, "name": f"{mark}-wilayah"}))
        r.hset(app_units(application, REGION), UNIT, json.dumps({"name": f"{mark}-unit", "updated": now}))
        r.hset(app_records(application, REGION, UNIT), RECORD,
               json.dumps({"judul": f"{mark}-rekaman", "name": f"{mark}-rekaman", "_t": now}))


@pytest.fixture(scope="module")
def security_config(config, users_file, tmp_path_factory):  # noqa: F811
    """The suite's config with the test accounts plus the e-Disikap operator."""
    path = tmp_path_factory.mktemp("users-security") / "users.yaml"
    accounts = dict(load_users(Path(users_file), config))
    some = next(iter(accounts.values()))
    accounts[DISIKAP_OPERATOR] = Account(role="operator", password=some.password, display="Uji e-Disikap",
                                         feeds=DISIKAP_FEEDS)
    accounts[WALL_PC] = Account(role="wall", password=some.password, display="Uji layar")
    save_users(path, accounts)
    # The fuzz sends thousands of requests a second from one session: rights, not limits, are tried
    # there (test_abuse_limits.py tries the limits).
    limits = config.dashboard.limits.model_copy(update={"callbacks": ClientLimit(per_second=10_000, burst=100_000)})
    config = config.model_copy(update={"dashboard": config.dashboard.model_copy(update={"limits": limits})})
    return with_test_users(config, path)


@pytest.fixture(scope="module")
def served(security_config, redis_server):
    app = create_app(security_config, redis_server.url)
    with serve(app) as base:
        yield app, base


@pytest.fixture
def sessions(redis_url):
    """A real session for each role (Redis is emptied before each test), the public none."""
    out = {"public": None, "disikap": issued_session(redis_url, username=DISIKAP_OPERATOR),
           "wall": issued_session(redis_url, username=WALL_PC)}
    out.update({role: issued_session(redis_url, role) for role in TEST_USERS})
    return out
