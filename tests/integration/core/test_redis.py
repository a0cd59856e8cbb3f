"""The embedded Redis keeps its data across a restart; a configured one that is down is an error."""

import pytest

from core.config import parse_config
from core.redis import (
    EmbeddedRedis,
    RedisUnavailable,
    configured_url,
    connect,
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
