"""e-yankes: bed availability per hospital ward, as Banten's bed-availability system reports it."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web

from ingest.demo.calendar import WEEKLY_OCCUPANCY
from ingest.demo.clock import DemoClock, iso
from ingest.demo.service import repeat

# (name, kab/kota, class, owner): public and private hospitals of Banten.
HOSPITALS = (
    ("RSUD Banten", "3673", "B", "Pemerintah Provinsi"),
    ("RSUD dr. Dradjat Prawiranegara", "3604", "B", "Pemerintah Kabupaten"),
    ("RSUD Berkah Pandeglang", "3601", "B", "Pemerintah Kabupaten"),
    ("RSUD dr. Adjidarmo", "3602", "B", "Pemerintah Kabupaten"),
    ("RSUD Kabupaten Tangerang", "3603", "B", "Pemerintah Kabupaten"),
    ("RSUD Balaraja", "3603", "C", "Pemerintah Kabupaten"),
    ("RSUD Pakuhaji", "3603", "C", "Pemerintah Kabupaten"),
    ("RSUD Kota Tangerang", "3671", "C", "Pemerintah Kota"),
    ("RSUD Kota Cilegon", "3672", "C", "Pemerintah Kota"),
    ("RSUD Kota Tangerang Selatan", "3674", "C", "Pemerintah Kota"),
    ("RSUD Malingping", "3602", "C", "Pemerintah Provinsi"),
    ("RSUD Labuan", "3601", "D", "Pemerintah Provinsi"),
    ("RSUD Cilograng", "3602", "D", "Pemerintah Provinsi"),
    ("RSUD Kota Serang", "3673", "D", "Pemerintah Kota"),
    ("RS Bhayangkara Polda Banten", "3673", "C", "POLRI"),
    ("RS Sari Asih Serang", "3673", "C", "Swasta"),
    ("RS Kurnia Serang", "3673", "C", "Swasta"),
    ("RS Hermina Ciruas", "3604", "C", "Swasta"),
    ("RS Krakatau Medika", "3672", "B", "BUMN"),
    ("RS Siloam Lippo Village", "3603", "B", "Swasta"),
    ("RS Mayapada Tangerang", "3671", "B", "Swasta"),
    ("RS Sari Asih Ciledug", "3671", "C", "Swasta"),
    ("RS Hermina Tangerang", "3671", "C", "Swasta"),
    ("RS Sari Asih Karawaci", "3671", "C", "Swasta"),
    ("RS Eka Hospital BSD", "3674", "B", "Swasta"),
    ("RS Premier Bintaro", "3674", "B", "Swasta"),
    ("RS Permata Pamulang", "3674", "C", "Swasta"),
    ("RS Mitra Keluarga Gading Serpong", "3603", "C", "Swasta"),
    ("RS Misi Lebak", "3602", "C", "Swasta"),
    ("RS Aulia Pandeglang", "3601", "D", "Swasta"),
)
# Class of care -> (beds in a class C ward, low and high); class B wards are larger, D smaller.
WARD_SIZES = {"Kelas 3": (20, 36), "Kelas 2": (12, 24), "Kelas 1": (8, 16), "VIP": (4, 10), "ICU": (6, 12),
              "Isolasi": (4, 8)}
CLASS_SCALE = {"A": 1.6, "B": 1.3, "C": 1.0, "D": 0.7}
FLOWERS = ("Melati", "Mawar", "Anggrek", "Flamboyan", "Cempaka", "Dahlia", "Kenanga", "Seruni", "Teratai",
           "Tulip", "Asoka", "Bougenville")


@dataclass
class Ward:
    """A ward of a hospital and its beds."""

    kode_rs: str
    nama_rs: str
    kelas: str
    pemilik: str
    kode_kab: str
    kode_ruang: str
    nama_ruang: str
    kelas_rawat: str
    kapasitas: int
    terisi: int
    # The occupancy this ward drifts towards; it moves now and then (a surge, a quiet week).
    target: float
    updated_at: datetime

    def record(self) -> dict:
        """The ward as the bed-availability API gives it."""
        return {
            "kode_rs": self.kode_rs,
            "nama_rs": self.nama_rs,
            "jenis_rs": "Rumah Sakit Umum",
            "kelas": self.kelas,
            "pemilik": self.pemilik,
            "kode_kab": self.kode_kab,
            "kode_ruang": self.kode_ruang,
            "nama_ruang": self.nama_ruang,
            "kelas_rawat": self.kelas_rawat,
            "kapasitas": self.kapasitas,
            "terisi": self.terisi,
            "kosong": self.kapasitas - self.terisi,
            "updated_at": iso(self.updated_at),
        }


class Yankes:
    """About thirty hospitals with two to five wards each; patients are admitted and discharged."""

    application = "e-yankes"

    def __init__(self, clock: DemoClock, rng: random.Random):
        self.clock = clock
        self.rng = rng
        self.wards: list[Ward] = []
        now = clock.now()
        serial: dict[str, int] = {}
        for name, code, kelas, owner in HOSPITALS:
            serial[code] = serial.get(code, 0) + 1
            kode_rs = f"{code}{serial[code]:03d}"  # 7 digits like the Kemenkes registry code
            flowers = rng.sample(FLOWERS, len(FLOWERS))
            for number, kelas_rawat in enumerate(self._ward_classes(kelas), start=1):
                low, high = WARD_SIZES[kelas_rawat]
                capacity = max(2, round(rng.randint(low, high) * CLASS_SCALE[kelas]))
                if kelas_rawat == "ICU":
                    ward_name = "ICU"
                elif kelas_rawat == "Isolasi":
                    ward_name = "Ruang Isolasi"
                else:
                    ward_name = f"{'Paviliun' if kelas_rawat == 'VIP' else 'Ruang'} {flowers[number]}"
                target = self._target(kelas_rawat)
                occupied = min(capacity, max(0, round(capacity * (target + rng.gauss(0, 0.08)))))
                self.wards.append(Ward(kode_rs, name, kelas, owner, code, f"R{number:02d}", ward_name,
                                       kelas_rawat, capacity, occupied, target,
                                       now - timedelta(minutes=rng.uniform(1, 180))))

    def routes(self) -> list[web.RouteDef]:
        """The bed availability of every ward."""
        return [web.get("/api/bed", self._beds)]

    async def run(self, stop: asyncio.Event) -> None:
        """Admit and discharge patients every 5-15 demo seconds until `stop` is set."""
        await repeat(self.clock, stop, lambda: self.rng.uniform(5, 15), self.step)

    def records(self) -> list[dict]:
        """Every ward of every hospital."""
        return [w.record() for w in self.wards]

    def step(self) -> None:
        """A few wards admit or discharge patients; only those get a new updated_at."""
        now = self.clock.now()
        for ward in self.rng.sample(self.wards, self.rng.randint(2, 6)):
            if self.rng.random() < 0.05:
                ward.target = self._target(ward.kelas_rawat)
            # Drift towards the ward's usual occupancy for the day of the week, one to three beds at a time.
            pull = min(1.0, ward.target * WEEKLY_OCCUPANCY[now.weekday()]) * ward.kapasitas - ward.terisi
            change = round(self.rng.gauss(pull * 0.3, 1.5))
            occupied = min(ward.kapasitas, max(0, ward.terisi + change))
            if occupied != ward.terisi:
                ward.terisi = occupied
                ward.updated_at = now

    def _ward_classes(self, kelas: str) -> list[str]:
        """Two to five wards; bigger hospitals have intensive care and isolation."""
        wards = ["Kelas 3"]
        extra = {"B": ["ICU", "Kelas 2", "Kelas 1", "VIP", "Isolasi"],
                 "C": ["Kelas 2", "ICU", "Kelas 1", "VIP"],
                 "D": ["Kelas 2", "Kelas 1"]}.get(kelas, ["ICU", "Kelas 2", "Kelas 1", "VIP", "Isolasi"])
        count = self.rng.randint(1, min(4, len(extra)))
        return wards + extra[:count]

    def _target(self, kelas_rawat: str) -> float:
        # Third-class wards and ICUs run fullest; now and then a ward is full to the last bed.
        if self.rng.random() < 0.08:
            return 1.0
        high = 0.92 if kelas_rawat in ("Kelas 3", "ICU") else 0.85
        return self.rng.uniform(0.6, high)

    async def _beds(self, request: web.Request) -> web.Response:
        return web.json_response({"data": self.records()})
