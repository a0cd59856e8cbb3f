"""The embedded Redis keeps its data across a restart; a configured one that is down is an error."""

import pytest
from redis.backoff import NoBackoff
from redis.retry import Retry

from core.config import parse_config
from core.redis import (
    REDIS_ERRORS,
    EmbeddedRedis,
    OutageLog,
    RedisUnavailable,
    configured_url,
    connect,
    free_port,
    safe_url,
)


def test_embedded_redis_keeps_data_across_a_restart(tmp_path):
    with EmbeddedRedis(tmp_path) as server:
        connect(server.url).xadd("cc:feed:x", {"a": "1"})
        port = server.port
    assert not (server.alive())
    with EmbeddedRedis(tmp_path, port=port) as again:
        assert connect(again.url).xlen("cc:feed:x") == 1


def test_redis_url_from_the_environment_wins(monkeypatch):
    config = parse_config({"redis": {"url": "redis://configured:6379/0"}})
    assert configured_url(config) == "redis://configured:6379/0"
    monkeypatch.setenv("REDIS_URL", "redis://from-env:6379/1")
    assert configured_url(config) == "redis://from-env:6379/1"
    monkeypatch.delenv("REDIS_URL")
    assert configured_url(parse_config({})) is None  # no URL: run.py starts the embedded one


def test_passwords_never_reach_logs():
    assert safe_url("redis://user:pw@host:6379/0") == "redis://user:***@host:6379/0"


def test_a_sentinel_url_names_sentinels_service_and_password():
    from core.redis import _sentinel_args, is_sentinel_url

    url = "redis+sentinel://:s3cret@10.0.0.5:26379,10.0.0.6:26380/cc-primary/2"
    assert is_sentinel_url(url) and not is_sentinel_url("redis://h:6379/0")
    sentinels, service, kwargs = _sentinel_args(url, {})
    assert sentinels == [("10.0.0.5", 26379), ("10.0.0.6", 26380)]
    assert (service, kwargs["password"], kwargs["db"]) == ("cc-primary", "s3cret", 2)
    assert safe_url(url + "?sentinel_password=other") == "redis+sentinel://:***@10.0.0.5:26379,10.0.0.6:26380/cc-primary/2"


def test_a_wrong_sentinel_url_or_config_is_a_clear_error():
    from core.config import ConfigError

    with pytest.raises(RedisUnavailable, match="each sentinel must be host:port, not '10.0.0.5'"):
        connect("redis+sentinel://10.0.0.5/cc-primary/0")
    with pytest.raises(RedisUnavailable, match="service name is missing"):
        connect("redis+sentinel://10.0.0.5:26379")
    with pytest.raises(ConfigError, match="redis.sentinels"):
        parse_config({"redis": {"sentinels": ["10.0.0.5"]}})


def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(caplog):
    """A reader retrying every second against a Redis that is away writes two lines, not one a try."""
    import logging

    log = logging.getLogger("test.outage")
    outage = OutageLog(log, "cannot read ({error}); keeping the last data", "readable again")
    url = f"redis://127.0.0.1:{free_port()}/0"
    with caplog.at_level(logging.INFO, logger="test.outage"):
        for _ in range(3):
            try:
                # One try each (no failover retry): the reader here is the one retrying.
                connect(url, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0)).ping()
            except REDIS_ERRORS as exc:
                outage.failed(exc)
        outage.worked()
        outage.worked()
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert len(lines) == 2 and lines[1] == ("INFO", "readable again")
    level, message = lines[0]
    assert level == "WARNING" and message.startswith("cannot read (") and message.endswith("keeping the last data")
