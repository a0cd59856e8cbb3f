"""e-pormas: public complaints, pushed to the ingest webhook as they arrive and as their status moves.

A complaint is received, verified, assigned to an OPD, followed up and closed, as on SP4N-LAPOR!.
Each change is a new push with the same tracking_id; GET /api/laporan serves the latest state of
each for adapters that pull instead.
"""

from __future__ import annotations

import asyncio
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiohttp import web

from core.clock import WIB
from core.regions import KABKOTA
from ingest.demo.clock import DemoClock, iso
from ingest.demo.people import make_resident
from ingest.demo.service import bad_request
from ingest.demo.webhook_sender import WebhookSender

FLOW = ("diterima", "diverifikasi", "didisposisi", "ditindaklanjuti", "selesai")
CHANNELS = {"app": 0.35, "form": 0.30, "media sosial": 0.20, "sms": 0.15}
# The most recent complaints kept for GET /api/laporan; older closed ones are forgotten.
KEEP = 5000

# category -> (weight, the OPD it is assigned to, [(judul, isi)]) ; {kec} is the kecamatan.
TOPICS: dict[str, tuple[float, str, tuple[tuple[str, str], ...]]] = {
    "Infrastruktur": (28, "Dinas Pekerjaan Umum dan Penataan Ruang", (
        ("Jalan rusak dan berlubang di {kec}",
         "Jalan utama di Kecamatan {kec} berlubang dan tergenang saat hujan, sudah beberapa pengendara "
         "motor terjatuh. Mohon segera diperbaiki."),
        ("Lampu penerangan jalan mati",
         "Lampu PJU di sepanjang jalan menuju pasar {kec} sudah dua minggu mati sehingga rawan kecelakaan "
         "dan kejahatan pada malam hari."),
        ("Saluran drainase tersumbat",
         "Saluran air di lingkungan kami di {kec} tersumbat sampah dan sedimen, setiap hujan air meluap "
         "ke rumah warga."),
        ("Jembatan penghubung desa rusak",
         "Jembatan penghubung antardesa di {kec} lantainya lapuk dan berbahaya dilalui anak sekolah."),
    )),
    "Sosial": (16, "Dinas Sosial", (
        ("Bansos tidak tepat sasaran",
         "Warga yang mampu di {kec} menerima bantuan PKH sementara keluarga miskin di RT kami "
         "tidak terdaftar."),
        ("Bantuan BPNT tahap ini belum diterima",
         "Bantuan sembako BPNT tahap ini belum kami terima, padahal tetangga di {kec} sudah."),
        ("Lansia terlantar butuh bantuan",
         "Ada lansia hidup sendiri di {kec} dalam kondisi sakit dan tidak ada yang merawat."),
    )),
    "Kependudukan": (12, "Dinas Kependudukan dan Pencatatan Sipil", (
        ("KTP elektronik belum dicetak",
         "Sudah tiga bulan merekam KTP-el di kantor kecamatan {kec} tetapi belum dicetak dengan alasan "
         "blanko habis."),
        ("Perubahan data KK lama diproses",
         "Pengajuan perubahan data Kartu Keluarga sejak bulan lalu belum selesai, sementara dokumen "
         "dibutuhkan untuk pendaftaran sekolah."),
    )),
    "Pendidikan": (12, "Dinas Pendidikan dan Kebudayaan", (
        ("Pungutan di sekolah negeri",
         "Ada pungutan uang seragam dan buku di SMA negeri di {kec} padahal sekolah negeri "
         "seharusnya gratis."),
        ("Kendala PPDB sistem zonasi",
         "Anak kami tidak diterima di SMA negeri terdekat di {kec} padahal jarak rumah kurang dari 1 km."),
        ("Ruang kelas rusak",
         "Atap ruang kelas SMK negeri di {kec} bocor dan plafon sebagian runtuh, siswa belajar di teras."),
    )),
    "Kesehatan": (12, "Dinas Kesehatan", (
        ("Antrean pasien BPJS terlalu lama",
         "Antrean pendaftaran pasien BPJS di rumah sakit sangat panjang, pasien lansia dari {kec} menunggu "
         "lebih dari empat jam."),
        ("Obat kosong di puskesmas",
         "Puskesmas {kec} sering kehabisan obat, pasien diminta membeli sendiri di apotek luar."),
        ("Ambulans desa tidak tersedia",
         "Warga {kec} kesulitan membawa pasien gawat darurat karena ambulans desa tidak bisa dihubungi."),
    )),
    "Lingkungan": (10, "Dinas Lingkungan Hidup dan Kehutanan", (
        ("Sampah menumpuk di TPS",
         "Sampah di TPS dekat pasar {kec} tidak diangkut lebih dari seminggu, bau dan mengundang lalat."),
        ("Dugaan pencemaran limbah pabrik",
         "Ada pembuangan limbah cair dari pabrik ke sungai di {kec}, air berubah hitam dan ikan mati."),
    )),
    "Perhubungan": (6, "Dinas Perhubungan", (
        ("Parkir liar menyebabkan macet",
         "Parkir liar di bahu jalan dekat pasar {kec} menyebabkan kemacetan setiap sore."),
        ("Truk bertonase berat melintas jalan desa",
         "Truk tambang bertonase berat melintas di jalan desa {kec} pada siang hari sehingga jalan "
         "cepat rusak."),
    )),
    "Ketenagakerjaan": (4, "Dinas Tenaga Kerja dan Transmigrasi", (
        ("Upah di bawah UMK",
         "Perusahaan tempat saya bekerja di {kec} membayar upah di bawah UMK dan tidak mendaftarkan pekerja "
         "ke BPJS Ketenagakerjaan."),
    )),
}


@dataclass
class Complaint:
    """One complaint and where it is in the flow."""

    tracking_id: str
    city_id: str
    category: str
    via: str
    judul: str
    isi: str
    nama_pelapor: str
    nik: str
    telepon: str
    opd: str
    created_at: datetime
    updated_at: datetime
    step: int = 0
    # Demo seconds (DemoClock.elapsed) at which the complaint moves to its next status.
    next_move: float = field(default=float("inf"))

    @property
    def status(self) -> str:
        """Where the complaint is in the flow."""
        return FLOW[self.step]

    def record(self) -> dict:
        """The complaint as e-Pormas sends it."""
        return {
            "tracking_id": self.tracking_id,
            "status": self.status,
            "category": self.category,
            "via": self.via,
            "city_id": self.city_id,
            "judul": self.judul,
            "isi": self.isi,
            "nama_pelapor": self.nama_pelapor,
            "nik": self.nik,
            "telepon": self.telepon,
            # Only a disposition names the OPD that must act.
            "opd_tujuan": self.opd if self.status in ("didisposisi", "ditindaklanjuti", "selesai") else None,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }


class Pormas:
    """Complaints arriving every few demo seconds from across Banten, each moving through the flow."""

    application = "e-pormas"

    def __init__(self, clock: DemoClock, rng: random.Random, sender: WebhookSender | None = None,
                 history: int = 40):
        self.clock = clock
        self.rng = rng
        self.sender = sender
        self.complaints: dict[str, Complaint] = {}
        # Set once the complaints so far were pushed (by the history replay): the live loop goes on from there.
        self.history_sent = False
        # The complaints not closed yet: the only ones the loop has to look at.
        self.open: dict[str, Complaint] = {}
        now = clock.now()
        # Numbering continues from where a province's year would be: a few tens a day so far.
        self._serial = now.timetuple().tm_yday * 35 + rng.randint(0, 30)
        self._year = now.year
        self._seed_history(now, history)

    def routes(self) -> list[web.RouteDef]:
        """The pull API: the latest state of each complaint."""
        return [web.get("/api/laporan", self._laporan)]

    async def run(self, stop: asyncio.Event) -> None:
        """Push the history, then new complaints and status changes, until `stop` is set."""
        sender = asyncio.create_task(self.sender.run(stop)) if self.sender else None
        try:
            if not self.history_sent:
                for complaint in sorted(self.complaints.values(), key=lambda c: c.updated_at):
                    self.publish(complaint)
                self.history_sent = True
            next_new = self.clock.elapsed() + self._arrival_gap()
            while True:
                due = min([next_new, *(c.next_move for c in self.open.values())])
                if await self.clock.sleep(max(due - self.clock.elapsed(), 0.0), stop):
                    break
                now = self.clock.elapsed()
                if now >= next_new:
                    self.publish(self.new_complaint())
                    next_new = now + self._arrival_gap()
                for complaint in [c for c in self.open.values() if c.next_move <= now]:
                    self.advance(complaint)
                    self.publish(complaint)
        finally:
            if sender:
                # Cancelled as well as stopped: the sender must not outlive the service.
                sender.cancel()
                await asyncio.gather(sender, return_exceptions=True)

    def records(self, since: datetime | None = None) -> list[dict]:
        """The latest state of each complaint updated at or after `since`, oldest change first."""
        # Inclusive and to the second, as served: a client passing back the last updated_at it saw
        # must not miss others from that same second (repeats are harmless, the ingest de-duplicates).
        chosen = [c for c in self.complaints.values()
                  if since is None or c.updated_at.replace(microsecond=0) >= since]
        return [c.record() for c in sorted(chosen, key=lambda c: c.updated_at)]

    def new_complaint(self, created: datetime | None = None) -> Complaint:
        """A new complaint from a resident somewhere in Banten (more people, more complaints)."""
        rng = self.rng
        now = created or self.clock.now()
        if created is None and now.year != self._year:
            self._year, self._serial = now.year, 0  # LAPOR numbers restart every year
        self._serial += 1
        city = rng.choices(list(KABKOTA), weights=[k.population for k in KABKOTA.values()])[0]
        category = rng.choices(list(TOPICS), weights=[t[0] for t in TOPICS.values()])[0]
        _, opd, texts = TOPICS[category]
        judul, isi = rng.choice(texts)
        person = make_resident(rng, city, now.date())
        complaint = Complaint(
            tracking_id=f"LPR-{now.year}-{self._serial:06d}", city_id=city, category=category,
            via=rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0],
            judul=judul.format(kec=person.kecamatan), isi=isi.format(kec=person.kecamatan),
            nama_pelapor=person.nama, nik=person.nik, telepon=person.telepon, opd=opd,
            created_at=now, updated_at=now, next_move=self.clock.elapsed() + self._step_gap())
        self.complaints[complaint.tracking_id] = complaint
        self.open[complaint.tracking_id] = complaint
        self._forget_old()
        return complaint

    def advance(self, complaint: Complaint, when: datetime | None = None) -> None:
        """Move a complaint to its next status (nothing once it is closed)."""
        if complaint.step < len(FLOW) - 1:
            complaint.step += 1
            complaint.updated_at = when or self.clock.now()
        if complaint.step == len(FLOW) - 1:
            complaint.next_move = float("inf")
            self.open.pop(complaint.tracking_id, None)
        else:
            complaint.next_move = self.clock.elapsed() + self._step_gap()

    def _arrival_gap(self) -> float:
        return self.rng.uniform(3, 8)

    def _step_gap(self) -> float:
        # Most complaints move within a minute or two of demo time; a few stall at an OPD.
        gap = 5 + self.rng.expovariate(1 / 45)
        return gap * 6 if self.rng.random() < 0.1 else gap

    def _seed_history(self, now: datetime, count: int) -> None:
        """The last 24 hours' complaints, moved along at a realistic pace of hours per step."""
        for _ in range(count):
            created = now - timedelta(hours=self.rng.uniform(0.2, 24))
            complaint = self.new_complaint(created)
            moment = created
            while complaint.step < len(FLOW) - 1:
                moment += timedelta(hours=self.rng.expovariate(1 / 4))
                if moment >= now:
                    break
                self.advance(complaint, moment)
        # Serial numbers must rise with creation time, as they do at the source.
        ordered = sorted(self.complaints.values(), key=lambda c: c.created_at)
        first = self._serial - len(ordered) + 1
        self.complaints, self.open = {}, {}
        for number, complaint in enumerate(ordered, start=first):
            complaint.tracking_id = f"LPR-{complaint.created_at.year}-{number:06d}"
            self.complaints[complaint.tracking_id] = complaint
            if complaint.status != FLOW[-1]:
                self.open[complaint.tracking_id] = complaint

    def _forget_old(self) -> None:
        if len(self.complaints) <= KEEP:
            return
        for tracking_id, complaint in list(self.complaints.items()):
            if len(self.complaints) <= KEEP:
                break
            if complaint.status == FLOW[-1]:
                del self.complaints[tracking_id]

    def publish(self, complaint: Complaint) -> None:
        """Push the complaint as it stands now to the ingest webhook."""
        if self.sender:
            self.sender.send(complaint.record())

    async def _laporan(self, request: web.Request) -> web.Response:
        since = request.query.get("since")
        moment = None
        if since:
            try:
                # An unencoded '+' of '+07:00' arrives as a space in a query string.
                moment = datetime.fromisoformat(re.sub(r" (\d{2}:?\d{2})$", r"+\1", since.strip()))
            except ValueError:
                return bad_request(f"since: '{since}' is not an ISO 8601 time")
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=WIB)  # naive times are local time, as at the source
        return web.json_response({"data": self.records(moment)})
