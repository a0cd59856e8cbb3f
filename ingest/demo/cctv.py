"""e-cctv: the camera listing of Dishub and Polda Banten, with each camera's last status check.

The listing carries each camera's RTSP address with its credentials, as the real ones do; the
feed drops it at ingest and only the camera gateway may read it. Most addresses are the agencies'
internal ones (unreachable here); the province's own two cameras (group `diskominfo`) point at the
simulated RTSP server of the video gateway, so the gateway relays them from this listing.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web

from core.regions import KABKOTA
from ingest.cameras.demo_cameras import LISTED_CAMERAS, listed_stream_url
from ingest.demo.clock import DemoClock, iso

# (kab/kota, kecamatan, location): intersections, toll gates, squares and ports people know.
LOCATIONS = (
    ("3673", "Cipocok Jaya", "Simpang Ciceri"),
    ("3673", "Serang", "Alun-alun Kota Serang"),
    ("3673", "Cipocok Jaya", "Terminal Pakupatan"),
    ("3673", "Serang", "Simpang Kebon Jahe"),
    ("3673", "Taktakan", "Jl. Raya Serang - Pandeglang (Taktakan)"),
    ("3673", "Kasemen", "Simpang Kasemen - Banten Lama"),
    ("3671", "Tangerang", "Bundaran Cikokol"),
    ("3671", "Tangerang", "Simpang Tanah Tinggi"),
    ("3671", "Tangerang", "Jl. M.H. Thamrin - Pusat Pemerintahan"),
    ("3671", "Karawaci", "Simpang Cimone"),
    ("3671", "Batuceper", "Jl. Daan Mogot - Batuceper"),
    ("3671", "Ciledug", "Simpang Ciledug Raya"),
    ("3671", "Cipondoh", "Jl. Perintis Kemerdekaan - Cipondoh"),
    ("3674", "Serpong Utara", "Bundaran Alam Sutera"),
    ("3674", "Setu", "Simpang Muncul"),
    ("3674", "Pamulang", "Bundaran Pamulang"),
    ("3674", "Serpong", "Jl. Raya Serpong - BSD"),
    ("3674", "Ciputat", "Flyover Ciputat"),
    ("3674", "Pondok Aren", "Jl. Raya Bintaro - Pondok Aren"),
    ("3603", "Tigaraksa", "Simpang Tigaraksa"),
    ("3603", "Cikupa", "Jl. Raya Serang - Cikupa"),
    ("3603", "Balaraja", "Bundaran Balaraja"),
    ("3603", "Curug", "Gerbang Tol Bitung"),
    ("3603", "Pasar Kemis", "Jl. Raya Pasar Kemis"),
    ("3603", "Teluknaga", "Jl. Raya Teluknaga - Dadap"),
    ("3604", "Ciruas", "Simpang Ciruas"),
    ("3604", "Ciruas", "Gerbang Tol Serang Timur"),
    ("3604", "Kragilan", "Pasar Kragilan"),
    ("3604", "Kramatwatu", "Simpang Kramatwatu"),
    ("3604", "Anyar", "Jl. Raya Anyer - Pantai"),
    ("3672", "Cibeber", "Simpang Tiga PCI"),
    ("3672", "Pulomerak", "Pelabuhan Merak"),
    ("3672", "Cibeber", "Gerbang Tol Cilegon Timur"),
    ("3672", "Jombang", "Jl. Jenderal Sudirman - Alun-alun Cilegon"),
    ("3672", "Ciwandan", "Jl. Raya Anyer - Ciwandan"),
    ("3601", "Pandeglang", "Alun-alun Pandeglang"),
    ("3601", "Pandeglang", "Simpang Pasar Badak"),
    ("3601", "Carita", "Jl. Raya Labuan - Carita"),
    ("3602", "Rangkasbitung", "Alun-alun Rangkasbitung"),
    ("3602", "Rangkasbitung", "Stasiun Rangkasbitung"),
    ("3602", "Malingping", "Jl. Raya Malingping"),
)
# The province's own cameras (Diskominfo), at the government quarter KP3B in Kota Serang.
OWN_KABKOTA, OWN_KECAMATAN, OWN_GROUP = "3673", "Curug", "diskominfo"
# Toll gates, ports and squares are usually the police's cameras; the rest are Dishub's.
POLICE_WORDS = ("Gerbang Tol", "Pelabuhan", "Alun-alun")


@dataclass
class Camera:
    """One camera of the listing and its state at the last check."""

    id: str
    nama_lokasi: str
    kecamatan: str
    kode_kab: str
    latitude: float
    longitude: float
    group: str
    stream_url: str
    is_active: bool
    last_status_check: datetime
    # Demo seconds (DemoClock.elapsed) of the next status check.
    next_check: float

    def record(self) -> dict:
        """The camera as the listing API gives it."""
        return {
            "id": self.id,
            "nama_lokasi": self.nama_lokasi,
            "kecamatan": self.kecamatan,
            "kode_kab": self.kode_kab,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "is_active": self.is_active,
            "stream_url": self.stream_url,
            "group": self.group,
            "last_status_check": iso(self.last_status_check),
        }


class Cctv:
    """About forty cameras around the eight kab/kota seats; a few drop off and come back."""

    application = "e-cctv"

    def __init__(self, clock: DemoClock, rng: random.Random, rtsp_port: int = 8554):
        self.clock = clock
        self.rng = rng
        self.cameras: list[Camera] = []
        now = clock.now()
        counts: dict[str, int] = {}
        for code, kecamatan, place in LOCATIONS:
            counts[code] = counts.get(code, 0) + 1
            seat = KABKOTA[code]
            group = "polda-banten" if any(w in place for w in POLICE_WORDS) else "dishub"
            host = f"10.{36 if group == 'dishub' else 136}.{int(code[2:])}.{10 + counts[code]}"
            user, password = ("admin", f"Dishub{code}!") if group == "dishub" else ("viewer", "PoldaBtn2026")
            self.cameras.append(Camera(
                id=f"cctv-{code}-{counts[code]:03d}", nama_lokasi=place, kecamatan=kecamatan, kode_kab=code,
                latitude=round(seat.seat_lat + rng.uniform(-0.025, 0.025), 6),
                longitude=round(seat.seat_lon + rng.uniform(-0.025, 0.025), 6),
                group=group, stream_url=f"rtsp://{user}:{password}@{host}:554/Streaming/Channels/101",
                is_active=rng.random() > 0.08,
                last_status_check=now - timedelta(seconds=rng.uniform(0, 60)),
                next_check=clock.elapsed() + rng.uniform(0, 30),
            ))
        seat = KABKOTA[OWN_KABKOTA]
        for mount, place in LISTED_CAMERAS:
            counts[OWN_KABKOTA] = counts.get(OWN_KABKOTA, 0) + 1
            self.cameras.append(Camera(
                id=f"cctv-{OWN_KABKOTA}-{counts[OWN_KABKOTA]:03d}", nama_lokasi=place, kecamatan=OWN_KECAMATAN,
                kode_kab=OWN_KABKOTA, latitude=round(seat.seat_lat + rng.uniform(-0.025, 0.025), 6),
                longitude=round(seat.seat_lon + rng.uniform(-0.025, 0.025), 6), group=OWN_GROUP,
                stream_url=listed_stream_url(mount, rtsp_port), is_active=True,
                last_status_check=now - timedelta(seconds=rng.uniform(0, 60)),
                next_check=clock.elapsed() + rng.uniform(0, 30),
            ))

    def routes(self) -> list[web.RouteDef]:
        """The camera listing."""
        return [web.get("/api/cctv", self._listing)]

    async def run(self, stop: asyncio.Event) -> None:
        """Check each camera every 15-60 demo seconds until `stop` is set."""
        while True:
            due = min(c.next_check for c in self.cameras)
            if await self.clock.sleep(max(due - self.clock.elapsed(), 0.0), stop):
                return
            elapsed = self.clock.elapsed()
            for camera in self.cameras:
                if camera.next_check <= elapsed:
                    self.check(camera)

    def records(self) -> list[dict]:
        """Every camera in the listing."""
        return [c.record() for c in self.cameras]

    def check(self, camera: Camera, when: datetime | None = None) -> None:
        """One status check: a camera now and then drops off the network, and mostly comes back."""
        flip = 0.03 if camera.is_active else 0.25
        if self.rng.random() < flip:
            camera.is_active = not camera.is_active
        camera.last_status_check = when or self.clock.now()
        camera.next_check = self.clock.elapsed() + self.rng.uniform(15, 60)

    async def _listing(self, request: web.Request) -> web.Response:
        return web.json_response({"data": self.records()})
