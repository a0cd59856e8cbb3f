"""Redis away, as an operator meets it: a role refuses to start, the reachability check names the
server (password hidden), and a signed-in wall still reloads. Each waits out the Redis client's
failover retry budget first (core/redis.py: RETRIES with backoff, about 7 s) on purpose, since a
failover looks the same for those seconds; that wait is why these tests live in the system lane and
not in the fast ones."""

from __future__ import annotations

import pytest

from core.redis import EmbeddedRedis, RedisUnavailable, check_reachable, free_port
from dashboard.app import create_app
from tests.support.access import fetch
from tests.support.app import login, serve
from tests.support.cli import run


def test_a_role_refuses_an_unreachable_redis():
    result = run("ingest", env={"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    assert result.returncode == 2
    assert "is not reachable" in result.stderr


def test_an_unreachable_configured_redis_is_a_clear_error():
    url = f"redis://:secret@127.0.0.1:{free_port()}/0"
    with pytest.raises(RedisUnavailable, match=r"Redis at redis://:\*\*\*@127.0.0.1:\d+/0 is not reachable"):
        check_reachable(url)


def test_a_signed_in_wall_reloads_through_a_redis_outage(config, tmp_path):
    """Sessions live in Redis; while it is away a session this process saw still opens its pages
    (a wall PC reloading), and a session it cannot check is asked to retry, not let in."""
    port = free_port()
    server = EmbeddedRedis(tmp_path / "redis", port=port).start()
    try:
        with serve(create_app(config, server.url)) as base:
            cookie = login(base, "executive")
            server.stop()
            assert fetch(base + "/wall/command-center", cookie).status == 200
            unknown = fetch(base + "/wall/command-center", "x" * 43)
            assert unknown.status == 503 and unknown.headers["Retry-After"] == "5"
            assert 'http-equiv="refresh"' in unknown.text()
            assert fetch(base + "/publik").status == 200  # no cookie, nothing to check
    finally:
        server.stop()
