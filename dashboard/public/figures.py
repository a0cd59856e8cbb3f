"""What the public may see: each application's aggregates by kab/kota, small counts withheld.

Over 450 lines: every public table is here, so /publik and /opendata cannot disagree.

One read of the derived state (core/streams.py `app_regions` of every application of core/apps.py,
plus the e-Pormas record level for the complaint-handling figures) becomes the tables that the public page
(/publik) and the open data (/opendata/) both show, so the two never disagree. Only aggregates leave
this module: no record, no complaint text, no hospital or camera name, no coordinates. Counts of
people (complaints, recipients, occupied beds) go through dashboard/public/suppression.py; every figure
computed from one (a share, an amount paid, the free beds) is withheld with it.

    data = read(client, config)            # one pipelined round trip, then one for e-Pormas records
    table = data.tables["pengaduan"]
    row = table.row("3673")
    row.text(table.column("diterima"), "id")   # "<5", "*" or "1.234"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from core.apps import APPLICATIONS
from core.complaints import KEEP_CLOSED_DAYS
from core.config import Config
from core.regions import KABKOTA, PROVINCE_CODE, region_name
from core.streams import app_regions, from_iso, json_fields, utc_now
from dashboard.figures.specs import SPECS
from dashboard.public import suppression
from dashboard.text import formatting
from dashboard.text.words import Vocabulary, Words

REGION_CODES = (PROVINCE_CODE, *KABKOTA)
ALL = ""  # the row key of a region's total over its programmes


@dataclass(frozen=True)
class Column:
    """A figure of a public table: its CSV name, its heading and how it reads."""

    key: str
    name: Words
    kind: str = "count"  # count | number | percent | rupiah | days | text | date | status
    personal: bool = False  # counts people (or their complaints, payments, beds): under 5 withheld
    follows: tuple[str, ...] = ()  # computed from these columns of its row: withheld whenever they are
    unit: str = ""  # satuan, for the metadata


DAYS = Words("{n} hari", "{n} days")  # a length of time in days (the median handling time)

# What a price's status column says (stored in Indonesian: the open data's language).
STATUS_WORDS = Vocabulary({"di atas acuan": Words("di atas acuan", "above reference"),
                           "sesuai acuan": Words("sesuai acuan", "within reference")})


@dataclass
class Row:
    region: str
    key: str = ALL  # the second dimension (commodity, programme, indicator, category); ALL for a region row
    name: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    marks: dict[str, str] = field(default_factory=dict)

    @property
    def region_name(self) -> str:
        return region_name(self.region)

    def text(self, column: Column, lang: str = "id") -> str:
        """The figure as the page writes it: '<5' / '*' when withheld, else the Indonesian way."""
        value = self.values.get(column.key)
        if column.kind in ("count", "number", "percent", "rupiah"):
            return suppression.shown(value, self.marks.get(column.key), column.kind, lang)
        if column.key in self.marks:
            return suppression.mark_text(self.marks[column.key]) or ""
        if value is None or value == "":
            return formatting.DASH
        if column.kind == "days":
            return DAYS(lang, n=formatting.number(value, 1, lang))
        if column.kind == "date":
            return _day_text(str(value), lang)
        if column.kind == "status":
            return STATUS_WORDS.say_or(str(value), lang)
        return str(value)

    def csv(self, column: Column) -> str:
        """The figure for machines: '<5' / '*' when withheld, plain numbers with a dot, ISO dates."""
        mark = suppression.mark_text(self.marks.get(column.key))
        if mark:
            return mark
        value = self.values.get(column.key)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, (int, float)):
            return plain_number(value)
        return str(value)


@dataclass
class Table:
    """One dataset: rows by kab/kota (and a second dimension), with its columns and freshness."""

    key: str
    application: str
    columns: tuple[Column, ...]
    rows: list[Row]
    dimension: tuple[str, str, Words] | None = None  # (csv code column, csv name column, heading)
    updated: datetime | None = None
    period: tuple[date, date] | None = None

    def dimension_label(self, lang: str) -> str:
        """What the second dimension is called (Komoditas, Program, ...)."""
        return self.dimension[2](lang) if self.dimension else ""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def row(self, region: str, key: str = ALL) -> Row | None:
        return next((r for r in self.rows if r.region == region and r.key == key), None)

    def region_rows(self) -> list[Row]:
        """The province first, then each kab/kota: the rows of the region's own totals."""
        return [r for r in self.rows if r.key == ALL]

    def rows_in(self, region: str) -> list[Row]:
        """The second-dimension rows of one region (its commodities, programmes, indicators)."""
        return [r for r in self.rows if r.region == region and r.key != ALL]


@dataclass
class PublicData:
    tables: dict[str, Table]
    read_at: datetime
    resolution_days: int = 5  # the complaint service level "in time" is judged against

    @property
    def updated(self) -> datetime | None:
        times = [t.updated for t in self.tables.values() if t.updated]
        return max(times) if times else None


def plain_number(value: float) -> str:
    """A number for machines: no grouping, a dot for decimals, at most 2 of them (13300, 45.5)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _day_text(iso_day: str, lang: str) -> str:
    """A day as Indonesians write it, 28/11/2026 (the application pages' date format too)."""
    try:
        d = date.fromisoformat(iso_day[:10])
    except ValueError:
        return iso_day
    return f"{d.day:02d}/{d.month:02d}/{d.year}"



def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _updated(figures: dict[str, dict]) -> datetime | None:
    stamps = [f.get("updated") for f in figures.values() if f.get("updated")]
    try:
        return from_iso(max(stamps)) if stamps else None
    except ValueError:
        return None


# ---- reading ---------------------------------------------------------------------------------------------


def read(client, config: Config, now: datetime | None = None) -> PublicData:
    """Every public table, from one pipelined round trip of the applications' region figures (a
    disaster's hundred thousand complaints cost what a hundred do: derive keeps their handling)."""
    now = now or utc_now()
    ids = tuple(APPLICATIONS)
    with client.pipeline(transaction=False) as pipe:
        for app in ids:
            pipe.hgetall(app_regions(app))
        answers = pipe.execute()
    tables: list[Table] = []
    for app, answer in zip(ids, answers, strict=True):
        build = BUILT_IN_TABLES.get(app, spec_tables)
        tables += build(app, json_fields(answer), now)
    return PublicData({t.key: t for t in tables}, now, config.alerts.complaint_sla.resolution_days)


# ---- e-Disikap: prices (no one's data: shown as they are) ------------------------------------------------

PRICE_COLUMNS = (
    Column("tanggal", Words("Tanggal", "Date"), "date"),
    Column("harga", Words("Harga rata-rata", "Average price"), "rupiah", unit="Rp/kg"),
    Column("harga_acuan", Words("Harga acuan", "Reference price"), "rupiah", unit="Rp/kg"),
    Column("selisih_acuan_pct", Words("Selisih dari acuan", "Against reference"), "percent", unit="%"),
    Column("status", Words("Status", "Status"), "status"),
    Column("perubahan_pct", Words("Perubahan harian", "Day-on-day change"), "percent", unit="%"),
)


def price_table(figures: dict[str, dict]) -> Table:
    rows = []
    for code in REGION_CODES:
        commodities = (figures.get(code) or {}).get("commodities") or {}
        for key, c in sorted(commodities.items(), key=lambda kv: str(kv[1].get("name") or kv[0])):
            price, reference = _num(c.get("harga")), _num(c.get("acuan"))
            over = None
            if price is not None and reference:
                over = round((price - reference) / reference * 100, 2)
            status = None if over is None else ("di atas acuan" if over > 0 else "sesuai acuan")
            rows.append(Row(code, key, str(c.get("name") or key), {
                "tanggal": c.get("tanggal"), "harga": price, "harga_acuan": reference,
                "selisih_acuan_pct": over, "status": status, "perubahan_pct": _num(c.get("perubahan_pct"))}))
    return Table("harga-pangan", "e-disikap", PRICE_COLUMNS, rows,
                 ("kode_komoditas", "komoditas", Words("Komoditas", "Commodity")), _updated(figures))


# ---- e-Pormas: complaint handling -----------------------------------------------------------------------

COMPLAINT_COLUMNS = (
    Column("diterima", Words("Diterima", "Received"), personal=True, unit="pengaduan"),
    Column("selesai", Words("Selesai", "Resolved"), personal=True, unit="pengaduan"),
    Column("selesai_tepat_waktu", Words("Selesai tepat waktu", "Resolved in time"), personal=True, unit="pengaduan"),
    Column("tepat_waktu_pct", Words("Tepat waktu", "Share in time"), "percent",
           follows=("selesai", "selesai_tepat_waktu"), unit="%"),
    Column("median_hari", Words("Median waktu penanganan", "Median handling time"), "days", follows=("selesai",),
           unit="hari"),
    Column("terbuka", Words("Masih terbuka", "Still open"), personal=True, unit="pengaduan"),
    Column("lewat_batas", Words("Terbuka lewat batas layanan", "Open past service level"), personal=True,
           unit="pengaduan"),
)
CATEGORY_COLUMNS = (
    Column("terbuka", Words("Masih terbuka", "Still open"), personal=True, unit="pengaduan"),
    Column("lewat_batas", Words("Terbuka lewat batas layanan", "Open past service level"), personal=True,
           unit="pengaduan"),
)


# Handling over the window (received, resolved, in time, median days), kept by the derive processor.
NO_HANDLING = {"diterima": 0, "selesai": 0, "selesai_tepat_waktu": 0, "tepat_waktu_pct": None, "median_hari": None}


def complaint_tables(figures: dict[str, dict], now: datetime) -> tuple[Table, Table]:
    """By kab/kota (province first) and by category, protected together: they share the province total."""
    rows = []
    for code in REGION_CODES:
        own = figures.get(code) or {}
        values = dict(own.get("penanganan") or NO_HANDLING)
        # No figures for a kab/kota means no complaint there now: a count of none, which is fewer than 5.
        values.update(terbuka=int(own.get("open") or 0), lewat_batas=int(own.get("sla_breach") or 0))
        rows.append(Row(code, ALL, region_name(code), values))
    by_category = (figures.get(PROVINCE_CODE) or {}).get("by_category") or {}
    cat_rows = [Row(PROVINCE_CODE, name, name, {"terbuka": int(c.get("open") or 0),
                                                "lewat_batas": int(c.get("sla_breach") or 0)})
                for name, c in sorted(by_category.items())]
    # Protect both tables at once: keys are (table, column, region, row key).
    values: dict = {}
    groups: list = []
    for table, table_rows, columns in (("r", rows, COMPLAINT_COLUMNS), ("c", cat_rows, CATEGORY_COLUMNS)):
        for row in table_rows:
            for col in columns:
                if col.personal:
                    values[(table, col.key, row.region, row.key)] = row.values.get(col.key)
    for col in ("diterima", "selesai", "selesai_tepat_waktu", "terbuka", "lewat_batas"):
        groups.append((("r", col, PROVINCE_CODE, ALL), [("r", col, k, ALL) for k in KABKOTA]))
    for col in ("terbuka", "lewat_batas"):
        groups.append((("r", col, PROVINCE_CODE, ALL), [("c", col, PROVINCE_CODE, r.key) for r in cat_rows]))
    for row in rows:  # within a row: resolved in time is part of resolved, past the level part of open
        groups.append((("r", "selesai", row.region, ALL), [("r", "selesai_tepat_waktu", row.region, ALL)]))
        groups.append((("r", "terbuka", row.region, ALL), [("r", "lewat_batas", row.region, ALL)]))
    for row in cat_rows:
        groups.append((("c", "terbuka", PROVINCE_CODE, row.key),
                       [("c", "lewat_batas", PROVINCE_CODE, row.key)]))
    marks = suppression.protect(values, groups)
    _apply(marks, "r", rows, COMPLAINT_COLUMNS)
    _apply(marks, "c", cat_rows, CATEGORY_COLUMNS)
    period = (formatting.to_wib(now - timedelta(days=KEEP_CLOSED_DAYS)).date(), formatting.to_wib(now).date())
    updated = _updated(figures)
    return (Table("pengaduan-masyarakat", "e-pormas", COMPLAINT_COLUMNS, rows, None, updated, period),
            Table("pengaduan-per-kategori", "e-pormas", CATEGORY_COLUMNS, cat_rows,
                  ("kategori", "nama_kategori", Words("Kategori", "Category")), updated, period))


def _apply(marks: dict, table: str, rows: list[Row], columns: tuple[Column, ...]) -> None:
    """Copy a table's marks onto its rows, and withhold what is computed from a withheld count."""
    for row in rows:
        for col in columns:
            mark = marks.get((table, col.key, row.region, row.key))
            if mark:
                row.marks[col.key] = mark
        for col in columns:
            if col.follows:
                suppression.follow(row.marks, col.key, *col.follows)


# ---- e-LPSE: procurement (published by law on LPSE: no suppression) ------------------------------------

PROCUREMENT_COLUMNS = (
    Column("paket", Words("Paket tender", "Tender packages"), unit="paket"),
    Column("tender_aktif", Words("Tender berjalan", "Tenders open"), unit="paket"),
    Column("pagu", Words("Pagu", "Budget ceiling"), "rupiah", unit="Rp"),
    Column("hps", Words("Nilai HPS", "Owner's estimate (HPS)"), "rupiah", unit="Rp"),
    Column("nilai_kontrak", Words("Nilai kontrak", "Contract value"), "rupiah", unit="Rp"),
    Column("selisih", Words("Penghematan", "Savings"), "rupiah", unit="Rp"),
    Column("efisiensi_pct", Words("Efisiensi", "Savings share"), "percent", unit="%"),
)


def procurement_table(figures: dict[str, dict]) -> Table:
    rows = []
    for code in REGION_CODES:
        f = figures.get(code)
        values = {} if f is None else {
            "paket": _num(f.get("paket")), "tender_aktif": _num(f.get("aktif")), "pagu": _num(f.get("pagu")),
            "hps": _num(f.get("hps")), "nilai_kontrak": _num(f.get("nilai_kontrak")),
            "selisih": _num(f.get("selisih")), "efisiensi_pct": _num(f.get("hemat_pct"))}
        rows.append(Row(code, ALL, region_name(code), values))
    return Table("pengadaan-tender", "e-lpse", PROCUREMENT_COLUMNS, rows, None, _updated(figures))


# ---- e-Yankes: beds (occupied beds are patients: withheld when few) -------------------------------------

BED_COLUMNS = (
    Column("rumah_sakit", Words("Rumah sakit melapor", "Hospitals reporting"), unit="rumah sakit"),
    Column("tempat_tidur", Words("Tempat tidur", "Beds"), unit="tempat tidur"),
    Column("terisi", Words("Terisi", "Occupied"), personal=True, unit="tempat tidur"),
    Column("kosong", Words("Kosong", "Free"), follows=("terisi",), unit="tempat tidur"),
    Column("keterisian_pct", Words("Keterisian", "Occupancy"), "percent", follows=("terisi",), unit="%"),
)


def bed_table(figures: dict[str, dict]) -> Table:
    rows = []
    for code in REGION_CODES:
        f = figures.get(code)
        values = {} if f is None else {
            "rumah_sakit": _num(f.get("units")), "tempat_tidur": _num(f.get("kapasitas")),
            "terisi": _num(f.get("terisi")), "kosong": _num(f.get("kosong")),
            "keterisian_pct": _num(f.get("keterisian_pct"))}
        rows.append(Row(code, ALL, region_name(code), values))
    values = {r.region: r.values.get("terisi") for r in rows}
    marks = suppression.protect(values, [(PROVINCE_CODE, list(KABKOTA))])
    for row in rows:
        if row.region in marks:
            row.marks["terisi"] = marks[row.region]
        for col in BED_COLUMNS:
            if col.follows:
                suppression.follow(row.marks, col.key, *col.follows)
    return Table("tempat-tidur-rumah-sakit", "e-yankes", BED_COLUMNS, rows, None, _updated(figures))


# ---- e-Bansos: disbursement by programme (recipients are specific personal data: aggregates only) ---------

BANSOS_COLUMNS = (
    Column("tahap", Words("Tahap terakhir", "Latest stage"), "number"),
    Column("target_kpm", Words("Target KPM", "Target households"), personal=True, unit="KPM"),
    Column("kpm_tersalur", Words("KPM tersalur", "Households paid"), personal=True, unit="KPM"),
    Column("progres_pct", Words("Progres penyaluran", "Disbursement progress"), "percent",
           follows=("target_kpm", "kpm_tersalur"), unit="%"),
    Column("nominal", Words("Nominal tersalur", "Amount paid"), "rupiah", follows=("kpm_tersalur",), unit="Rp"),
)


def bansos_table(figures: dict[str, dict]) -> Table:
    """Each kab/kota's total and its programmes, province first; protected as one region x programme table."""
    rows = []
    programmes = sorted({p for f in figures.values() for p in (f.get("programs") or {})})
    for code in REGION_CODES:
        f = figures.get(code)
        if f is None:
            rows.append(Row(code, ALL, region_name(code), {}))
            continue
        rows.append(Row(code, ALL, region_name(code), {
            "tahap": None, "target_kpm": _num(f.get("target_kpm")),
            "kpm_tersalur": _num(f.get("kpm_tersalur")),
            "progres_pct": _num(f.get("progress_pct")), "nominal": _num(f.get("nominal"))}))
        for name, p in sorted((f.get("programs") or {}).items()):
            rows.append(Row(code, name, name, {
                "tahap": _num(p.get("tahap")), "target_kpm": _num(p.get("target_kpm")),
                "kpm_tersalur": _num(p.get("kpm_tersalur")), "progres_pct": _num(p.get("progress_pct")),
                "nominal": _num(p.get("nominal"))}))
    present = {(r.region, r.key) for r in rows if r.values}
    values = {(col, r.region, r.key): r.values.get(col)
              for r in rows for col in ("target_kpm", "kpm_tersalur")}
    groups = []
    for col in ("target_kpm", "kpm_tersalur"):
        groups.append(((col, PROVINCE_CODE, ALL), [(col, k, ALL) for k in KABKOTA if (k, ALL) in present]))
        groups.append(((col, PROVINCE_CODE, ALL), [(col, PROVINCE_CODE, p) for p in programmes
                                                   if (PROVINCE_CODE, p) in present]))
        for code in KABKOTA:
            if (code, ALL) in present:
                parts = [(col, code, p) for p in programmes if (code, p) in present]
                groups.append(((col, code, ALL), parts))
        for p in programmes:
            groups.append(((col, PROVINCE_CODE, p), [(col, k, p) for k in KABKOTA if (k, p) in present]))
    for region, key in present:  # households not yet paid are people too
        groups.append((("target_kpm", region, key), [("kpm_tersalur", region, key)]))
    marks = suppression.protect(values, groups)
    for row in rows:
        for col in ("target_kpm", "kpm_tersalur"):
            if (col, row.region, row.key) in marks:
                row.marks[col] = marks[(col, row.region, row.key)]
        for col in BANSOS_COLUMNS:
            if col.follows:
                suppression.follow(row.marks, col.key, *col.follows)
    return Table("penyaluran-bansos", "e-bansos", BANSOS_COLUMNS, rows,
                 ("program", "nama_program", Words("Program", "Programme")), _updated(figures))


# ---- e-Statistik: BPS's published estimates (already public, rates and thousands: shown as published) ------

STATISTICS_COLUMNS = (
    Column("nilai", Words("Nilai", "Value"), "number"),
    Column("satuan", Words("Satuan", "Unit"), "text"),
    Column("tahun", Words("Tahun", "Year"), "text"),
    Column("periode", Words("Periode", "Period"), "text"),
)


def statistics_table(figures: dict[str, dict]) -> Table:
    rows = []
    for code in REGION_CODES:
        for key, ind in sorted(((figures.get(code) or {}).get("indicators") or {}).items()):
            rows.append(Row(code, key, str(ind.get("name") or key), {
                "nilai": _num(ind.get("nilai")), "satuan": ind.get("satuan"),
                "tahun": None if ind.get("tahun") is None else str(ind.get("tahun")),
                "periode": ind.get("periode")}))
    return Table("indikator-statistik", "e-statistik", STATISTICS_COLUMNS, rows,
                 ("kode_indikator", "indikator", Words("Indikator", "Indicator")), _updated(figures))


# ---- e-CCTV: how many cameras work (no picture, no place, no address) --------------------------------------

CAMERA_COLUMNS = (
    Column("kamera", Words("Kamera", "Cameras"), unit="kamera"),
    Column("aktif", Words("Aktif", "Working"), unit="kamera"),
    Column("tidak_aktif", Words("Tidak aktif", "Not working"), unit="kamera"),
    Column("aktif_pct", Words("Persentase aktif", "Share working"), "percent", unit="%"),
)


def camera_table(figures: dict[str, dict]) -> Table:
    rows = []
    for code in REGION_CODES:
        f = figures.get(code)
        values = {} if f is None else {
            "kamera": _num(f.get("kamera")), "aktif": _num(f.get("aktif")),
            "tidak_aktif": _num(f.get("nonaktif")), "aktif_pct": _num(f.get("aktif_pct"))}
        rows.append(Row(code, ALL, region_name(code), values))
    return Table("kamera-cctv", "e-cctv", CAMERA_COLUMNS, rows, None, _updated(figures))


# ---- any other application: its page spec's region columns, every count protected -------------------------

NUMERIC = ("count", "number", "percent", "rupiah")


def spec_tables(app: str, figures: dict[str, dict], now: datetime) -> list[Table]:
    """The page spec's region columns by kab/kota under its `public` name; none when it names none.

    Not knowing which of its counts are people, every count is protected as one (under 5 "<5", the
    province total and its kab/kota protect each other) and every other figure of a row goes with a
    withheld count."""
    spec = SPECS[app]
    if not spec.public:
        return []
    counts = tuple(c.field for c in spec.region_cols if c.kind == "count")
    columns = tuple(Column(c.field, c.name, c.kind if c.kind in NUMERIC else "text",
                           personal=c.kind == "count", follows=() if c.kind == "count" else counts)
                    for c in spec.region_cols)
    rows = []
    for code in REGION_CODES:
        f = figures.get(code)
        values = {} if f is None else {c.key: _num(f.get(c.key)) if c.kind in NUMERIC else f.get(c.key)
                                       for c in columns}
        rows.append(Row(code, ALL, region_name(code), values))
    values = {(col, r.region): r.values.get(col) for r in rows for col in counts}
    marks = suppression.protect(values, [((col, PROVINCE_CODE), [(col, k) for k in KABKOTA]) for col in counts])
    for row in rows:
        row.marks.update({col: marks[(col, row.region)] for col in counts if (col, row.region) in marks})
        for col in columns:
            if col.follows:
                suppression.follow(row.marks, col.key, *col.follows)
    return [Table(spec.public, app, columns, rows, None, _updated(figures))]


# Each built-in application's tables, in the order of core/apps.py; any other's come from spec_tables.
BUILT_IN_TABLES: dict[str, Callable[[str, dict[str, dict], datetime], list[Table]]] = {
    "e-bansos": lambda app, f, now: [bansos_table(f)],
    "e-pormas": lambda app, f, now: list(complaint_tables(f, now)),
    "e-cctv": lambda app, f, now: [camera_table(f)],
    "e-statistik": lambda app, f, now: [statistics_table(f)],
    "e-yankes": lambda app, f, now: [bed_table(f)],
    "e-lpse": lambda app, f, now: [procurement_table(f)],
    "e-disikap": lambda app, f, now: [price_table(f)],
}
