"""Config mistakes are reported with their YAML path and line; secrets come from the environment."""

import textwrap

import pytest

from core.config import ConfigError, load_config, parse_duration


def write(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text))
    return path


FEED = """
feeds:
  pihps_serang:
    kind: http_json
    application: e-disikap
    url: http://127.0.0.1:1/x
    source_id: id
    interval: {interval}
"""


def test_the_shipped_config_is_valid():
    config = load_config("config.yaml")
    assert {f.application for f in config.feeds.values()} == {
        "e-bansos", "e-pormas", "e-cctv", "e-statistik", "e-yankes", "e-lpse", "e-disikap"}


def test_a_negative_interval_is_reported_by_the_feed_kind_with_its_path(tmp_path):
    from ingest.feeds import check_feeds

    config = load_config(write(tmp_path, FEED.format(interval=-5)))
    problems = [str(p) for p in check_feeds(config)]
    assert problems == ["feeds.pihps_serang.interval: must be > 0"]


def test_unknown_keys_and_wrong_values_carry_path_and_line(tmp_path):
    path = write(tmp_path, """
        dashboard:
          port: 0
          colour: blue
        feeds:
          x:
            kind: csv
            application: e-nothing
            source_id: id
        """)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    lines = str(err.value).splitlines()
    assert f"{path}:3: dashboard.port: must be > 0" in lines
    assert f"{path}:4: dashboard.colour: unknown key" in lines
    assert any(line.startswith(f"{path}:8: feeds.x.application: must be one of") for line in lines)


def test_a_metric_on_an_unknown_feed_is_an_error(tmp_path):
    path = write(tmp_path, """
        metrics:
          harga:
            application: e-disikap
            label: Harga
            feed: nowhere
            entity: [id]
            aggregate: mean
            value: harga
        """)
    with pytest.raises(ConfigError, match=r"metrics.harga.feed: unknown feed 'nowhere'"):
        load_config(path)


def test_secrets_come_from_the_environment(tmp_path, monkeypatch):
    text = FEED.format(interval=10).replace("http://127.0.0.1:1/x", "${PIHPS_URL}")
    monkeypatch.setenv("PIHPS_URL", "http://example.invalid/prices")
    assert load_config(write(tmp_path, text)).feeds["pihps_serang"].options["url"] == "http://example.invalid/prices"
    monkeypatch.delenv("PIHPS_URL")
    with pytest.raises(ConfigError, match=r"feeds.pihps_serang.url: environment variable PIHPS_URL is not set"):
        load_config(write(tmp_path, text))


def test_a_yaml_syntax_error_names_the_line(tmp_path):
    with pytest.raises(ConfigError, match=r"config.yaml:3: \(syntax\): mapping values are not allowed here"):
        load_config(write(tmp_path, "feeds:\n  a: 1\n   b: 2\n"))


@pytest.mark.parametrize("text,seconds", [("30s", 30), ("5m", 300), ("24h", 86400), ("7d", 604800), (15, 15)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds
