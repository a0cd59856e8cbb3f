"""What each application's page shows at each drill level: headline figures, map value, columns, bars, trend.

The figures are the JSON the derive processors write (ingest/derive/<app>.py); this module only
names them and says how to show them. Words in Bahasa Indonesia and English (`?lang=en`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dashboard.text.i18n import text

Figures = dict[str, Any]
# (label id, label en, value, kind); kind: count | number | percent | rupiah
Stat = tuple[str, str, Any, str]


def word(key: str, lang: str, **values) -> str:
    """A page word in the language, with `{placeholders}` filled (kept in dashboard/text/i18n.py)."""
    return text(f"app_{key}", lang, **values)


@dataclass(frozen=True)
class Col:
    """A table column: a field of the row, its header in both languages and how its value reads."""

    field: str
    id: str
    en: str
    kind: str = "text"  # text | count | number | percent | rupiah | time | bool

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


@dataclass(frozen=True)
class Measure:
    """A number of a figures dict that a map or a bar chart shows."""

    key: str
    id: str
    en: str
    kind: str = "count"
    higher_is_worse: bool = False

    def of(self, figures: Figures | None) -> float | None:
        v = (figures or {}).get(self.key)
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


@dataclass(frozen=True)
class AppSpec:
    app: str
    unit_id: str  # what a unit is called: Rumah sakit, Satker, ...
    unit_en: str
    record_id: str
    record_en: str
    headline: Callable[[Figures], list[Stat]]
    map_measure: Callable[[Figures], Measure]  # from the province figures (e-statistik picks an indicator)
    unit_cols: tuple[Col, ...]
    record_cols: tuple[Col, ...]
    unit_measure: Measure | None
    record_measure: Measure | None
    trend_names: Callable[[list[str]], list[tuple[str, str, str, str]]]  # names -> (name, id, en, kind)
    region_cols: tuple[Col, ...] = field(default=())

    def unit_word(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_id

    def record_word(self, lang: str) -> str:
        return self.record_en if lang == "en" else self.record_id


def fixed(*stats: tuple[str, str, str, str]) -> Callable[[Figures], list[Stat]]:
    """Headline figures that are plain keys of the figures dict."""
    return lambda f: [(i, e, f.get(k), kind) for k, i, e, kind in stats]


def named_trend(*names: tuple[str, str, str, str]) -> Callable[[list[str]], list[tuple[str, str, str, str]]]:
    known = {n[0]: n for n in names}
    return lambda present: [known[n] for n in known if n in present]


def prefixed_trend(prefix: str, id_: str, en: str, kind: str, most: int = 6):
    """Series named `<prefix>:<key>` (one per commodity or indicator), at most `most` of them."""
    def pick(present: list[str]) -> list[tuple[str, str, str, str]]:
        chosen = sorted(n for n in present if n.startswith(prefix + ":"))[:most]
        return [(n, f"{id_} {n.split(':', 1)[1]}", f"{en} {n.split(':', 1)[1]}", kind) for n in chosen]
    return pick


def _const(measure: Measure) -> Callable[[Figures], Measure]:
    return lambda _figures: measure


def _disikap_headline(f: Figures) -> list[Stat]:
    out: list[Stat] = [("Komoditas di atas acuan", "Commodities above reference", f.get("above_reference"), "count")]
    commodities = f.get("commodities") or {}
    for key in sorted(commodities)[:5]:
        c = commodities[key]
        out.append((f"Harga {c.get('name') or key}", f"Price {c.get('name') or key}", c.get("harga"), "rupiah"))
    return out


def _statistik_headline(f: Figures) -> list[Stat]:
    indicators = f.get("indicators") or {}
    if not indicators and "nilai" in f:  # a unit (one indicator)
        return [(str(f.get("name") or ""), str(f.get("name") or ""), f.get("nilai"), "number")]
    return [(str(v.get("name") or k), str(v.get("name") or k), v.get("nilai"), "number")
            for k, v in sorted(indicators.items())[:6]]


def _statistik_measure(province: Figures) -> Measure:
    indicators = (province or {}).get("indicators") or {}
    key = sorted(indicators)[0] if indicators else ""
    name = str((indicators.get(key) or {}).get("name") or key)
    return _IndicatorMeasure(key, name, name, "number")


@dataclass(frozen=True)
class _IndicatorMeasure(Measure):
    """One e-Statistik indicator's value in a region's figures."""

    def of(self, figures: Figures | None) -> float | None:
        v = ((figures or {}).get("indicators") or {}).get(self.key, {}).get("nilai")
        if v is None and (figures or {}).get("unit") == self.key:
            v = figures.get("nilai")
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


TIME_T = Col("_t", "Waktu kejadian", "Event time", "time")

SPECS: dict[str, AppSpec] = {s.app: s for s in (
    AppSpec(
        "e-bansos", "Program", "Programme", "Tahap", "Stage",
        fixed(("target_kpm", "Target KPM", "Target beneficiaries", "count"),
              ("kpm_tersalur", "KPM tersalur", "Beneficiaries paid", "count"),
              ("progress_pct", "Progres penyaluran", "Disbursement progress", "percent"),
              ("nominal", "Nominal tersalur", "Amount paid", "rupiah")),
        _const(Measure("progress_pct", "Progres penyaluran", "Disbursement progress", "percent")),
        (Col("name", "Program", "Programme"), Col("tahun", "Tahun", "Year"), Col("tahap", "Tahap", "Stage"),
         Col("status", "Status", "Status"), Col("target_kpm", "Target KPM", "Target", "count"),
         Col("kpm_tersalur", "KPM tersalur", "Paid", "count"), Col("progress_pct", "Progres", "Progress", "percent"),
         Col("nominal", "Nominal", "Amount", "rupiah")),
        (Col("tahun", "Tahun", "Year"), Col("tahap", "Tahap", "Stage"), Col("status", "Status", "Status"),
         Col("target_kpm", "Target KPM", "Target", "count"), Col("kpm_tersalur", "KPM tersalur", "Paid", "count"),
         Col("progress_pct", "Progres", "Progress", "percent"), Col("nominal", "Nominal", "Amount", "rupiah"), TIME_T),
        Measure("progress_pct", "Progres penyaluran", "Disbursement progress", "percent"),
        Measure("progress_pct", "Progres penyaluran", "Disbursement progress", "percent"),
        named_trend(("progress_pct", "Progres penyaluran", "Disbursement progress", "percent"),
                    ("kpm_tersalur", "KPM tersalur", "Beneficiaries paid", "count")),
        (Col("target_kpm", "Target KPM", "Target", "count"), Col("kpm_tersalur", "KPM tersalur", "Paid", "count"),
         Col("progress_pct", "Progres", "Progress", "percent"), Col("nominal", "Nominal", "Amount", "rupiah")),
    ),
    AppSpec(
        "e-pormas", "Kategori", "Category", "Pengaduan", "Complaint",
        fixed(("open", "Pengaduan terbuka", "Open complaints", "count"),
              ("sla_breach", "Lewat batas layanan", "Past service level", "count"),
              ("sla_verifikasi", "Belum diverifikasi", "Not verified in time", "count"),
              ("closed", "Selesai (7 hari)", "Closed (7 days)", "count")),
        _const(Measure("open", "Pengaduan terbuka", "Open complaints", "count", higher_is_worse=True)),
        (Col("name", "Kategori", "Category"), Col("open", "Terbuka", "Open", "count"),
         Col("closed", "Selesai", "Closed", "count"), Col("sla_breach", "Lewat SLA", "Past SLA", "count"),
         Col("sla_verifikasi", "Belum diverifikasi", "Not verified", "count"),
         Col("sla_penyelesaian", "Belum selesai", "Not resolved", "count")),
        (Col("tracking_id", "No. tiket", "Ticket"), Col("judul", "Judul", "Title"), Col("status", "Status", "Status"),
         Col("via", "Kanal", "Channel"), Col("opd_tujuan", "OPD tujuan", "Agency"),
         Col("created_at", "Diterima", "Received", "time"), Col("updated_at", "Diperbarui", "Updated", "time")),
        Measure("open", "Pengaduan terbuka", "Open complaints", "count", higher_is_worse=True),
        None,
        named_trend(("open", "Pengaduan terbuka", "Open complaints", "count"),
                    ("sla_breach", "Lewat batas layanan", "Past service level", "count")),
        (Col("open", "Terbuka", "Open", "count"), Col("closed", "Selesai", "Closed", "count"),
         Col("sla_breach", "Lewat SLA", "Past SLA", "count")),
    ),
    AppSpec(
        "e-cctv", "Kamera", "Camera", "Kamera", "Camera",
        fixed(("kamera", "Kamera", "Cameras", "count"), ("aktif", "Aktif", "Active", "count"),
              ("nonaktif", "Tidak aktif", "Inactive", "count"), ("aktif_pct", "Persentase aktif", "Share active",
                                                                  "percent")),
        _const(Measure("aktif_pct", "Kamera aktif", "Cameras active", "percent")),
        (Col("name", "Lokasi", "Location"), Col("kecamatan", "Kecamatan", "District"),
         Col("aktif", "Aktif", "Active", "count"), Col("latitude", "Lintang", "Latitude", "number"),
         Col("longitude", "Bujur", "Longitude", "number")),
        (Col("id", "ID kamera", "Camera id"), Col("nama_lokasi", "Lokasi", "Location"),
         Col("kecamatan", "Kecamatan", "District"), Col("is_active", "Aktif", "Active", "bool"),
         Col("last_status_check", "Cek terakhir", "Last check", "time")),
        Measure("aktif", "Aktif", "Active", "count"),
        None,
        named_trend(("aktif", "Kamera aktif", "Cameras active", "count"), ("kamera", "Kamera", "Cameras", "count")),
        (Col("kamera", "Kamera", "Cameras", "count"), Col("aktif", "Aktif", "Active", "count"),
         Col("aktif_pct", "Aktif %", "Active %", "percent")),
    ),
    AppSpec(
        "e-statistik", "Indikator", "Indicator", "Tahun", "Year",
        _statistik_headline, _statistik_measure,
        (Col("name", "Indikator", "Indicator"), Col("nilai", "Nilai", "Value", "number"),
         Col("satuan", "Satuan", "Unit"), Col("tahun", "Tahun", "Year"), Col("periode", "Periode", "Period")),
        (Col("tahun", "Tahun", "Year"), Col("periode", "Periode", "Period"), Col("nilai", "Nilai", "Value", "number"),
         Col("satuan", "Satuan", "Unit"), Col("indikator_label", "Indikator", "Indicator")),
        Measure("nilai", "Nilai", "Value", "number"),
        Measure("nilai", "Nilai", "Value", "number"),
        prefixed_trend("nilai", "Nilai", "Value", "number"),
    ),
    AppSpec(
        "e-yankes", "Rumah sakit", "Hospital", "Ruang", "Ward",
        fixed(("kapasitas", "Tempat tidur", "Beds", "count"), ("terisi", "Terisi", "Occupied", "count"),
              ("kosong", "Kosong", "Free", "count"), ("keterisian_pct", "Keterisian", "Occupancy", "percent"),
              ("penuh", "RS di atas ambang", "Hospitals over threshold", "count")),
        _const(Measure("keterisian_pct", "Keterisian tempat tidur", "Bed occupancy", "percent", higher_is_worse=True)),
        (Col("name", "Rumah sakit", "Hospital"), Col("kelas", "Kelas", "Class"),
         Col("ruang", "Ruang", "Wards", "count"),
         Col("kapasitas", "Kapasitas", "Beds", "count"), Col("terisi", "Terisi", "Occupied", "count"),
         Col("kosong", "Kosong", "Free", "count"), Col("keterisian_pct", "Keterisian", "Occupancy", "percent")),
        (Col("kode_ruang", "Kode ruang", "Ward code"), Col("nama_ruang", "Ruang", "Ward"),
         Col("kelas_rawat", "Kelas rawat", "Care class"), Col("kapasitas", "Kapasitas", "Beds", "count"),
         Col("terisi", "Terisi", "Occupied", "count"), Col("kosong", "Kosong", "Free", "count"),
         Col("keterisian_pct", "Keterisian", "Occupancy", "percent"), TIME_T),
        Measure("keterisian_pct", "Keterisian", "Occupancy", "percent", higher_is_worse=True),
        Measure("keterisian_pct", "Keterisian", "Occupancy", "percent", higher_is_worse=True),
        named_trend(("keterisian_pct", "Keterisian tempat tidur", "Bed occupancy", "percent"),
                    ("terisi", "Tempat tidur terisi", "Beds occupied", "count")),
        (Col("kapasitas", "Kapasitas", "Beds", "count"), Col("terisi", "Terisi", "Occupied", "count"),
         Col("keterisian_pct", "Keterisian", "Occupancy", "percent")),
    ),
    AppSpec(
        "e-lpse", "Satker", "Work unit", "Tender", "Tender",
        fixed(("paket", "Paket", "Packages", "count"), ("aktif", "Tender aktif", "Active tenders", "count"),
              ("hps", "Total HPS", "Total HPS", "rupiah"),
              ("nilai_kontrak", "Nilai kontrak", "Contract value", "rupiah"),
              ("hemat_pct", "Efisiensi", "Savings", "percent"), ("terlambat", "Tahap terlambat", "Stages overdue",
                                                                 "count")),
        _const(Measure("hps", "Total HPS", "Total HPS", "rupiah")),
        (Col("name", "Satker", "Work unit"), Col("paket", "Paket", "Packages", "count"),
         Col("aktif", "Aktif", "Active", "count"), Col("hps", "HPS", "HPS", "rupiah"),
         Col("nilai_kontrak", "Nilai kontrak", "Contract", "rupiah"), Col("selisih", "Selisih", "Savings", "rupiah"),
         Col("hemat_pct", "Efisiensi", "Savings %", "percent"), Col("terlambat", "Terlambat", "Overdue", "count")),
        (Col("kd_tender", "Kode tender", "Tender code"), Col("nama_paket", "Nama paket", "Package"),
         Col("status_tender", "Status", "Status"), Col("nama_tahapan", "Tahap", "Stage"),
         Col("pagu", "Pagu", "Budget", "rupiah"), Col("hps", "HPS", "HPS", "rupiah"),
         Col("nilai_kontrak", "Nilai kontrak", "Contract", "rupiah"), Col("nama_penyedia", "Penyedia", "Supplier"),
         Col("tgl_pengumuman_tender", "Pengumuman", "Announced", "time")),
        Measure("hps", "HPS", "HPS", "rupiah"),
        Measure("hps", "HPS", "HPS", "rupiah"),
        named_trend(("hps_aktif", "HPS tender aktif", "HPS of active tenders", "rupiah"),
                    ("nilai_kontrak", "Nilai kontrak", "Contract value", "rupiah"),
                    ("selisih", "Selisih (hemat)", "Savings", "rupiah")),
        (Col("paket", "Paket", "Packages", "count"), Col("hps", "HPS", "HPS", "rupiah"),
         Col("nilai_kontrak", "Nilai kontrak", "Contract", "rupiah"), Col("hemat_pct", "Efisiensi", "Savings %",
                                                                         "percent")),
    ),
    AppSpec(
        "e-disikap", "Pasar", "Market", "Komoditas", "Commodity",
        _disikap_headline,
        _const(Measure("above_reference", "Komoditas di atas acuan", "Commodities above reference", "count",
                       higher_is_worse=True)),
        (Col("name", "Pasar / sumber", "Market / source"),
         Col("above_reference", "Di atas acuan", "Above reference", "count"),
         Col("komoditas", "Komoditas", "Commodities", "count")),
        (Col("name", "Komoditas", "Commodity"), Col("harga", "Harga", "Price", "rupiah"),
         Col("acuan", "Harga acuan", "Reference", "rupiah"),
         Col("harga_sebelumnya", "Sebelumnya", "Previous", "rupiah"),
         Col("perubahan_pct", "Perubahan", "Change", "percent"), Col("tanggal", "Tanggal", "Date"),
         Col("status", "Status", "Status")),
        Measure("above_reference", "Di atas acuan", "Above reference", "count", higher_is_worse=True),
        Measure("harga", "Harga", "Price", "rupiah"),
        prefixed_trend("harga", "Harga", "Price", "rupiah"),
        (Col("above_reference", "Di atas acuan", "Above reference", "count"),
         Col("komoditas", "Komoditas", "Commodities", "count")),
    ),
)}
