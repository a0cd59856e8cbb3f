"""What each application's page shows at each drill level: headline figures, map value, columns, bars, trend.

The figures are the JSON the derive processors write (ingest/derive/<app>.py); this module only
names them and says how to show them. Every label is `Words` (dashboard/text/words.py): Bahasa
Indonesia and English (`?lang=en`) side by side.

PAGE_SPECS holds the specs by their key; each application of core/apps.py names its own
(`page_spec`), and SPECS maps every registered application to its spec, in screen order. An
application whose spec is missing stops the dashboard at start-up (`check`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from core import apps
from dashboard.text.i18n import text
from dashboard.text.words import Words

Figures = dict[str, Any]
Stat = tuple[Words, Any, str]  # a headline figure: (label, value, kind); kind: count | number | percent | rupiah
Trend = tuple[str, Words, str]  # a daily series: (its name in the trend hash, label, kind)


def word(key: str, lang: str, **values) -> str:
    """A page word in the language, with `{placeholders}` filled (kept in dashboard/text/i18n.py)."""
    return text(f"app_{key}", lang, **values)


@dataclass(frozen=True)
class Col:
    """A table column: a field of the row, its header and how its value reads."""

    field: str
    name: Words
    kind: str = "text"  # text | count | number | percent | rupiah | time | bool


@dataclass(frozen=True)
class Measure:
    """A number of a figures dict that a map or a bar chart shows."""

    key: str
    name: Words
    kind: str = "count"
    higher_is_worse: bool = False

    def of(self, figures: Figures | None) -> float | None:
        v = (figures or {}).get(self.key)
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


@dataclass(frozen=True)
class AppSpec:
    app: str
    unit: Words  # what a unit is called: Rumah sakit, Satker, ...
    record: Words
    headline: Callable[[Figures], list[Stat]]
    map_measure: Callable[[Figures], Measure]  # from the province figures (e-statistik picks an indicator)
    unit_cols: tuple[Col, ...]
    record_cols: tuple[Col, ...]
    unit_measure: Measure | None
    record_measure: Measure | None
    trend_names: Callable[[list[str]], list[Trend]]  # the series present -> those shown, in order
    region_cols: tuple[Col, ...] = field(default=())
    # The open-data name under which the public portal shows region_cols by kab/kota ("" for none;
    # the seven built-in applications have tables of their own in dashboard/public/figures.py).
    public: str = ""


def fixed(*stats: tuple[str, Words, str]) -> Callable[[Figures], list[Stat]]:
    """Headline figures that are plain keys of the figures dict: (key, label, kind)."""
    return lambda f: [(label, f.get(k), kind) for k, label, kind in stats]


def named_trend(*names: Trend) -> Callable[[list[str]], list[Trend]]:
    known = {n[0]: n for n in names}
    return lambda present: [known[n] for n in known if n in present]


def prefixed_trend(prefix: str, name: Words, kind: str, most: int = 6) -> Callable[[list[str]], list[Trend]]:
    """Series named `<prefix>:<key>` (one per commodity or indicator), at most `most` of them."""
    def pick(present: list[str]) -> list[Trend]:
        chosen = sorted(n for n in present if n.startswith(prefix + ":"))[:most]
        return [(n, Words(f"{name.id} {n.split(':', 1)[1]}", f"{name.en} {n.split(':', 1)[1]}"), kind)
                for n in chosen]
    return pick


def _const(measure: Measure) -> Callable[[Figures], Measure]:
    return lambda _figures: measure


def _disikap_headline(f: Figures) -> list[Stat]:
    out: list[Stat] = [(Words("Komoditas di atas acuan", "Commodities above reference"), f.get("above_reference"),
                        "count")]
    commodities = f.get("commodities") or {}
    for key in sorted(commodities)[:5]:
        c = commodities[key]
        name = c.get("name") or key
        out.append((Words(f"Harga {name}", f"Price {name}"), c.get("harga"), "rupiah"))
    return out


def _statistik_headline(f: Figures) -> list[Stat]:
    indicators = f.get("indicators") or {}
    if not indicators and "nilai" in f:  # a unit (one indicator)
        return [(Words.same(str(f.get("name") or "")), f.get("nilai"), "number")]
    return [(Words.same(str(v.get("name") or k)), v.get("nilai"), "number") for k, v in sorted(indicators.items())[:6]]


def _statistik_measure(province: Figures) -> Measure:
    indicators = (province or {}).get("indicators") or {}
    key = sorted(indicators)[0] if indicators else ""
    name = str((indicators.get(key) or {}).get("name") or key)
    return _IndicatorMeasure(key, Words.same(name), "number")


@dataclass(frozen=True)
class _IndicatorMeasure(Measure):
    """One e-Statistik indicator's value in a region's figures."""

    def of(self, figures: Figures | None) -> float | None:
        v = ((figures or {}).get("indicators") or {}).get(self.key, {}).get("nilai")
        if v is None and (figures or {}).get("unit") == self.key:
            v = figures.get("nilai")
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


TIME_T = Col("_t", Words("Waktu kejadian", "Event time"), "time")

PAGE_SPECS: dict[str, AppSpec] = {s.app: s for s in (
    AppSpec(
        "e-bansos", Words("Program", "Programme"), Words("Tahap", "Stage"),
        fixed(("target_kpm", Words("Target KPM", "Target beneficiaries"), "count"),
              ("kpm_tersalur", Words("KPM tersalur", "Beneficiaries paid"), "count"),
              ("progress_pct", Words("Progres penyaluran", "Disbursement progress"), "percent"),
              ("nominal", Words("Nominal tersalur", "Amount paid"), "rupiah")),
        _const(Measure("progress_pct", Words("Progres penyaluran", "Disbursement progress"), "percent")),
        (Col("name", Words("Program", "Programme")), Col("tahun", Words("Tahun", "Year")),
         Col("tahap", Words("Tahap", "Stage")),
         Col("status", Words("Status", "Status")), Col("target_kpm", Words("Target KPM", "Target"), "count"),
         Col("kpm_tersalur", Words("KPM tersalur", "Paid"), "count"),
         Col("progress_pct", Words("Progres", "Progress"), "percent"),
         Col("nominal", Words("Nominal", "Amount"), "rupiah")),
        (Col("tahun", Words("Tahun", "Year")), Col("tahap", Words("Tahap", "Stage")),
         Col("status", Words("Status", "Status")),
         Col("target_kpm", Words("Target KPM", "Target"), "count"),
         Col("kpm_tersalur", Words("KPM tersalur", "Paid"), "count"),
         Col("progress_pct", Words("Progres", "Progress"), "percent"),
         Col("nominal", Words("Nominal", "Amount"), "rupiah"), TIME_T),
        Measure("progress_pct", Words("Progres penyaluran", "Disbursement progress"), "percent"),
        Measure("progress_pct", Words("Progres penyaluran", "Disbursement progress"), "percent"),
        named_trend(("progress_pct", Words("Progres penyaluran", "Disbursement progress"), "percent"),
                    ("kpm_tersalur", Words("KPM tersalur", "Beneficiaries paid"), "count")),
        (Col("target_kpm", Words("Target KPM", "Target"), "count"),
         Col("kpm_tersalur", Words("KPM tersalur", "Paid"), "count"),
         Col("progress_pct", Words("Progres", "Progress"), "percent"),
         Col("nominal", Words("Nominal", "Amount"), "rupiah")),
    ),
    AppSpec(
        "e-pormas", Words("Kategori", "Category"), Words("Pengaduan", "Complaint"),
        fixed(("open", Words("Pengaduan terbuka", "Open complaints"), "count"),
              ("sla_breach", Words("Lewat batas layanan", "Past service level"), "count"),
              ("sla_verifikasi", Words("Belum diverifikasi", "Not verified in time"), "count"),
              ("closed", Words("Selesai (7 hari)", "Closed (7 days)"), "count")),
        _const(Measure("open", Words("Pengaduan terbuka", "Open complaints"), "count", higher_is_worse=True)),
        (Col("name", Words("Kategori", "Category")), Col("open", Words("Terbuka", "Open"), "count"),
         Col("closed", Words("Selesai", "Closed"), "count"), Col("sla_breach", Words("Lewat SLA", "Past SLA"), "count"),
         Col("sla_verifikasi", Words("Belum diverifikasi", "Not verified"), "count"),
         Col("sla_penyelesaian", Words("Belum selesai", "Not resolved"), "count")),
        (Col("tracking_id", Words("No. tiket", "Ticket")), Col("judul", Words("Judul", "Title")),
         Col("status", Words("Status", "Status")),
         Col("via", Words("Kanal", "Channel")), Col("opd_tujuan", Words("OPD tujuan", "Agency")),
         Col("created_at", Words("Diterima", "Received"), "time"),
         Col("updated_at", Words("Diperbarui", "Updated"), "time")),
        Measure("open", Words("Pengaduan terbuka", "Open complaints"), "count", higher_is_worse=True),
        None,
        named_trend(("open", Words("Pengaduan terbuka", "Open complaints"), "count"),
                    ("sla_breach", Words("Lewat batas layanan", "Past service level"), "count")),
        (Col("open", Words("Terbuka", "Open"), "count"), Col("closed", Words("Selesai", "Closed"), "count"),
         Col("sla_breach", Words("Lewat SLA", "Past SLA"), "count")),
    ),
    AppSpec(
        "e-cctv", Words("Kamera", "Camera"), Words("Kamera", "Camera"),
        fixed(("kamera", Words("Kamera", "Cameras"), "count"), ("aktif", Words("Aktif", "Active"), "count"),
              ("nonaktif", Words("Tidak aktif", "Inactive"), "count"),
              ("aktif_pct", Words("Persentase aktif", "Share active"), "percent")),
        _const(Measure("aktif_pct", Words("Kamera aktif", "Cameras active"), "percent")),
        (Col("name", Words("Lokasi", "Location")), Col("kecamatan", Words("Kecamatan", "District")),
         Col("aktif", Words("Aktif", "Active"), "count"), Col("latitude", Words("Lintang", "Latitude"), "number"),
         Col("longitude", Words("Bujur", "Longitude"), "number")),
        (Col("id", Words("ID kamera", "Camera id")), Col("nama_lokasi", Words("Lokasi", "Location")),
         Col("kecamatan", Words("Kecamatan", "District")), Col("is_active", Words("Aktif", "Active"), "bool"),
         Col("last_status_check", Words("Cek terakhir", "Last check"), "time")),
        Measure("aktif", Words("Aktif", "Active"), "count"),
        None,
        named_trend(("aktif", Words("Kamera aktif", "Cameras active"), "count"),
                    ("kamera", Words("Kamera", "Cameras"), "count")),
        (Col("kamera", Words("Kamera", "Cameras"), "count"), Col("aktif", Words("Aktif", "Active"), "count"),
         Col("aktif_pct", Words("Aktif %", "Active %"), "percent")),
    ),
    AppSpec(
        "e-statistik", Words("Indikator", "Indicator"), Words("Tahun", "Year"),
        _statistik_headline, _statistik_measure,
        (Col("name", Words("Indikator", "Indicator")), Col("nilai", Words("Nilai", "Value"), "number"),
         Col("satuan", Words("Satuan", "Unit")), Col("tahun", Words("Tahun", "Year")),
         Col("periode", Words("Periode", "Period"))),
        (Col("tahun", Words("Tahun", "Year")), Col("periode", Words("Periode", "Period")),
         Col("nilai", Words("Nilai", "Value"), "number"),
         Col("satuan", Words("Satuan", "Unit")), Col("indikator_label", Words("Indikator", "Indicator"))),
        Measure("nilai", Words("Nilai", "Value"), "number"),
        Measure("nilai", Words("Nilai", "Value"), "number"),
        prefixed_trend("nilai", Words("Nilai", "Value"), "number"),
    ),
    AppSpec(
        "e-yankes", Words("Rumah sakit", "Hospital"), Words("Ruang", "Ward"),
        fixed(("kapasitas", Words("Tempat tidur", "Beds"), "count"), ("terisi", Words("Terisi", "Occupied"), "count"),
              ("kosong", Words("Kosong", "Free"), "count"),
              ("keterisian_pct", Words("Keterisian", "Occupancy"), "percent"),
              ("penuh", Words("RS di atas ambang", "Hospitals over threshold"), "count")),
        _const(Measure("keterisian_pct", Words("Keterisian tempat tidur", "Bed occupancy"), "percent",
                       higher_is_worse=True)),
        (Col("name", Words("Rumah sakit", "Hospital")), Col("kelas", Words("Kelas", "Class")),
         Col("ruang", Words("Ruang", "Wards"), "count"),
         Col("kapasitas", Words("Kapasitas", "Beds"), "count"), Col("terisi", Words("Terisi", "Occupied"), "count"),
         Col("kosong", Words("Kosong", "Free"), "count"),
         Col("keterisian_pct", Words("Keterisian", "Occupancy"), "percent")),
        (Col("kode_ruang", Words("Kode ruang", "Ward code")), Col("nama_ruang", Words("Ruang", "Ward")),
         Col("kelas_rawat", Words("Kelas rawat", "Care class")), Col("kapasitas", Words("Kapasitas", "Beds"), "count"),
         Col("terisi", Words("Terisi", "Occupied"), "count"), Col("kosong", Words("Kosong", "Free"), "count"),
         Col("keterisian_pct", Words("Keterisian", "Occupancy"), "percent"), TIME_T),
        Measure("keterisian_pct", Words("Keterisian", "Occupancy"), "percent", higher_is_worse=True),
        Measure("keterisian_pct", Words("Keterisian", "Occupancy"), "percent", higher_is_worse=True),
        named_trend(("keterisian_pct", Words("Keterisian tempat tidur", "Bed occupancy"), "percent"),
                    ("terisi", Words("Tempat tidur terisi", "Beds occupied"), "count")),
        (Col("kapasitas", Words("Kapasitas", "Beds"), "count"), Col("terisi", Words("Terisi", "Occupied"), "count"),
         Col("keterisian_pct", Words("Keterisian", "Occupancy"), "percent")),
    ),
    AppSpec(
        "e-lpse", Words("Satker", "Work unit"), Words("Tender", "Tender"),
        fixed(("paket", Words("Paket", "Packages"), "count"),
              ("aktif", Words("Tender aktif", "Active tenders"), "count"),
              ("hps", Words("Total HPS", "Total HPS"), "rupiah"),
              ("nilai_kontrak", Words("Nilai kontrak", "Contract value"), "rupiah"),
              ("hemat_pct", Words("Efisiensi", "Savings"), "percent"),
              ("terlambat", Words("Tahap terlambat", "Stages overdue"), "count")),
        _const(Measure("hps", Words("Total HPS", "Total HPS"), "rupiah")),
        (Col("name", Words("Satker", "Work unit")), Col("paket", Words("Paket", "Packages"), "count"),
         Col("aktif", Words("Aktif", "Active"), "count"), Col("hps", Words("HPS", "HPS"), "rupiah"),
         Col("nilai_kontrak", Words("Nilai kontrak", "Contract"), "rupiah"),
         Col("selisih", Words("Selisih", "Savings"), "rupiah"),
         Col("hemat_pct", Words("Efisiensi", "Savings %"), "percent"),
         Col("terlambat", Words("Terlambat", "Overdue"), "count")),
        (Col("kd_tender", Words("Kode tender", "Tender code")), Col("nama_paket", Words("Nama paket", "Package")),
         Col("status_tender", Words("Status", "Status")), Col("nama_tahapan", Words("Tahap", "Stage")),
         Col("pagu", Words("Pagu", "Budget"), "rupiah"), Col("hps", Words("HPS", "HPS"), "rupiah"),
         Col("nilai_kontrak", Words("Nilai kontrak", "Contract"), "rupiah"),
         Col("nama_penyedia", Words("Penyedia", "Supplier")),
         Col("tgl_pengumuman_tender", Words("Pengumuman", "Announced"), "time")),
        Measure("hps", Words("HPS", "HPS"), "rupiah"),
        Measure("hps", Words("HPS", "HPS"), "rupiah"),
        named_trend(("hps_aktif", Words("HPS tender aktif", "HPS of active tenders"), "rupiah"),
                    ("nilai_kontrak", Words("Nilai kontrak", "Contract value"), "rupiah"),
                    ("selisih", Words("Selisih (hemat)", "Savings"), "rupiah")),
        (Col("paket", Words("Paket", "Packages"), "count"), Col("hps", Words("HPS", "HPS"), "rupiah"),
         Col("nilai_kontrak", Words("Nilai kontrak", "Contract"), "rupiah"),
         Col("hemat_pct", Words("Efisiensi", "Savings %"), "percent")),
    ),
    AppSpec(
        "e-disikap", Words("Pasar", "Market"), Words("Komoditas", "Commodity"),
        _disikap_headline,
        _const(Measure("above_reference", Words("Komoditas di atas acuan", "Commodities above reference"), "count",
                       higher_is_worse=True)),
        (Col("name", Words("Pasar / sumber", "Market / source")),
         Col("above_reference", Words("Di atas acuan", "Above reference"), "count"),
         Col("komoditas", Words("Komoditas", "Commodities"), "count")),
        (Col("name", Words("Komoditas", "Commodity")), Col("harga", Words("Harga", "Price"), "rupiah"),
         Col("acuan", Words("Harga acuan", "Reference"), "rupiah"),
         Col("harga_sebelumnya", Words("Sebelumnya", "Previous"), "rupiah"),
         Col("perubahan_pct", Words("Perubahan", "Change"), "percent"), Col("tanggal", Words("Tanggal", "Date")),
         Col("status", Words("Status", "Status"))),
        Measure("above_reference", Words("Di atas acuan", "Above reference"), "count", higher_is_worse=True),
        Measure("harga", Words("Harga", "Price"), "rupiah"),
        prefixed_trend("harga", Words("Harga", "Price"), "rupiah"),
        (Col("above_reference", Words("Di atas acuan", "Above reference"), "count"),
         Col("komoditas", Words("Komoditas", "Commodities"), "count")),
    ),
)}


class MissingPageSpec(apps.ApplicationError):
    """A registered application whose page spec is not in PAGE_SPECS."""


def spec_of(app: apps.Application) -> AppSpec:
    try:
        return PAGE_SPECS[app.page_spec]
    except KeyError:
        raise MissingPageSpec(f"application {app.id}: no page spec '{app.page_spec}' in "
                              "dashboard/figures/specs.py PAGE_SPECS") from None


class _Specs(Mapping[str, AppSpec]):
    """Application id -> its page spec, for every application of core/apps.py in order (read on each use)."""

    def __getitem__(self, app_id: str) -> AppSpec:
        app = apps.find(app_id)
        if app is None:
            raise KeyError(app_id)
        return spec_of(app)

    def __iter__(self) -> Iterator[str]:
        return iter(apps.APPLICATIONS)

    def __len__(self) -> int:
        return len(apps.APPLICATIONS)

    def __contains__(self, app_id: object) -> bool:
        return apps.is_application(app_id)


SPECS: Mapping[str, AppSpec] = _Specs()


def check() -> None:
    """Every registered application has its page spec: raises MissingPageSpec naming the first without."""
    for app in apps.all_applications():
        spec_of(app)


check()  # a missing spec is a start-up error, not a blank page later
