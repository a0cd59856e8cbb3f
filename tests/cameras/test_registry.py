"""The camera registry: config's cameras plus the e-CCTV listing's, read by the gateway itself over HTTP.

A listed camera is relayed like a configured one; flagged inactive it stops being pulled; dropped
from the listing it leaves the registry; an unreadable listing keeps its cameras. The stream
addresses (with their credentials) never reach Redis, a log line or an answer.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import aiohttp
import pytest

from core.cameras import CameraConfig, CameraGroup, CameraListing, decode_registry
from core.config import parse_config
from core.redis import connect
from core.streams import camera_registry, camera_status
from ingest.cameras.registry import CameraRegistry, parse_listing
from tests.cameras.conftest import CAMERA_PASSWORD, CAMERA_USER, GATEWAY_AUTH, CameraServer
from tests.cameras.test_gateway_relay import whep_viewer

LISTED = "cctv-3673-901"
GROUPS = {"dishub": CameraGroup(roles=["operator"]), "polda-banten": CameraGroup(roles=["operator"])}


class Listing:
    """A camera listing service over real HTTP (a thread: the gateway polls it while the test blocks)."""

    def __init__(self):
        self.items: list[dict] = []
        self.status = 200
        listing = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                body = json.dumps({"data": listing.items}).encode() if listing.status == 200 else b"<html>502</html>"
                self.send_response(listing.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        # The listing's own address carries a token, as agency APIs do: it must not be logged either.
        return f"http://listing-user:listing-secret-1234@127.0.0.1:{self.httpd.server_address[1]}/api/cctv?token=tok-5678"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def listed_item(server: CameraServer, camera_id: str = LISTED, active: bool = True) -> dict:
    """One camera as the e-CCTV listing gives it: its stream addresses hold the camera's password."""
    return {"id": camera_id, "nama_lokasi": "Terminal Pakupatan", "kecamatan": "Cipocok Jaya", "kode_kab": "3673",
            "latitude": -6.1301, "longitude": 106.1845, "is_active": active, "group": "dishub",
            "stream_url": server.url("main"), "stream_url_sub": server.url("sub"),
            "last_status_check": "2026-11-28T09:00:00+07:00"}


@pytest.fixture
def two_cameras(clips):
    servers = [CameraServer(i, clips).start() for i in (1, 2)]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def listing():
    service = Listing()
    yield service
    service.close()


def listing_config(listing: Listing) -> dict:
    return {"feeds": {"daftar": {"kind": "http_json", "application": "e-cctv", "url": listing.url, "records": "data",
                                 "interval": "1s", "source_id": "{id}", "drop_fields": ["stream_url"]}},
            "video": {"listings": {"daftar": {}}},
            "camera_groups": {"dishub": {"title": "Dishub", "roles": ["public", "operator"]}}}


async def wait_until(check, timeout: float, what: str):
    """Poll `check` (blocking calls are short) without blocking the loop that carries the video."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await asyncio.to_thread(check)
        if last:
            return last
        await asyncio.sleep(0.25)
    raise AssertionError(f"{what}: last {last!r}")


def every_value(raw) -> list[bytes]:
    """Every value in the test Redis, whatever its type, as bytes."""
    out = []
    for key in raw.scan_iter(count=500):
        kind = raw.type(key)
        if kind == b"string":
            out.append(raw.get(key) or b"")
        elif kind == b"hash":
            out += [k + b"=" + v for k, v in raw.hgetall(key).items()]
        elif kind == b"stream":
            out += [k + b"=" + v for _, fields in raw.xrange(key) for k, v in fields.items()]
        elif kind == b"list":
            out += raw.lrange(key, 0, -1)
        elif kind in (b"set", b"zset"):
            out += list(raw.smembers(key)) if kind == b"set" else raw.zrange(key, 0, -1)
        out.append(key)
    return out


def assert_no_address(texts, servers):
    for text in texts:
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        assert CAMERA_PASSWORD not in text and f"{CAMERA_USER}:" not in text
        assert "listing-secret-1234" not in text and "tok-5678" not in text
        for server in servers:
            assert f":{server.port}/" not in text


async def test_a_listed_camera_is_relayed_then_inactive_then_gone(two_cameras, listing, gateway_factory, redis_url, r):
    config_camera, listed_camera = two_cameras
    listing.items = [listed_item(listed_camera)]
    gateway = gateway_factory([config_camera], extra_config=listing_config(listing))
    await wait_until(lambda: gateway.states() == {"cam1": "live", LISTED: "live"}, 15, "both cameras live")

    # The listing camera plays over WHEP like a configured one, substream and main stream.
    pc, _, frames, answer = await whep_viewer(gateway.base, LISTED, "sub")
    await wait_until(lambda: len(frames) > 10, 10, "frames from the listed camera")
    assert {w for _, w in frames} == {640} and "H264" in answer
    listed = next(c for c in gateway.get("/cameras")["cameras"] if c["id"] == LISTED)
    assert (listed["name"], listed["kab"], listed["group"], listed["active"]) == ("Terminal Pakupatan", "3673",
                                                                                  "dishub", True)

    # Redis has the registry's public part, in order, config first; nowhere a stream address.
    registry = decode_registry(r.get(camera_registry()))
    assert list(registry) == ["cam1", LISTED]
    assert (registry[LISTED].source, registry[LISTED].lat, registry[LISTED].active) == ("daftar", -6.1301, True)
    raw = connect(redis_url)
    assert_no_address(every_value(raw), two_cameras)

    # The listing service is down for a while: its cameras stay, still playing.
    listing.status = 502
    await asyncio.sleep(3)
    assert gateway.states() == {"cam1": "live", LISTED: "live"}
    n = len(frames)
    await asyncio.sleep(1)
    assert len(frames) > n
    listing.status = 200

    # Flagged inactive: not pulled any more, viewers hung up, new ones refused; shown as such.
    listing.items = [listed_item(listed_camera, active=False)]
    await wait_until(lambda: gateway.states().get(LISTED) == "inactive", 8, "inactive")
    await wait_until(lambda: gateway.get("/healthz")["viewers"] == 0, 5, "the viewer hung up")
    assert decode_registry(r.get(camera_registry()))[LISTED].active is False
    await wait_until(lambda: r.hget(camera_status(LISTED), "state") == "inactive", 2, "inactive in Redis")
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{gateway.base}/whep/{LISTED}", data=pc.localDescription.sdp,
                                headers={**GATEWAY_AUTH, "Content-Type": "application/sdp"}) as response:
            assert response.status == 409
    await pc.close()

    # Active again: pulled again.
    listing.items = [listed_item(listed_camera)]
    await wait_until(lambda: gateway.states().get(LISTED) == "live", 15, "live again")

    # Dropped from the listing: gone from the gateway, from the registry and its status from Redis.
    listing.items = []
    await wait_until(lambda: LISTED not in gateway.states(), 8, "gone")
    assert list(decode_registry(r.get(camera_registry()))) == ["cam1"]
    await wait_until(lambda: not r.exists(camera_status(LISTED)), 5, "status forgotten")
    assert any(f["camera"] == LISTED and f["state"] == "removed" for _, f in r.xrange("cc:camera-events"))
    assert gateway.states() == {"cam1": "live"}  # the configured camera never noticed

    assert_no_address(every_value(raw) + [gateway.log_path.read_text()], two_cameras)
    raw.close()


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
    from dashboard.cameras.camera_list import wall_cameras
    from dashboard.live.snapshot import CameraStatus, Frame, Snapshot
    from dashboard.tiles import camera_grid
    from dashboard.tiles import map as map_tile
    from dashboard.tiles.base import WallContext
    from dashboard.tiles.map import seat_geometry
    from tests.cameras.conftest import ROOT

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
