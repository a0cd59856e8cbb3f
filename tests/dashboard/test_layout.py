"""Screens as data: the shipped wall loads; every mistake is named with its YAML path and line."""

from pathlib import Path

import pytest

from core.config import ConfigError
from dashboard.layout import load_layouts

GOOD = """\
title: Uji
grid: {columns: 4, rows: 2}
tiles:
  - {id: jam, kind: clock, col: 1, row: 1}
  - {id: beras, kind: metric, metric: harga_beras, col: 2, row: 1, width: 2}
  - {id: peta, kind: map, metric: harga_beras, col: 4, row: 1, height: 2}
  - {id: peringatan, kind: alerts, col: 1, row: 2, width: 3}
"""


def with_layouts(config, folder: Path):
    return config.model_copy(update={"dashboard": config.dashboard.model_copy(update={"layouts_dir": str(folder)})})


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
        "{id: peringatan, kind: alerts,", "{id: peringatan, kind: ticker,") + "  - {id: x, kind: metric, col: 1, row: 1}\n"
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
