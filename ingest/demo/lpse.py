"""e-lpse: the province's tenders and their schedules, shaped like LKPP's ISB open data of SPSE."""

from __future__ import annotations

import asyncio
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from aiohttp import web

from core.clock import WIB, wib_now
from core.regions import KABKOTA
from ingest.demo.clock import DemoClock, iso
from ingest.demo.places import KECAMATAN
from ingest.demo.service import bad_request, repeat

# Stages of a tender with post-qualification, with their SPSE codes and usual length in days.
STAGES = (
    ("PENGUMUMAN_LELANG", "Pengumuman", (1, 3)),
    ("AMBIL_DOKUMEN", "Download Dokumen", (3, 7)),
    ("PENJELASAN", "Pemberian Penjelasan", (1, 2)),
    ("PEMASUKAN_PENAWARAN", "Upload/Pembukaan Penawaran", (5, 8)),
    ("EVALUASI_PENAWARAN", "Evaluasi", (3, 7)),
    ("PEMBUKTIAN_KUALIFIKASI", "Pembuktian Kualifikasi", (1, 3)),
    ("PENETAPAN_PEMENANG", "Penetapan/Pengumuman Pemenang", (1, 2)),
    ("MASA_SANGGAH", "Masa Sanggah", (5, 5)),
    ("PENUNJUKAN_PEMENANG", "SPPBJ", (1, 4)),
    ("TANDATANGAN_KONTRAK", "Kontrak", (2, 10)),
)
EVALUATION, LAST = 4, len(STAGES) - 1
TENDERS_PER_YEAR = 560
KEEP = 1500  # tenders kept; the oldest finished ones go first

CONSTRUCTION = "Pekerjaan Konstruksi"
GOODS = "Pengadaan Barang"
CONSULTING_WORKS = "Jasa Konsultansi Badan Usaha Konstruksi"
CONSULTING = "Jasa Konsultansi Badan Usaha Non Konstruksi"
SERVICES = "Jasa Lainnya"
# Procurement kind -> (share of tenders, median HPS in Rp): about Rp 2 billion on average overall.
KINDS = {CONSTRUCTION: (0.45, 1.8e9), GOODS: (0.30, 1.0e9), CONSULTING_WORKS: (0.08, 0.5e9),
         CONSULTING: (0.07, 0.5e9), SERVICES: (0.10, 0.8e9)}

PUPR = "Dinas PUPR"
# The province's own hospitals, each a work unit of its own, with the kab/kota they stand in.
HOSPITALS = {"RSUD Banten": "3673", "RSUD Malingping": "3602", "RSUD Labuan": "3601",
             "RSUD Cilograng": "3602"}
# Procurement kind -> [(work unit, package name)]; {ruas}, {sungai}, {kab}, {kec}, {n}, {rs} are filled in.
PACKAGES = {
    CONSTRUCTION: (
        (PUPR, "Rekonstruksi Jalan Ruas {ruas}"),
        (PUPR, "Pemeliharaan Berkala Jalan Ruas {ruas}"),
        (PUPR, "Pembangunan Jembatan Sungai {sungai} Ruas {ruas}"),
        (PUPR, "Rehabilitasi Jaringan Irigasi D.I. {sungai}"),
        (PUPR, "Normalisasi Sungai {sungai}"),
        ("Dinas Pendidikan dan Kebudayaan", "Pembangunan Ruang Kelas Baru SMA Negeri {n} {kab}"),
        ("Dinas Perumahan Rakyat dan Kawasan Permukiman", "Peningkatan Kualitas Kawasan Kumuh {kec}"),
        ("{rs}", "Pembangunan Gedung Rawat Inap {rs}"),
    ),
    GOODS: (
        ("{rs}", "Belanja Alat Kesehatan Ruang ICU {rs}"),
        ("{rs}", "Pengadaan Obat dan Bahan Medis Habis Pakai {rs}"),
        ("Dinas Kesehatan", "Pengadaan Ambulans Puskesmas Keliling"),
        ("Dinas Pendidikan dan Kebudayaan", "Pengadaan Peralatan Praktik SMK Negeri {n} {kab}"),
        ("Dinas Pendidikan dan Kebudayaan", "Pengadaan Komputer untuk Asesmen SMA/SMK Negeri Wilayah {kab}"),
        ("Dinas Perhubungan", "Pengadaan Rambu dan Marka Jalan Provinsi"),
        ("Badan Penanggulangan Bencana Daerah", "Pengadaan Logistik dan Peralatan Kebencanaan"),
        ("Biro Umum", "Pengadaan Kendaraan Dinas Operasional"),
    ),
    CONSULTING_WORKS: (
        (PUPR, "Jasa Konsultansi Pengawasan Rekonstruksi Jalan Ruas {ruas}"),
        (PUPR, "Penyusunan DED Jembatan Sungai {sungai}"),
    ),
    CONSULTING: (
        ("Badan Perencanaan Pembangunan Daerah", "Penyusunan Kajian Pengembangan Kawasan {kab}"),
        ("Dinas Kesehatan", "Jasa Konsultansi Penyusunan Masterplan Rumah Sakit Rujukan"),
    ),
    SERVICES: (
        ("Biro Umum", "Jasa Kebersihan Kawasan Pusat Pemerintahan Provinsi Banten (KP3B)"),
        ("{rs}", "Jasa Pengamanan Gedung {rs}"),
        ("Dinas Komunikasi, Informatika, Statistik dan Persandian",
         "Sewa Jaringan Internet Perangkat Daerah"),
        ("Biro Umum", "Jasa Asuransi Kendaraan Dinas"),
    ),
}
ROADS = ("Ciruas - Pontang", "Pakupatan - Palima", "Cipanas - Warung Banten", "Saketi - Malingping",
         "Mengger - Cikeusik", "Rangkasbitung - Citeras", "Palima - Pasar Pari", "Simpang - Bayah",
         "Cikande - Rangkasbitung", "Serdang - Kramatwatu", "Labuan - Cibaliung", "Citeureup - Panimbang")
RIVERS = ("Ciujung", "Cidurian", "Cibanten", "Cisadane", "Ciliman", "Cibinuangeun", "Cisimeut")
FIRM_WORDS = ("Karya", "Bangun", "Cahaya", "Mitra", "Sinar", "Putra", "Jaya", "Sentosa", "Mandiri", "Abadi",
              "Utama", "Persada", "Nusantara", "Banten", "Cipta", "Sejahtera", "Prima", "Anugerah", "Mulia")


@dataclass
class Stage:
    start: datetime
    end: datetime


@dataclass
class Tender:
    """One tender: its announcement, where it stands and, once done, its contract."""

    kd_tender: str
    nama_paket: str
    pagu: int
    hps: int
    jenis_pengadaan: str
    mtd_pemilihan: str
    mtd_evaluasi: str
    nama_satker: str
    kd_rup: str
    lokasi_pekerjaan: str
    tahun_anggaran: int
    announced: datetime
    schedule: list[Stage]
    # Planned length of each stage, so the rest can be planned again when a stage ends early.
    durations: list[timedelta]
    savings: float  # share of the HPS the contract comes in below it
    penyedia: str
    fails_at: int | None  # the stage at which the tender fails (no qualified bid), if it does
    stage: int = 0
    status: str = "Aktif"
    tgl_update: datetime = field(default_factory=wib_now)

    def record(self) -> dict:
        """The tender as the ISB tender listing gives it."""
        done = self.status == "Selesai"
        contract = int(round(self.hps * (1 - self.savings), -3)) if done else None
        return {
            "kd_tender": self.kd_tender,
            "nama_paket": self.nama_paket,
            "pagu": self.pagu,
            "hps": self.hps,
            "jenis_pengadaan": self.jenis_pengadaan,
            "mtd_pemilihan": self.mtd_pemilihan,
            "mtd_evaluasi": self.mtd_evaluasi,
            "status_tender": self.status,
            "nama_tahapan": STAGES[self.stage][1],
            "tgl_pengumuman_tender": iso(self.announced),
            "nama_satker": self.nama_satker,
            "kd_rup": self.kd_rup,
            "sumber_dana": "APBD",
            "lokasi_pekerjaan": self.lokasi_pekerjaan,
            "tahun_anggaran": self.tahun_anggaran,
            # The winning bid before negotiation is a little above the contract.
            "nilai_penawaran": int(round(contract * 1.004, -3)) if done else None,
            "nilai_negosiasi": contract,
            "nilai_kontrak": contract,
            "nama_penyedia": self.penyedia if done else None,
            "tgl_update": iso(self.tgl_update),
        }

    def jadwal(self) -> list[dict]:
        """The tender's schedule, one row per stage."""
        return [{"kd_tender": self.kd_tender, "kd_tahapan": code, "nama_tahapan": name,
                 "tgl_awal": iso(stage.start), "tgl_akhir": iso(stage.end)}
                for (code, name, _), stage in zip(STAGES, self.schedule)]


class Lpse:
    """The last twelve months' tenders, most of them contracted; the open ones move a stage at a time."""

    application = "e-lpse"

    def __init__(self, clock: DemoClock, rng: random.Random):
        self.clock = clock
        self.rng = rng
        self.tenders: dict[str, Tender] = {}
        self._next_code = 10_100_000 + rng.randint(0, 99_999)
        self._seed_year(clock.now())

    def routes(self) -> list[web.RouteDef]:
        """The tender listing and the schedule of one tender."""
        return [web.get("/isb/tender", self._tenders), web.get("/isb/jadwal", self._jadwal)]

    async def run(self, stop: asyncio.Event) -> None:
        """Move an open tender on every 20-60 demo seconds; now and then announce a new one."""
        await repeat(self.clock, stop, lambda: self.rng.uniform(20, 60), self.step)

    def records(self) -> list[dict]:
        """Every tender, oldest announcement first."""
        return [t.record() for t in self.tenders.values()]

    def step(self) -> None:
        """One open tender moves to its next stage; about one step in eight also announces a tender."""
        now = self.clock.now()
        open_tenders = [t for t in self.tenders.values() if t.status == "Aktif"]
        if open_tenders:
            self.advance(self.rng.choice(open_tenders), now)
        if self.rng.random() < 0.12 or not open_tenders:
            self.announce(now)

    def advance(self, tender: Tender, now: datetime) -> None:
        """End the tender's current stage now: it fails, moves on (re-planning the rest) or is contracted."""
        if tender.status != "Aktif":
            return
        tender.schedule[tender.stage].end = now
        tender.tgl_update = now
        if tender.fails_at == tender.stage:
            tender.status = "Gagal"
        elif tender.stage == LAST:
            tender.status = "Selesai"
        else:
            tender.stage += 1
            start = now
            for index in range(tender.stage, len(STAGES)):
                tender.schedule[index] = Stage(start, start + tender.durations[index])
                start = tender.schedule[index].end

    def announce(self, when: datetime) -> Tender:
        """A new tender announced at `when`, with its schedule planned from then."""
        rng = self.rng
        kind = rng.choices(list(KINDS), weights=[k[0] for k in KINDS.values()])[0]
        satker, template = rng.choice(PACKAGES[kind])
        code = rng.choice(list(KABKOTA))
        hospital = rng.choice(list(HOSPITALS))
        fill = {"ruas": rng.choice(ROADS), "sungai": rng.choice(RIVERS), "kab": KABKOTA[code].short,
                "kec": rng.choice(KECAMATAN[code]), "n": rng.randint(1, 30), "rs": hospital}
        # Log-normal HPS: many packages of a few hundred million, a few of tens of billions.
        hps = min(max(KINDS[kind][1] * math.exp(rng.gauss(0, 0.9)), 2.0e8), 8.0e10)
        hps = int(round(hps, -3))
        consulting = kind in (CONSULTING_WORKS, CONSULTING)
        method = "Seleksi" if consulting else ("Tender Cepat" if rng.random() < 0.1 else "Tender")
        evaluation = ("Kualitas dan Biaya" if rng.random() < 0.7 else "Kualitas") if consulting \
            else "Harga Terendah Sistem Gugur"
        durations = [timedelta(days=rng.randint(*days)) for _, _, days in STAGES]
        schedule = []
        start = when
        for length in durations:
            schedule.append(Stage(start, start + length))
            start += length
        self._next_code += rng.randint(3, 40)  # the national SPSE numbers tenders of every LPSE
        firm = f"{rng.choice(('PT', 'PT', 'CV'))} {' '.join(rng.sample(FIRM_WORDS, 3))}"
        tender = Tender(
            kd_tender=str(self._next_code), nama_paket=template.format(**fill),
            pagu=int(round(hps * rng.uniform(1.02, 1.12), -3)), hps=hps, jenis_pengadaan=kind,
            mtd_pemilihan=method, mtd_evaluasi=evaluation, nama_satker=satker.format(**fill),
            kd_rup=str(rng.randint(45_000_000, 52_999_999)),
            lokasi_pekerjaan=self._location(template, code, hospital),
            tahun_anggaran=when.year, announced=when, schedule=schedule, durations=durations,
            savings=rng.uniform(0.005, 0.045), penyedia=firm,
            fails_at=rng.choice((EVALUATION, EVALUATION + 1)) if rng.random() < 0.05 else None,
            tgl_update=when)
        self.tenders[tender.kd_tender] = tender
        self._forget_old()
        return tender

    @staticmethod
    def _location(template: str, code: str, hospital: str) -> str:
        """Where the work is done: the hospital's town, the named kab/kota, or the capital for offices."""
        if "{rs}" in template:
            return KABKOTA[HOSPITALS[hospital]].name
        if "{" in template:
            return KABKOTA[code].name
        return KABKOTA["3673"].name  # the provincial offices (KP3B) are in Kota Serang

    def _seed_year(self, now: datetime) -> None:
        """The tenders announced in the last twelve months, each where its planned schedule puts it today.

        Twelve months rather than "since January": in the first days of a year an LPSE still lists
        last year's tenders, and the demo must show a full listing on any date."""
        year_ago = now - timedelta(days=365)
        moments = sorted(self._office_hours(year_ago + (now - year_ago) * self.rng.random())
                         for _ in range(TENDERS_PER_YEAR))
        for moment in moments:
            if moment >= now:
                continue
            tender = self.announce(moment)
            # Walk the planned schedule up to today.
            while tender.status == "Aktif" and tender.schedule[tender.stage].end <= now:
                planned_end = tender.schedule[tender.stage].end
                self.advance(tender, planned_end)

    def _office_hours(self, moment: datetime) -> datetime:
        """Announcements go out on working days between 08:00 and 16:00."""
        day = moment.date()
        while day.weekday() >= 5:
            day += timedelta(days=1)
        minutes = self.rng.randint(8 * 60, 16 * 60)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=WIB)

    def _forget_old(self) -> None:
        if len(self.tenders) <= KEEP:
            return
        for code, tender in list(self.tenders.items()):
            if len(self.tenders) <= KEEP:
                break
            if tender.status != "Aktif":
                del self.tenders[code]

    async def _tenders(self, request: web.Request) -> web.Response:
        return web.json_response(self.records())

    async def _jadwal(self, request: web.Request) -> web.Response:
        code = request.query.get("kd_tender", "").strip()
        if not code:
            return bad_request("kd_tender is required")
        tender = self.tenders.get(code)
        return web.json_response(tender.jadwal() if tender else [])
