"""Fixtures every lane shares: a real, private Redis for the test session, and the clock.

The suite is in lanes, one folder each (README, "Tests"): tests/unit (no Redis, no network, no
subprocess), tests/integration (real Redis, real HTTP in this process, short commands), tests/browser
(real Chromium against an app served in this process), tests/system (the whole `run.py all`, cameras
behind real RTSP servers); tests/faults and tests/bench run on their own. Helpers and the fixtures
of several lanes live in tests/support/ (registered below), never in another folder's conftest.

No test depends on the day it runs: a test builds its data relative to `core.clock.utc_now()`, or
asks for `payload_day` when it seeds the saved source payloads (tests/support/payloads), which carry
the dates of the morning they were taken.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from core import clock
from core.redis import EmbeddedRedis, connect

# Fixtures that tests of several lanes and features ask for by name.
pytest_plugins = ["tests.support.app", "tests.support.cameras", "tests.support.camera_listing",
                  "tests.support.demo_fixtures", "tests.support.monitor_fixtures", "tests.support.security"]

# The morning the saved source payloads were taken (their dates, deadlines and "updated_at").
PAYLOAD_DAY = datetime(2026, 11, 28, 10, 0, tzinfo=clock.WIB)


@pytest.fixture(autouse=True)
def _system_clock_after_each_test():
    """A test that moved the clock cannot leave it moved for the next one."""
    yield
    clock.set_clock(None)


@pytest.fixture
def payload_day():
    """The project's clock runs from PAYLOAD_DAY on (it keeps ticking, so pushes and sessions work)."""
    with clock.shifted(PAYLOAD_DAY - clock.utc_now()):
        yield PAYLOAD_DAY


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A private redis-server (the same embedded server run.py starts) for the whole session."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    """The URL of the session's Redis, emptied before each test."""
    connect(redis_server.url).flushall()
    return redis_server.url


@pytest.fixture
def r(redis_url):
    """A synchronous client on the emptied test Redis."""
    client = connect(redis_url, decode_responses=True)
    yield client
    client.close()
