"""The camera_grid tile as configured and as pushed: which cameras, which pages, what a cell says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.config import ConfigError, load_config
from core.streams import utc_now
from dashboard.auth.access import User, reset_current_user, set_current_user
from dashboard.live.snapshot import CameraStatus, Frame, Snapshot
from dashboard.tiles import camera_grid
from dashboard.tiles.base import WallContext
from dashboard.walls.layout import load_layouts
from tests.support.cameras import ROOT

IDS = ["simpang-ciceri", "bundaran-cikokol", "pelabuhan-merak", "gerbang-tol-serang-timur"]


@pytest.fixture(scope="module")
def config():
    return load_config(ROOT / "config.yaml")


def screen_problems(config, tmp_path, tiles: str) -> dict[str, str]:
    (tmp_path / "uji.yaml").write_text(f"title: Uji\ngrid: {{columns: 2, rows: 1}}\ntiles:\n{tiles}")
    cfg = config.model_copy(update={"dashboard": config.dashboard.model_copy(update={"layouts_dir": str(tmp_path)})})
    with pytest.raises(ConfigError) as err:
        load_layouts(cfg)
    return {p.path: p.message for p in err.value.problems}


def test_the_shipped_cctv_wall_shows_every_camera_on_one_2x2_page(config):
    wall = load_layouts(config)["cctv-wall"]
    grid = next(t for t in wall.tiles if t.kind == "camera_grid")
    assert wall.path == "/wall/cctv-wall"
    assert camera_grid.pages(grid, config) == [IDS]
    assert any(t.kind == "map" and t.cameras for t in wall.tiles)


def test_groups_and_ids_select_cameras_and_pages_rotate_through_them(config):
    tile = camera_grid.Tile(id="k", kind="camera_grid", col=1, row=1, columns=1, rows=1,
                            cameras=["pelabuhan-merak"], groups=["dishub"])
    assert camera_grid.pages(tile, config) == [["pelabuhan-merak"], ["simpang-ciceri"], ["bundaran-cikokol"]]


def test_mistakes_are_reported_with_their_path(config, tmp_path):
    found = screen_problems(config, tmp_path, """
  - {id: a, kind: camera_grid, cameras: [tidak-ada], col: 1, row: 1}
  - {id: b, kind: camera_grid, columns: 5, rotate_every: 2, col: 2, row: 1}
""")
    assert found["tiles[0].cameras"] == "unknown camera 'tidak-ada'"
    assert found["tiles[1].columns"] == "must be <= 4"
    assert found["tiles[1].rotate_every"] == "at least 5 seconds, or 0 for no rotation"
    found = screen_problems(config, tmp_path, """
  - {id: a, kind: camera_grid, groups: [satpol-pp], col: 1, row: 1}
""")
    assert found["tiles[0].groups"] == "unknown camera group 'satpol-pp'"


def test_a_dead_camera_says_so_in_bahasa_indonesia_with_the_age_of_its_picture(config):
    tile = camera_grid.Tile(id="k", kind="camera_grid", col=1, row=1)
    now = utc_now()
    snap = Snapshot(cameras={"simpang-ciceri": CameraStatus("offline", "cannot open", 0.0, now - timedelta(seconds=42)),
                             "bundaran-cikokol": CameraStatus("live", "", 15.0, now),
                             "pelabuhan-merak": CameraStatus("stalled", "frozen picture", 0.0, None)})
    # As the command-center staff see it: an executive may watch every group of the shipped config.
    signed_in = set_current_user(User(name="uji", role="executive"))
    try:
        leaves = camera_grid.leaves(tile, WallContext(config, "id"), Frame(snap, now))
        assert leaves[("tile-k-simpang-ciceri", "data-state")] == "offline"
        assert leaves[("tile-k-simpang-ciceri-badge", "children")] == "TERPUTUS"
        assert leaves[("tile-k-simpang-ciceri-age", "children")] == "gambar 42 dtk lalu"
        assert leaves[("tile-k-bundaran-cikokol-badge", "children")] == ""
        assert leaves[("tile-k-pelabuhan-merak-badge", "children")] == "TERHENTI"
        assert leaves[("tile-k-pelabuhan-merak-age", "children")] == "belum ada gambar"
        # Not yet reported by the gateway: connecting, not a false alarm.
        assert leaves[("tile-k-gerbang-tol-serang-timur-badge", "children")] == "MENYAMBUNG"
        en = camera_grid.leaves(tile, WallContext(config, "en"), Frame(snap, now))
        assert en[("tile-k-simpang-ciceri-badge", "children")] == "OFFLINE"
        assert en[("tile-k-pelabuhan-merak-badge", "children")] == "STALLED"
    finally:
        reset_current_user(signed_in)
    # The public is not shown the Polda cameras at all (camera_groups roles).
    public = camera_grid.leaves(tile, WallContext(config, "id"), Frame(snap, now))
    assert ("tile-k-simpang-ciceri-badge", "children") in public
    assert not any("pelabuhan-merak" in key or "gerbang-tol" in key for key, _ in public)


def test_a_broken_picture_and_an_unsupported_codec_are_named_on_the_tile_and_the_map():
    from dashboard.live.snapshot import CameraStatus
    from dashboard.tiles import camera_grid
    from dashboard.tiles.map import CAMERA_COLORS

    assert camera_grid.badge(camera_grid.shown_state(CameraStatus(state="damaged")), "id") == "GAMBAR RUSAK"
    assert camera_grid.badge("unsupported", "id") == "CODEC TIDAK DIDUKUNG"
    assert camera_grid.badge("damaged", "en") == "BROKEN PICTURE"
    # Each state its own colour on the map, none taken for another.
    assert len(set(CAMERA_COLORS.values())) == len(CAMERA_COLORS) and set(camera_grid.STATES) == set(CAMERA_COLORS)
