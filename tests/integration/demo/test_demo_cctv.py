"""e-cctv: about forty cameras around the kab/kota seats, with credentials in the stream URL."""

from __future__ import annotations

import asyncio
import re

from core.regions import KABKOTA
from ingest.demo.cctv import Cctv
from ingest.demo.clock import iso, service_rng
from tests.support.demo import ISO_WIB


async def test_listing_has_the_real_fields_and_places(demo):
    cameras = (await demo.json("e-cctv", "/api/cctv"))["data"]
    assert 35 <= len(cameras) <= 45 and len({c["id"] for c in cameras}) == len(cameras)
    assert {c["kode_kab"] for c in cameras} == set(KABKOTA)
    for camera in cameras:
        assert re.fullmatch(rf"cctv-{camera['kode_kab']}-\d{{3}}", camera["id"])
        seat = KABKOTA[camera["kode_kab"]]
        assert abs(camera["latitude"] - seat.seat_lat) < 0.05
        assert abs(camera["longitude"] - seat.seat_lon) < 0.05
        rtsp = r"rtsp://\w+:[^@\s]+@10(\.\d+){3}:554/Streaming/Channels/101"  # credentials, internal host
        if camera["group"] == "diskominfo":  # the province's own: on the simulated RTSP server, relayed
            rtsp = r"rtsp://demo:demo-kamera@127\.0\.0\.1:\d+/daftar\d"
        assert re.fullmatch(rtsp, camera["stream_url"])
        assert camera["group"] in ("dishub", "polda-banten", "diskominfo") and isinstance(camera["is_active"], bool)
        assert camera["nama_lokasi"] and camera["kecamatan"] and ISO_WIB.match(camera["last_status_check"])
    assert sum(c["is_active"] for c in cameras) >= 0.75 * len(cameras)


async def test_status_checks_move_on_while_serving(demo):
    first = {c["id"]: c["last_status_check"] for c in (await demo.json("e-cctv", "/api/cctv"))["data"]}
    # At speed x100 each camera is checked every 0.15-0.6 s; times are to the second.
    for _ in range(30):
        await asyncio.sleep(0.1)
        second = {c["id"]: c["last_status_check"] for c in (await demo.json("e-cctv", "/api/cctv"))["data"]}
        if sum(first[i] != second[i] for i in first) >= len(first) // 2:
            break
    assert sum(first[i] != second[i] for i in first) >= len(first) // 2


def test_a_few_cameras_drop_off_and_come_back(clock):
    cctv = Cctv(clock, service_rng("e-cctv"))
    flips, active = 0, []
    for _ in range(100):
        clock.advance(30)
        before = [c.is_active for c in cctv.cameras]
        for camera in cctv.cameras:
            cctv.check(camera)
        after = [c.is_active for c in cctv.cameras]
        flips += sum(a != b for a, b in zip(before, after))
        active.append(sum(after) / len(after))
    assert flips > 20 and 0.8 < sum(active) / len(active) < 0.97
    assert {c["last_status_check"] for c in cctv.records()} == {iso(clock.now())}
