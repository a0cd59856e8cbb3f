"""The camera registry in config.yaml: what a site writes, and the mistakes it is told about."""

from __future__ import annotations

import pytest

from core.cameras import visible_cameras
from core.config import ConfigError, load_config, parse_config

GROUPS = {"dishub": {"roles": ["public", "operator"]}, "polda-banten": {"roles": ["operator", "admin"]}}


def camera(**over):
    base = {"name": "Simpang Ciceri", "kab": "3673", "lat": -6.13, "lon": 106.17, "group": "dishub",
            "main": "rtsp://u:${CAM_PW}@10.0.0.5/main", "sub": "rtsp://u:${CAM_PW}@10.0.0.5/sub"}
    return base | over


def problems(data) -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    return [f"{p.path}: {p.message}" for p in err.value.problems]


def test_credentials_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CAM_PW", "s3cret")
    config = parse_config({"camera_groups": GROUPS, "cameras": {"ciceri": camera()}})
    assert config.cameras["ciceri"].url("main") == "rtsp://u:s3cret@10.0.0.5/main"
    assert config.cameras["ciceri"].url("sub") == "rtsp://u:s3cret@10.0.0.5/sub"
    assert "s3cret" not in str(config.cameras["ciceri"].public_view("ciceri"))


def test_a_camera_without_substream_serves_its_main_stream_to_the_grid(monkeypatch):
    monkeypatch.setenv("CAM_PW", "x")
    config = parse_config({"camera_groups": GROUPS, "cameras": {"ciceri": camera(sub=None)}})
    assert config.cameras["ciceri"].url("sub") == config.cameras["ciceri"].url("main")


def test_mistakes_are_reported_by_yaml_path(monkeypatch):
    monkeypatch.setenv("CAM_PW", "x")
    found = problems({"camera_groups": GROUPS, "cameras": {
        "b": camera(kab="3299"),
        "c": camera(protocol="whep"),
        "d": camera(colour="red"),
        "e": camera(protocol="rtmp"),
    }})
    # Cross-references are checked once every camera is well-formed.
    assert problems({"camera_groups": GROUPS, "cameras": {"a": camera(group="satpol")}}) == [
        "cameras.a.group: unknown camera group 'satpol'"]
    assert any(p.startswith("cameras.b.kab: '3299' is not a BPS kab/kota code") for p in found)
    assert any(p.startswith("cameras.c: main: a whep camera needs a http/https URL, not 'rtsp'") for p in found)
    assert "cameras.d.colour: unknown key" in found
    assert any(p.startswith("cameras.e.protocol: must be one of") for p in found)


def test_a_bad_url_message_never_shows_the_password(monkeypatch):
    monkeypatch.setenv("CAM_PW", "s3cret")
    found = problems({"camera_groups": GROUPS, "cameras": {"a": camera(protocol="hls")}})
    assert found and all("s3cret" not in p for p in found)


def test_unknown_roles_and_missing_env_are_mistakes(monkeypatch):
    monkeypatch.delenv("CAM_PW", raising=False)
    found = problems({"camera_groups": {"dishub": {"roles": ["everyone"]}}, "cameras": {"a": camera()}})
    assert any(p.startswith("camera_groups.dishub.roles.0: must be one of") for p in found)
    assert "cameras.a.main: environment variable CAM_PW is not set" in found


def test_roles_see_only_their_groups(monkeypatch):
    monkeypatch.setenv("CAM_PW", "x")
    config = parse_config({"camera_groups": GROUPS, "cameras": {
        "ciceri": camera(), "merak": camera(group="polda-banten")}})
    assert visible_cameras(config.cameras, config.camera_groups, "public") == ["ciceri"]
    assert visible_cameras(config.cameras, config.camera_groups, "operator") == ["ciceri", "merak"]
    assert visible_cameras(config.cameras, config.camera_groups, "analyst") == []


def test_the_shipped_config_has_demo_cameras():
    config = load_config("config.yaml")
    assert len(config.cameras) >= 4 and config.video.demo_cameras >= 4
    assert all(cam.sub for cam in config.cameras.values())
