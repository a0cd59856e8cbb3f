"""What each headline figure means, defined once in one sentence (Bahasa Indonesia and English).

Every screen that shows one of these figures (the governor's screen, the application pages, the
public portal) gives its definition on hover (the label's `title`) and on tap
(assets/definitions/), and the open-data metadata carries it beside the column. The wall
metrics of config.yaml carry their own `definition` / `definition_en`, as they are configured there.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.config import MetricConfig
from dashboard.text.words import Words

# A definition is one sentence in both languages, read like every other UI string: `definition(lang)`.
Definition = Words


@dataclass(frozen=True)
class Figure:
    """One figure: its application, the keys it is kept or published under, the labels it is shown with."""

    app: str
    keys: tuple[str, ...]
    labels: tuple[str, ...]  # the Indonesian labels screens show it with
    definition: Definition


FIGURES = (
    Figure("e-bansos", ("progress_pct", "progres_pct"), ("Progres penyaluran",), Definition(
        "Persentase keluarga penerima manfaat (KPM) yang bantuannya sudah tersalur dari target KPM tahap "
        "terakhir, menurut laporan penyaluran terakhir tiap kabupaten/kota dan program.",
        "Share of the latest stage's target beneficiary households (KPM) already paid, from the latest "
        "disbursement report of each regency/city and programme.")),
    Figure("e-bansos", ("kpm_tersalur",), ("KPM tersalur",), Definition(
        "Jumlah keluarga penerima manfaat yang bantuannya sudah diterima pada tahap terakhir.",
        "Number of beneficiary households that have received their assistance in the latest stage.")),
    Figure("e-pormas", ("open", "terbuka"), ("Pengaduan terbuka", "Masih terbuka"), Definition(
        "Jumlah pengaduan yang status terakhirnya belum selesai (belum selesai atau ditutup), berapa pun "
        "umurnya.",
        "Number of complaints whose latest status is not yet resolved or closed, however old they are.")),
    Figure("e-pormas", ("sla_breach", "lewat_batas"), ("Lewat batas layanan", "Terbuka lewat batas layanan"),
           Definition(
        "Jumlah pengaduan terbuka yang sudah melewati batas layanan SP4N-LAPOR! (verifikasi 3 hari kerja, "
        "penyelesaian 5 hari sejak diterima).",
        "Number of open complaints past the SP4N-LAPOR! service level (verified within 3 working days, "
        "resolved within 5 days of receipt).")),
    Figure("e-pormas", ("diterima",), ("Diterima", "Pengaduan masuk"), Definition(
        "Jumlah pengaduan yang dibuat (diterima) dalam 7 hari terakhir, dihitung dari waktu pengaduan "
        "dibuat, apa pun statusnya sekarang.",
        "Number of complaints created (received) in the last 7 days, counted by when each was created, "
        "whatever its status now.")),
    Figure("e-pormas", ("tepat_waktu_pct",), ("Tepat waktu",), Definition(
        "Persentase pengaduan yang selesai dalam 7 hari terakhir dan diselesaikan dalam batas layanan "
        "(5 hari sejak diterima).",
        "Share of the complaints resolved in the last 7 days that were resolved within the service level "
        "(5 days of receipt).")),
    Figure("e-cctv", ("aktif",), ("Kamera aktif", "Aktif"), Definition(
        "Jumlah kamera CCTV yang dilaporkan aktif pada pemeriksaan status terakhirnya di daftar e-CCTV.",
        "Number of CCTV cameras reported working at their latest status check in the e-CCTV listing.")),
    Figure("e-cctv", ("aktif_pct",), ("Persentase aktif",), Definition(
        "Persentase kamera CCTV yang aktif dari seluruh kamera di daftar e-CCTV.",
        "Share of the CCTV cameras in the e-CCTV listing that are working.")),
    Figure("e-statistik", ("kemiskinan", "nilai:kemiskinan"),
           ("Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota", "Persentase penduduk miskin"), Definition(
        "Persentase penduduk yang hidup di bawah garis kemiskinan menurut BPS, angka terakhir yang "
        "diterbitkan (periode dan tahun di bawah angka).",
        "Share of the population living below the poverty line according to BPS, the latest published "
        "figure (period and year under the figure).")),
    Figure("e-yankes", ("keterisian_pct",), ("Keterisian tempat tidur", "Keterisian"), Definition(
        "Persentase tempat tidur rawat inap yang terisi pasien dari seluruh tempat tidur yang dilaporkan "
        "rumah sakit, menurut laporan terakhir tiap ruang.",
        "Share of inpatient beds occupied out of all beds the hospitals report, from the latest report of "
        "each ward.")),
    Figure("e-lpse", ("hps_aktif",), ("HPS tender aktif",), Definition(
        "Jumlah nilai HPS (harga perkiraan sendiri) dari tender yang masih berjalan, belum selesai atau gagal.",
        "Sum of the owner's estimates (HPS) of the tenders still open, neither finished nor failed.")),
    Figure("e-lpse", ("paket",), ("Paket", "Paket tender"), Definition(
        "Jumlah paket pengadaan yang diumumkan melalui tender tahun anggaran ini.",
        "Number of procurement packages announced by tender in this budget year.")),
    Figure("e-disikap", ("harga",), ("Harga",), Definition(
        "Harga rata-rata per kilogram (per liter untuk minyak goreng) di pasar kabupaten/kota Banten pada hari "
        "terakhir yang dilaporkan, dari panel harga Bapanas dan PIHPS Bank Indonesia.",
        "Average price per kilogram (per litre for cooking oil) in the markets of Banten's regencies/cities on "
        "the latest day reported, from the Bapanas price panel and Bank Indonesia's PIHPS.")),
    Figure("e-disikap", ("above_reference",), ("Komoditas di atas acuan",), Definition(
        "Jumlah komoditas yang harga rata-ratanya di atas harga acuan (HET/HAP) hari terakhir.",
        "Number of commodities whose average price is above the reference price (HET/HAP) on the latest day.")),
)
_BY_KEY = {(f.app, key): f.definition for f in FIGURES for key in f.keys}
_BY_LABEL = {(f.app, label.lower()): f.definition for f in FIGURES for label in f.labels}


def figure(app: str, key: str) -> Definition | None:
    """The definition of an application's figure by the key it is kept under ('harga:beras' is a 'harga')."""
    return _BY_KEY.get((app, key)) or _BY_KEY.get((app, key.split(":", 1)[0]))


def labelled(app: str, shown: Words) -> Definition | None:
    """The definition of the figure a screen shows under this label, found by its Indonesian words
    ('Harga Beras Medium')."""
    label = shown.id.strip().lower()
    return _BY_LABEL.get((app, label)) or (_BY_LABEL.get((app, "harga")) if label.startswith("harga ") else None)


def metric(spec: MetricConfig) -> Definition | None:
    """A wall metric's own definition from config.yaml."""
    return Definition(spec.definition, spec.definition_en or spec.definition) if spec.definition else None


def hover(definition: Definition | None, lang: str) -> dict:
    """The props that give a label its definition: `title` for hover, focusable for a tap."""
    if definition is None:
        return {}
    return {"title": definition(lang), "tabIndex": "0"}
