"""The meeting room: its shared view in Redis, the presenter's buttons, prepared views, the stage's places."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ConfigError
from core.streams import AUDIT, meeting_room
from dashboard.auth.access import EXECUTIVE, User, reset_current_user, set_current_user
from dashboard.meeting.page import STEP_SLOTS, wanted_change
from dashboard.meeting.plan import load_plans, plans_dir
from dashboard.meeting.stage import arrange, grid_style
from dashboard.meeting.state import DEFAULT_ROOM, RoomView, change, read_version, read_view, room_name

ROOM = "uji"


def test_a_change_bumps_the_version_only_when_the_screens_would_show_something_else(config, r):
    assert read_version(r, ROOM) == 0 and read_view(r, ROOM).topic == ""
    first = change(r, ROOM, config, "uji-admin", topic="e-yankes")
    assert (first.topic, first.region, first.version, first.by) == ("e-yankes", "36", 1, "uji-admin")
    assert change(r, ROOM, config, "someone-else", topic="e-yankes").version == 1  # same view: no change
    second = change(r, ROOM, config, region="3673", spotlight="peta")
    assert second.version == 2 and read_version(r, ROOM) == 2
    assert read_view(r, ROOM) == second
    assert r.hget(meeting_room(ROOM), "spotlight") == "peta"
    assert read_version(r, "ruang-lain") == 0  # rooms are apart
    # Each change that moved the screens is in the audit trail with who and what; the no-op is not.
    moves = [f for _, f in r.xrange(AUDIT) if f["action"] == "screen_control" and f["target"] == f"meeting:{ROOM}"]
    assert [(m["who"], m["detail"]) for m in moves][-2:] == [
        ("uji-admin", "topic=e-yankes region=36"), ("-", "topic=e-yankes region=3673 spotlight=peta")]


def test_what_does_not_fit_a_topic_is_dropped(config, r):
    # A camera topic sits at its camera's kab/kota; a spotlight the topic does not show is let go.
    view = change(r, ROOM, config, topic="kamera", camera="pelabuhan-merak", spotlight="kamera",
                  region="3673")
    assert (view.region, view.spotlight) == ("3672", "kamera")
    view = change(r, ROOM, config, topic="wilayah", camera="")
    assert view.spotlight == ""  # an overview has no camera tile
    assert change(r, ROOM, config, topic="kamera", camera="no-such-camera").topic == ""
    assert change(r, ROOM, config, topic="e-yankes", region="9999").region == "36"
    assert change(r, ROOM, config, topic="drop table").topic == ""


def test_room_names_from_the_url():
    assert room_name("Rapat-2") == "rapat-2"
    assert room_name("") == room_name(None) == room_name("../x") == room_name("a" * 41) == DEFAULT_ROOM


def test_the_presenters_buttons(config):
    plans = load_plans(config)
    plan = plans["rapat-pimpinan"]
    start = RoomView()
    assert wanted_change("meet-topic-e-pormas", start, config, plans) == {"topic": "e-pormas", "camera": ""}
    assert wanted_change("meet-topic-cam-simpang-ciceri", start, config, plans) == {
        "topic": "kamera", "camera": "simpang-ciceri"}
    # Polda Banten's cameras are for operators, executives and admins only (camera_groups in config.yaml).
    assert wanted_change("meet-topic-cam-pelabuhan-merak", start, config, plans) is None  # nobody signed in
    token = set_current_user(User("uji-pimpinan", EXECUTIVE))
    try:
        wanted = wanted_change("meet-topic-cam-pelabuhan-merak", start, config, plans)
        assert wanted == {"topic": "kamera", "camera": "pelabuhan-merak"}
    finally:
        reset_current_user(token)
    camera = RoomView(topic="kamera", camera="simpang-ciceri", region="3673")
    # A camera has its own place: another region means that region's overview.
    assert wanted_change("meet-region-3671", camera, config, plans)["topic"] == "wilayah"
    spotlit = RoomView(topic="e-yankes", spotlight="peta")
    assert wanted_change("meet-spot-peta", spotlit, config, plans) == {"spotlight": ""}  # a 2nd tap: let go
    assert wanted_change("meet-spot-tren", spotlit, config, plans) == {"spotlight": "tren"}
    assert wanted_change("meet-next", start, config, plans) is None  # no prepared views chosen
    first = wanted_change("meet-plan-0", start, config, plans)  # the lists by name: one slot each
    assert first == {"plan": "rapat-pimpinan", "step": 0, **plan.steps[0].view_fields()}
    on_plan = RoomView(plan="rapat-pimpinan", step=0)
    assert wanted_change("meet-next", on_plan, config, plans) == {"step": 1, **plan.steps[1].view_fields()}
    assert wanted_change("meet-prev", on_plan, config, plans) is None  # already at the first
    last = RoomView(plan="rapat-pimpinan", step=len(plan.steps) - 1)
    assert wanted_change("meet-next", last, config, plans) is None
    assert wanted_change(f"meet-step-{STEP_SLOTS - 1}", on_plan, config, plans) is None  # past the list


def test_the_shipped_prepared_views_are_valid(config):
    plans = load_plans(config)
    assert "rapat-pimpinan" in plans
    steps = plans["rapat-pimpinan"].steps
    assert steps[0].title == "Keadaan provinsi hari ini" and steps[0].topic == "wilayah"
    assert any(s.topic == "kamera" and s.camera in config.cameras for s in steps)
    assert plans_dir(config).name == "meeting"  # below the screens, where the wall loader does not look


def test_a_broken_prepared_view_is_reported_with_file_line_and_path(config, tmp_path: Path):
    layouts = tmp_path / "layouts"
    (layouts / "meeting").mkdir(parents=True)
    bad = layouts / "meeting" / "rapat.yaml"
    bad.write_text("title: Rapat\n"
                   "steps:\n"
                   "  - {title: Satu, topic: e-yankes, spotlight: kamera}\n"
                   "  - title: Dua\n"
                   "    topic: kamera\n"
                   "    camera: kamera-tak-ada\n"
                   "  - {title: Tiga, topic: wilayah, region: '9999', warna: merah}\n", encoding="utf-8")
    dashboard = config.dashboard.model_copy(update={"layouts_dir": str(layouts)})
    cfg = config.model_copy(update={"dashboard": dashboard})
    with pytest.raises(ConfigError) as err:
        load_plans(cfg)
    found = {(p.path, p.line) for p in err.value.problems}
    assert ("steps[2].warna", 7) in found  # unknown keys are mistakes (pydantic first)
    bad.write_text("title: Rapat\nsteps:\n  - {title: Satu, topic: e-yankes, spotlight: kamera}\n"
                   "  - title: Dua\n    topic: kamera\n    camera: kamera-tak-ada\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_plans(cfg)
    text = str(err.value)
    assert f"{bad}:3: steps[0].spotlight: 'kamera' is not a tile of this topic" in text
    assert f"{bad}:6: steps[1].camera: unknown camera 'kamera-tak-ada'" in text


def test_the_spotlit_tile_goes_large_on_the_left():
    tiles = ("angka", "peta", "tren", "peringatan")
    places = arrange(tiles, "peta")
    assert places["peta"] == (1, 1, 9, 6)
    stacked = [places[t] for t in ("angka", "tren", "peringatan")]
    assert stacked == [(10, 1, 3, 2), (10, 3, 3, 2), (10, 5, 3, 2)]
    assert arrange(tiles, "")["angka"] == (1, 1, 6, 3)  # no spotlight: 2x2
    three = arrange(("angka", "peta", "peringatan"), "")
    assert three["angka"] == (1, 1, 6, 6) and three["peringatan"] == (7, 4, 6, 3)
    assert grid_style(places["peta"]) == {"gridColumn": "1 / span 9", "gridRow": "1 / span 6"}
    assert grid_style(None) == {"display": "none"}


def test_run_py_check_refuses_a_broken_prepared_view(tmp_path: Path):
    """An operator's `python3 run.py check` names the file, line and path, like for a screen."""
    import os
    import shutil
    import subprocess
    import sys

    import yaml

    root = Path(__file__).resolve().parents[3]
    layouts = tmp_path / "layouts"
    shutil.copytree(root / "layouts", layouts)
    (layouts / "meeting" / "rusak.yaml").write_text(
        "title: Rusak\nsteps:\n  - {title: Satu, topic: e-bansos}\n  - {title: Dua, topic: hujan}\n",
        encoding="utf-8")
    config = yaml.safe_load((root / "config.yaml").read_text())
    config["dashboard"]["layouts_dir"] = str(layouts)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = subprocess.run([sys.executable, str(root / "run.py"), "check", "--config", str(path)],
                            check=False, capture_output=True, text=True, timeout=120, cwd=root,
                            env=dict(os.environ))
    assert result.returncode != 0
    assert f"{layouts / 'meeting' / 'rusak.yaml'}:4: steps[1].topic: unknown topic 'hujan'" in result.stderr
