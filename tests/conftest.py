"""Fixtures every test package shares: a real, private Redis for the test session."""

from __future__ import annotations

import pytest

from core.redis import EmbeddedRedis, connect


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
