"""A camera listing's items as cameras: no stream address in any reason, config wins an id clash, and
the grid and the map show listed cameras and their state (the registry's rules, no server)."""

from __future__ import annotations

import json

import pytest

from core.cameras import CameraConfig, CameraGroup, CameraListing
from core.config import parse_config
from ingest.cameras.registry import CameraRegistry, parse_listing

GROUPS = {"dishub": CameraGroup(roles=["operator"]), "polda-banten": CameraGroup(roles=["operator"])}


def test_listing_items_become_cameras_without_their_addresses_in_any_reason():
    secret = "rtsp://admin:Dishub3673!@10.36.73.11:554/Streaming/Channels/101"
    items = [
        {"id": "cctv-3673-001", "nama_lokasi": "Simpang Ciceri", "kode_kab": "3673", "latitude": "-6,1325",
         "longitude": "106,1725", "is_active": "ya", "group": "dishub", "stream_url": secret},
        {"id": "CCTV 3671/002", "nama_lokasi": "Bundaran Cikokol", "kode_kab": "36.71", "latitude": -6.2076,
         "longitude": 106.632, "is_active": 0, "group": "polda-banten",
         "stream_url": "https://cctv.example.go.id/live/cikokol/index.m3u8?token=abc"},
        # Outside Banten (an unsigned latitude), an unknown group, no address, a scheme nobody pulls.
        {"id": "cctv-3673-003", "nama_lokasi": "Terbalik", "kode_kab": "3673", "latitude": 6.13,
         "longitude": 106.17, "group": "dishub", "stream_url": secret},
        {"id": "cctv-3673-004", "nama_lokasi": "Satpol", "kode_kab": "3673", "latitude": -6.1, "longitude": 106.1,
         "group": "satpol-pp", "stream_url": secret},
        {"id": "cctv-3673-005", "nama_lokasi": "Tanpa alamat", "kode_kab": "3673", "latitude": -6.1,
         "longitude": 106.1, "group": "dishub"},
        {"id": "cctv-3673-006", "nama_lokasi": "MJPEG", "kode_kab": "3673", "latitude": -6.1, "longitude": 106.1,
         "group": "dishub", "stream_url": "http://admin:pw@10.1.1.1/video.mjpg"},
    ]
    cameras, skipped = parse_listing(json.dumps({"data": items}).encode(), "data", CameraListing(), GROUPS)
    assert list(cameras) == ["cctv-3673-001", "cctv-3671-002"]
    ciceri, active = cameras["cctv-3673-001"]
    assert (ciceri.protocol, ciceri.main, ciceri.lat, ciceri.lon, active) == ("rtsp", secret, -6.1325, 106.1725, True)
    cikokol, active = cameras["cctv-3671-002"]
    assert (cikokol.protocol, cikokol.kab, cikokol.group, active) == ("hls", "3671", "polda-banten", False)
    assert len(skipped) == 4
    assert any("cctv-3673-003" in s and "lat" in s for s in skipped)
    assert any("unknown camera group 'satpol-pp'" in s for s in skipped)
    assert any("cctv-3673-005: no stream address" in s for s in skipped)
    assert any("cctv-3673-006" in s and "unknown kind" in s for s in skipped)
    for reason in skipped:
        assert "Dishub3673" not in reason and "10.36" not in reason and "pw@" not in reason

    # A listing may be narrowed to some groups, and give a group to cameras that name none.
    only_police, _ = parse_listing(json.dumps({"data": items}).encode(), "data",
                                   CameraListing(groups=["polda-banten"]), GROUPS)
    assert list(only_police) == ["cctv-3671-002"]
    no_group = [{**items[0], "group": None}]
    given, _ = parse_listing(json.dumps({"data": no_group}).encode(), "data",
                             CameraListing(group="polda-banten"), GROUPS)
    assert given["cctv-3673-001"][0].group == "polda-banten"


def test_config_wins_on_an_id_clash_and_listings_must_name_a_known_feed():
    config = parse_config({
        "feeds": {"daftar": {"kind": "http_json", "application": "e-cctv", "url": "http://127.0.0.1:9/api/cctv",
                             "source_id": "{id}"}},
        "camera_groups": {"dishub": {"roles": ["operator"]}},
        "cameras": {"simpang-ciceri": {"name": "Simpang Ciceri (config)", "kab": "3673", "lat": -6.13, "lon": 106.17,
                                       "group": "dishub", "main": "rtsp://10.0.0.1/1"}},
        "video": {"listings": ["daftar"]}})
    registry = CameraRegistry(config)
    listed = CameraConfig(name="Simpang Ciceri (daftar)", kab="3673", lat=-6.13, lon=106.17, group="dishub",
                          main="rtsp://10.0.0.2/1")
    other = CameraConfig(name="Pakupatan", kab="3673", lat=-6.13, lon=106.18, group="dishub", main="rtsp://10.0.0.3/1")
    registry.sources[0].cameras = {"simpang-ciceri": (listed, True), "pakupatan": (other, False)}
    public = registry.public()
    assert [(c.id, c.name, c.source, c.active) for c in public] == [
        ("simpang-ciceri", "Simpang Ciceri (config)", "config", True), ("pakupatan", "Pakupatan", "daftar", False)]
    cameras, inactive = registry.cameras()
    assert cameras["simpang-ciceri"].main == "rtsp://10.0.0.1/1" and inactive == {"pakupatan"}

    from core.config import ConfigError

    with pytest.raises(ConfigError) as err:
        parse_config({"camera_groups": {"dishub": {"roles": ["operator"]}},
                      "video": {"listings": {"tidak_ada": {"groups": ["satpol-pp"]}}}})
    found = {p.path: p.message for p in err.value.problems}
    assert found["video.listings.tidak_ada"] == "unknown feed 'tidak_ada'"
    assert found["video.listings.tidak_ada.groups"] == "unknown camera group 'satpol-pp'"


def test_the_grid_and_the_map_show_listed_cameras_and_their_state():
    from core.cameras import CameraInfo
    from core.config import load_config
    from core.streams import utc_now
    from dashboard.live.snapshot import CameraStatus, Frame, Snapshot
    from dashboard.tiles import camera_grid
    from dashboard.tiles import map as map_tile
    from dashboard.tiles.base import WallContext
    from dashboard.tiles.camera_list import wall_cameras
    from dashboard.tiles.map import seat_geometry
    from tests.support.cameras import ROOT

    config = load_config(ROOT / "config.yaml")
    listed = CameraInfo("cctv-3673-901", "Terminal Pakupatan", "3673", -6.13, 106.18, "dishub", True, "cctv_daftar")
    published = {"cctv-3673-901": listed}
    snap = Snapshot(cameras={"cctv-3673-901": CameraStatus("live", "", 15.0, utc_now())}, camera_registry=published)
    cameras = wall_cameras(config, snap)
    assert list(cameras)[-1] == "cctv-3673-901" and list(cameras)[:4] == list(config.cameras)
    ctx = WallContext(config, "id", seat_geometry(), cameras)
    tile = camera_grid.Tile(id="k", kind="camera_grid", col=1, row=1, columns=4, rows=2, groups=["dishub"])
    assert camera_grid.pages(tile, config, cameras) == [["simpang-ciceri", "bundaran-cikokol", "cctv-3673-901"]]
    leaves = camera_grid.leaves(tile, ctx, Frame(snap, utc_now()))
    assert leaves[("tile-k-cctv-3673-901", "data-state")] == "live"
    maps = map_tile.Tile(id="m", kind="map", metric="kamera_aktif", col=1, row=1, cameras=True)
    paint = map_tile.paint(maps, ctx, Frame(snap, utc_now()))
    assert paint.camera_colors[-1] == "#2f9e73" and paint.camera_texts[-1] == "Terminal Pakupatan — aktif"

    # Flagged inactive by its listing, then dropped from it: the page built with it says inactive.
    for registry in ({"cctv-3673-901": CameraInfo(**{**listed.as_json(), "active": False})}, {}):
        later = Snapshot(cameras=snap.cameras, camera_registry=registry)
        leaves = camera_grid.leaves(tile, ctx, Frame(later, utc_now()))
        assert leaves[("tile-k-cctv-3673-901", "data-state")] == "inactive"
        assert leaves[("tile-k-cctv-3673-901-badge", "children")] == "NONAKTIF"
        assert map_tile.paint(maps, ctx, Frame(later, utc_now())).camera_colors[-1] == "#4b5563"
    # A page opened after the drop no longer has it; one that still lists it by id keeps a cell.
    assert "cctv-3673-901" not in wall_cameras(config, Snapshot())
    assert wall_cameras(config, Snapshot(), ["simpang-ciceri", "cctv-3673-901"])["cctv-3673-901"].active is False
