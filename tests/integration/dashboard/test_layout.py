"""Screens as data: every shipped file loads; every mistake is named with its file, YAML path and line."""

import subprocess
import sys

import pytest

from core.config import ConfigError
from dashboard.walls.layout import ROOT, layout_files, layouts_dir, load_layouts, load_library
from tests.support.layouts import GOOD, PLAYLIST, with_layouts


def problems(config, tmp_path, text: str, name: str = "uji"):
    (tmp_path / f"{name}.yaml").write_text(text)
    with pytest.raises(ConfigError) as err:
        load_layouts(with_layouts(config, tmp_path))
    return {(p.path, p.line): p for p in err.value.problems}, err.value


def test_the_shipped_command_center_wall_loads(config):
    screens = load_layouts(config)
    wall = screens["command-center"]
    assert wall.path == "/wall/command-center"
    metrics = {t.metric for t in wall.tiles if t.kind == "metric"}
    assert {"bansos_tersalur", "pengaduan_24j", "kamera_aktif", "kemiskinan", "keterisian_tt",
            "nilai_tender", "harga_beras"} <= metrics
    assert {t.kind for t in wall.tiles} == {"metric", "map", "clock", "alerts"}


def test_a_good_file_loads(config, tmp_path):
    (tmp_path / "uji.yaml").write_text(GOOD)
    screen = load_layouts(with_layouts(config, tmp_path))["uji"]
    assert [t.id for t in screen.tiles] == ["jam", "beras", "peta", "peringatan"]
    assert screen.tiles[1].width == 2 and screen.tiles[2].height == 2


def test_unknown_metric_is_reported_with_path_and_line(config, tmp_path):
    found, err = problems(config, tmp_path, GOOD.replace("metric: harga_beras, col: 2", "metric: foo, col: 2"))
    problem = found[("tiles[1].metric", 5)]
    assert problem.message == "unknown metric 'foo'"
    assert problem.file.endswith("uji.yaml")
    assert "uji.yaml:5: tiles[1].metric: unknown metric 'foo'" in str(err)


def test_bad_positions_are_reported(config, tmp_path):
    text = GOOD.replace("col: 2, row: 1, width: 2", "col: 3, row: 1, width: 3").replace(
        "col: 4, row: 1, height: 2", "col: 9, row: 1, height: 2")
    found, _ = problems(config, tmp_path, text)
    assert "past the grid's 4 columns" in found[("tiles[1].width", 5)].message
    assert found[("tiles[2].col", 6)].message == "column 9 is outside the grid (1..4)"


def test_overlap_and_duplicate_ids_are_reported(config, tmp_path):
    text = GOOD.replace("{id: peringatan, kind: alerts, col: 1, row: 2, width: 3}",
                        "{id: jam, kind: alerts, col: 1, row: 1, width: 3}")
    found, _ = problems(config, tmp_path, text)
    assert found[("tiles[3].id", 7)].message == "duplicate tile id 'jam' (also tiles[0])"
    assert found[("tiles[3]", 7)].message == "overlaps tile 'jam' (tiles[0])"


def test_unknown_keys_kinds_and_missing_fields_are_reported_together(config, tmp_path):
    text = GOOD.replace("grid: {columns: 4, rows: 2}", "grid: {columns: 4, rows: 2, colour: red}").replace(
        "{id: jam, kind: clock, col: 1, row: 1}", "{id: jam, kind: clock, col: 1, row: 1, warna: biru}").replace(
        "{id: peringatan, kind: alerts,",
        "{id: peringatan, kind: ticker,") + "  - {id: x, kind: metric, col: 1, row: 1}\n"
    found, _ = problems(config, tmp_path, text)
    assert found[("grid.colour", 2)].message == "unknown key"
    assert found[("tiles[0].warna", 4)].message == "unknown key"
    assert found[("tiles[3].kind", 7)].message.startswith("unknown kind 'ticker'")
    assert found[("tiles[4].metric", 8)].message == "required"


def test_syntax_errors_and_bad_names(config, tmp_path):
    found, _ = problems(config, tmp_path, "title: [unclosed\n")
    assert any(path == "(syntax)" for path, _ in found)
    (tmp_path / "uji.yaml").unlink()
    found, _ = problems(config, tmp_path, GOOD, name="Bad Name")
    assert found[("(file)", None)].message.startswith("the file name must use")


def test_a_missing_geojson_is_an_error_when_a_screen_has_a_map(config, tmp_path):
    cfg = config.model_copy(update={"dashboard": config.dashboard.model_copy(update={"geojson": "nowhere.geojson"})})
    (tmp_path / "uji.yaml").write_text(GOOD)
    with pytest.raises(ConfigError) as err:
        load_layouts(with_layouts(cfg, tmp_path))
    assert err.value.problems[0].path == "dashboard.geojson"


def test_the_shipped_boundaries_draw_by_default_and_seats_only_without_them(config, monkeypatch, caplog, tmp_path):
    """Out of the box every map has kab/kota polygons; a trimmed install that lost the file still draws."""
    from core.config import SHIPPED_GEOJSON
    from dashboard.tiles import map as region_map

    assert config.dashboard.geojson == SHIPPED_GEOJSON and (ROOT / SHIPPED_GEOJSON).is_file()
    assert (ROOT / "dashboard" / "maps" / "banten-kabkota.LICENSE").read_text().count("MIT License") == 1
    geometry = region_map.load_geometry(config)
    assert geometry.mode == "polygons" and len(geometry.regions) == 8
    assert all(len(r.xs) > 20 for r in geometry.regions)  # outlines, not points
    empty = config.model_copy(update={"dashboard": config.dashboard.model_validate(
        dict(config.dashboard.model_dump(), geojson=""))})
    assert empty.dashboard.geojson == SHIPPED_GEOJSON  # CC_GEOJSON empty: the shipped file
    monkeypatch.chdir(tmp_path)  # an install without dashboard/maps/
    monkeypatch.setattr(region_map, "ROOT", tmp_path)
    with caplog.at_level("WARNING", logger="dashboard.map"):
        fallback = region_map.load_geometry(config)
    assert fallback.mode == "seats" and len(fallback.regions) == 8
    assert "banten-kabkota.geojson" in caplog.text and "dot at its seat" in caplog.text


def test_every_shipped_layout_file_validates(config):
    """Each file in layouts/ is a screen or a playlist that loads, and `run.py check` says so."""
    lib = load_library(config)
    names = {p.stem for p in layout_files(layouts_dir(config))}
    assert names == set(lib.screens) | set(lib.playlists)
    assert {"command-center", "cctv-wall", "harga-pangan", "pengaduan"} <= set(lib.screens)
    rotation = lib.playlists["playlist-command-center"]
    assert [i.screen for i in rotation.items] == ["command-center", "harga-pangan", "pengaduan", "cctv-wall"]
    assert rotation.path == "/wall/playlist-command-center"
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "check"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "layouts valid" in done.stdout


def test_run_check_reports_a_broken_layout_file_with_its_path_and_line(config, tmp_path):
    """`run.py check` on a config whose layouts folder holds a broken file names the file and line."""
    import yaml
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    data["dashboard"]["layouts_dir"] = str(tmp_path / "layouts")
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "uji.yaml").write_text(GOOD.replace("metric: harga_beras, col: 2", "metric: beras, col: 2"))
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "check", "--config", str(tmp_path / "config.yaml")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"{tmp_path / 'layouts' / 'uji.yaml'}:5: tiles[1].metric: unknown metric 'beras'" in done.stderr


def test_unknown_map_metric_camera_group_feed_and_application_are_reported(config, tmp_path):
    """Every name a tile gives must exist in config.yaml: each miss is its own problem, on its line."""
    text = """\
title: Uji
grid: {columns: 4, rows: 3}
tiles:
  - {id: peta, kind: map, metric: harga_emas, col: 1, row: 1}
  - {id: kamera, kind: camera_grid, cameras: [simpang-ciceri, kamera-hilang], col: 2, row: 1}
  - {id: kamera2, kind: camera_grid, groups: [satpol-pp], col: 3, row: 1}
  - id: peringatan
    kind: alerts
    feeds: [panel_harga, harga_emas_antam]
    applications: [e-disikap, e-parkir]
    col: 1
    row: 2
"""
    found, err = problems(config, tmp_path, text)
    assert found[("tiles[0].metric", 4)].message == "unknown metric 'harga_emas'"
    camera = next(p for (path, _), p in found.items() if path.startswith("tiles[1].cameras"))
    assert camera.message == "unknown camera 'kamera-hilang'" and camera.line == 5
    group = next(p for (path, _), p in found.items() if path.startswith("tiles[2].groups"))
    assert group.message == "unknown camera group 'satpol-pp'" and group.line == 6
    assert found[("tiles[3].feeds[1]", 9)].message == "unknown feed 'harga_emas_antam'"
    assert found[("tiles[3].applications[1]", 10)].message.startswith("unknown application 'e-parkir'")
    assert len(err.problems) == 5


def test_a_playlist_names_screens_that_exist(config, tmp_path):
    (tmp_path / "uji.yaml").write_text(GOOD)
    (tmp_path / "uji-dua.yaml").write_text(GOOD.replace("title: Uji", "title: Uji dua"))
    (tmp_path / "putaran.yaml").write_text(PLAYLIST)
    lib = load_library(with_layouts(config, tmp_path))
    assert set(lib.screens) == {"uji", "uji-dua"}  # a playlist is not a screen
    assert [(i.screen, i.seconds) for i in lib.playlists["putaran"].items] == [("uji", 20), ("uji-dua", 10)]
    assert lib.playlists["putaran"].file.endswith("putaran.yaml")

    (tmp_path / "putaran.yaml").write_text(PLAYLIST.replace("screen: uji-dua", "screen: uji-tiga").replace(
        "seconds: 20", "seconds: 1").replace("title: Putaran uji\n", "title: Putaran uji\nwarna: biru\n"))
    with pytest.raises(ConfigError) as err:
        load_library(with_layouts(config, tmp_path))
    found = {(p.path, p.line): p.message for p in err.value.problems}
    assert found[("warna", 3)] == "unknown key"
    assert found[("items[0].seconds", 5)] == "must be >= 2.0"
    (tmp_path / "putaran.yaml").write_text(PLAYLIST.replace("screen: uji-dua", "screen: uji-tiga"))
    with pytest.raises(ConfigError) as err:
        load_library(with_layouts(config, tmp_path))
    (problem,) = err.value.problems
    assert (problem.path, problem.line, problem.message) == ("items[1].screen", 5, "unknown screen 'uji-tiga'")
    assert str(problem).startswith(f"{tmp_path / 'putaran.yaml'}:5: ")


def test_an_unknown_file_kind_is_reported(config, tmp_path):
    found, _ = problems(config, tmp_path, "kind: slideshow\n" + GOOD)
    assert found[("kind", 1)].message == "must be screen (the default) or playlist"


def test_an_alerts_tile_limited_to_applications_shows_only_theirs(config):
    """A prices screen's strip: price alerts and price feeds only; a Redis outage always."""
    from datetime import timedelta

    from core.health import FeedHealth
    from core.streams import utc_now
    from dashboard.live.snapshot import Frame, RedisStatus, Snapshot, StreamAlert
    from dashboard.tiles import alerts
    from dashboard.tiles.base import WallContext

    now = utc_now()
    tile = alerts.Tile(id="harga", kind="alerts", applications=["e-disikap"], col=1, row=1, max_items=6)
    silent = FeedHealth("lapor_banten", state="ok", stale_after=300, last_success=now - timedelta(hours=1), updated=now)
    snap = Snapshot(health={"lapor_banten": silent}, alerts=(
        StreamAlert("2-0", "Harga cabai rawit naik 18 %", "warning", now, "e-disikap"),
        StreamAlert("1-0", "Pengaduan banjir melonjak", "warning", now, "e-pormas"),
        StreamAlert("0-0", "Panel harga Tangsel terlambat", "info", now, "panel_harga")))
    shown = alerts.leaves(tile, WallContext(config), Frame(snap, now))
    messages = [shown[(f"tile-harga-msg-{i}", "children")] for i in range(6)]
    assert messages[:2] == ["Harga cabai rawit naik 18 %", "Panel harga Tangsel terlambat"]
    assert not any("banjir" in m or "LAPOR" in m for m in messages)
    down = Snapshot(redis=RedisStatus(ok=False, error="x", down_since=now))
    shown = alerts.leaves(tile, WallContext(config), Frame(down, now))
    assert shown[("tile-harga-msg-0", "children")].startswith("Koneksi ke server data (Redis) terputus")
