"""Open data: the public tables as downloads, with metadata in the spirit of Satu Data Indonesia.

    GET /opendata/                    the datasets and their metadata, for people (HTML; ?lang=en)
    GET /opendata/katalog.json        the same list for machines
    GET /opendata/<dataset>.csv       one dataset for machines
    GET /opendata/<dataset>.xlsx      the same table for Excel
    GET /opendata/<dataset>.json      its metadata: judul, produsen data, satuan, frekuensi, ...

The figures are dashboard/public/figures.py's, the very ones /publik shows: aggregates by kab/kota
with small counts written "<5" and the counts withheld to protect them written "*".

The CSV is UTF-8 with a byte-order mark, comma separated (RFC 4180), ISO 8601 dates, and plain
numbers with a dot for decimals and no grouping (13300, 45.5). Why the BOM: Excel opens a CSV by
double-click in the Windows ANSI code page unless a BOM says UTF-8, which garbles every non-ASCII
character (the en dash, a name with an accent); pandas, R's readr, LibreOffice and Google Sheets
skip the BOM. Why also .xlsx: Excel on Windows set to Indonesian splits a double-clicked CSV on the
list separator of that locale, the semicolon (its decimal mark is the comma), so a comma CSV opens
as one column there whatever its encoding; an .xlsx opens right in every locale (Data > From
Text/CSV also reads the CSV correctly). The CSV stays comma and dot because it is for machines and
for portals such as data.go.id, which expect exactly that.

Every download (CSV, Excel) is written to the audit trail (action "export", who "-" for anonymous).
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from core import apps, audit
from core.regions import KABKOTA, PROVINCE_CODE
from dashboard.auth.access import current_user
from dashboard.public.figures import ALL, PublicData, Table, read
from dashboard.safety.export_cells import neutralise, neutralised_rows
from dashboard.text import definitions, formatting
from dashboard.text.i18n import application_name, language_from_query, text
from dashboard.text.words import Words

PREFIX = "/opendata/"
CATALOG = "katalog"
# The province's data steward (walidata, Perpres 39/2019) answers for every dataset published here.
WALIDATA = "Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten"
CONTACT = "Walidata Provinsi Banten (Diskominfo SP Provinsi Banten), melalui Command Center Provinsi Banten"
LICENCE = {"nama": "CC BY 4.0", "judul": "Creative Commons Atribusi 4.0 Internasional",
           "url": "https://creativecommons.org/licenses/by/4.0/deed.id"}
COVERAGE = "Provinsi Banten: 8 kabupaten/kota"
CSV_FORMAT = "text/csv; charset=utf-8 (dengan BOM), pemisah koma, desimal titik, tanggal ISO 8601"
SUPPRESSION_NOTE = Words(
    "Angka di bawah 5 ditulis \"<5\"; angka yang ditulis \"*\" disamarkan agar angka kecil tidak dapat "
    "dihitung ulang dari angka lain (UU 27/2022 tentang Pelindungan Data Pribadi).",
    "Counts under 5 are written \"<5\"; figures written \"*\" are withheld so that a small count cannot be "
    "worked out from the others (Law 27/2022 on Personal Data Protection).")
ALL_CODE, ALL_NAME = "semua", "Semua program"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Dataset:
    """What a dataset is, for its metadata: the words of Satu Data Indonesia's metadata form."""

    key: str
    title: Words
    description: Words
    produsen: str  # the OPD that produces the data
    frequency: Words


KOMINFO = "Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten (e-Pormas / SP4N-LAPOR!)"
REAL_TIME = Words("waktu nyata (setiap ada pengaduan)", "real time (as complaints arrive)")
EVERY_15_S = Words("waktu nyata (setiap 15 detik)", "real time (every 15 seconds)")

DATASETS: dict[str, Dataset] = {d.key: d for d in (
    Dataset("harga-pangan", Words("Harga pangan per kabupaten/kota", "Food prices by regency/city"),
            Words("Harga rata-rata komoditas pangan pokok per kabupaten/kota dan rata-rata provinsi, dengan harga "
            "acuan (HET/HAP) dan selisihnya, dari PIHPS Bank Indonesia dan Panel Harga Badan Pangan "
            "Nasional.",
            "Average prices of staple foods per regency/city and the province average, against the reference "
            "price (HET/HAP), from Bank Indonesia's PIHPS and the National Food Agency's price panel."),
            "Dinas Ketahanan Pangan Provinsi Banten", Words("harian (hari kerja)", "daily (working days)")),
    Dataset("pengaduan-masyarakat", Words("Kinerja penanganan pengaduan masyarakat per kabupaten/kota",
                                          "Public complaint handling by regency/city"),
            Words("Jumlah pengaduan yang diterima dan diselesaikan dalam 7 hari terakhir, persentase yang selesai "
            "dalam batas layanan SP4N-LAPOR!, median waktu penanganan, dan pengaduan yang masih terbuka.",
            "Complaints received and resolved in the last 7 days, the share resolved within the SP4N-LAPOR! "
            "service level, the median handling time, and complaints still open."),
            KOMINFO, REAL_TIME),
    Dataset("pengaduan-per-kategori", Words("Pengaduan masyarakat yang masih terbuka per kategori",
                                            "Open public complaints by category"),
            Words("Jumlah pengaduan yang masih terbuka dan yang telah lewat batas layanan, per kategori, tingkat "
            "provinsi.",
            "Complaints still open and those past the service level, by category, province level."),
            KOMINFO, REAL_TIME),
    Dataset("pengadaan-tender", Words("Pengadaan barang/jasa melalui tender per kabupaten/kota",
                                      "Public procurement by tender by regency/city"),
            Words("Jumlah paket tender, tender yang berjalan, pagu, nilai HPS, nilai kontrak, penghematan dan "
            "efisiensi (selisih HPS dan nilai kontrak) dari SPSE/LPSE.",
            "Tender packages, tenders open, budget ceiling, owner's estimate (HPS), contract value, savings "
            "and savings share (HPS minus contract value) from SPSE/LPSE."),
            "Biro Pengadaan Barang dan Jasa Sekretariat Daerah Provinsi Banten (LPSE)", Words("harian", "daily")),
    Dataset("tempat-tidur-rumah-sakit", Words("Keterisian tempat tidur rumah sakit per kabupaten/kota",
                                              "Hospital bed occupancy by regency/city"),
            Words("Jumlah rumah sakit yang melapor, tempat tidur, tempat tidur terisi dan kosong, dan persentase "
            "keterisian, dijumlahkan per kabupaten/kota (tanpa data pasien).",
            "Hospitals reporting, beds, beds occupied and free, and occupancy, added up per regency/city "
            "(no patient data)."),
            "Dinas Kesehatan Provinsi Banten", EVERY_15_S),
    Dataset("penyaluran-bansos", Words("Penyaluran bantuan sosial per program dan kabupaten/kota",
                                       "Social assistance disbursement by programme and regency/city"),
            Words("Target dan realisasi keluarga penerima manfaat (KPM), progres dan nominal penyaluran PKH/BPNT "
            "per kabupaten/kota dan program, tahap terakhir. Tanpa data penerima.",
            "Target and paid beneficiary households (KPM), disbursement progress and amount of PKH/BPNT per "
            "regency/city and programme, latest stage. No recipient data."),
            "Dinas Sosial Provinsi Banten", Words("harian", "daily")),
    Dataset("indikator-statistik", Words("Indikator statistik per kabupaten/kota",
                                         "Statistical indicators by regency/city"),
            Words("Indikator BPS (kemiskinan, pengangguran, garis kemiskinan, ...) per kabupaten/kota dan "
            "provinsi, tahun dan periode terakhir.",
            "BPS indicators (poverty, unemployment, poverty line, ...) per regency/city and the province, "
            "latest year and period."),
            "Badan Pusat Statistik Provinsi Banten", Words("tahunan / semesteran", "yearly / half-yearly")),
    Dataset("kamera-cctv", Words("Kamera CCTV aktif per kabupaten/kota", "CCTV cameras working by regency/city"),
            Words("Jumlah kamera CCTV dan yang aktif per kabupaten/kota (tanpa gambar, lokasi atau alamat kamera).",
            "CCTV cameras and those working per regency/city (no pictures, places or camera addresses)."),
            "Dinas Perhubungan Provinsi Banten", EVERY_15_S),
)}


def dataset_of(table: Table) -> Dataset:
    """What a dataset is: the built-in applications' own words, or, for an application registered beside
    them, words made from its name in core/apps.py."""
    if table.key in DATASETS:
        return DATASETS[table.key]
    found = apps.find(table.application)
    name_id, name_en = (found.name_id, found.name_en) if found else (table.application, table.application)
    short = found.short if found else table.application
    return Dataset(table.key, Words(f"{name_id} per kabupaten/kota", f"{name_en} by regency/city"),
                   Words(f"Angka {name_id} per kabupaten/kota dan provinsi; jumlah di bawah 5 disamarkan.",
                         f"{name_en} figures per regency/city and the province; counts under 5 withheld."),
                   f"OPD pengelola {short}", Words("waktu nyata", "real time"))


def dataset_keys(data: PublicData) -> list[str]:
    """Every dataset, the built-in ones in their order first, then any other application's."""
    return [k for k in DATASETS if k in data.tables] + [k for k in data.tables if k not in DATASETS]


# ---- the table as rows ------------------------------------------------------------------------------


def header(table: Table) -> list[str]:
    cols = ["kode_wilayah", "nama_wilayah"]
    if table.dimension:
        cols += [table.dimension[0], table.dimension[1]]
    if table.period:
        cols += ["periode_mulai", "periode_akhir"]
    return cols + [c.key for c in table.columns]


def records(table: Table) -> list[list[str]]:
    """The table's rows as CSV cells: region code and name, the second dimension, the figures."""
    out = []
    for row in table.rows:
        cells = [row.region, row.region_name]
        if table.dimension:
            cells += [ALL_CODE, ALL_NAME] if row.key == ALL else [row.key, row.name]
        if table.period:
            cells += [table.period[0].isoformat(), table.period[1].isoformat()]
        out.append(cells + [row.csv(c) for c in table.columns])
    return out


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with a BOM, comma separated, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(table))
    writer.writerows(neutralised_rows(records(table)))  # a name typed by a source never runs as a formula
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    """The same table for Excel: numbers as numbers, "<5" and "*" as text."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    names = header(table)
    sheet.append(names)
    codes = len(names) - len(table.columns)  # region and dimension codes stay text ("36", not 36)
    for cells in records(table):
        sheet.append([neutralise(c) for c in cells[:codes]] + [neutralise(_excel_cell(c)) for c in cells[codes:]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _excel_cell(cell: str):
    try:
        return int(cell) if cell.lstrip("-").isdigit() and len(cell) < 16 else float(cell)
    except ValueError:
        return cell  # text, codes, "<5", "*", ISO dates


# ---- metadata -------------------------------------------------------------------------------------


def _wib_iso(t: datetime | None) -> str | None:
    return formatting.to_wib(t).isoformat(timespec="seconds") if t else None


def period(table: Table) -> dict | None:
    """The time the figures cover: the table's window, else the span of its dates or years."""
    if table.period:
        return {"mulai": table.period[0].isoformat(), "akhir": table.period[1].isoformat()}
    for key in ("tanggal", "tahun"):
        seen = sorted({str(r.values[key]) for r in table.rows if r.values.get(key)})
        if seen:
            return {"mulai": seen[0], "akhir": seen[-1]}
    return None


def _definition(application: str, key: str) -> dict:
    """A column's figure definition, as the screens give it on hover (dashboard/text/definitions.py)."""
    d = definitions.figure(application, key)
    return {"definisi": d.id, "definisi_en": d.en} if d else {}


def metadata(table: Table) -> dict:
    """The dataset's metadata, after Satu Data Indonesia's form (Perpres 39/2019)."""
    d = dataset_of(table)
    regions = sorted({r.region for r in table.rows if any(v is not None for v in r.values.values())})
    dims = [{"nama": "kode_wilayah", "judul": "Kode wilayah (BPS)", "tipe": "teks"},
            {"nama": "nama_wilayah", "judul": "Nama wilayah", "tipe": "teks"}]
    if table.dimension:
        dims += [{"nama": table.dimension[0], "judul": f"Kode {table.dimension[2].id.lower()}", "tipe": "teks"},
                 {"nama": table.dimension[1], "judul": table.dimension[2].id, "tipe": "teks"}]
    if table.period:
        dims += [{"nama": "periode_mulai", "judul": "Awal periode", "tipe": "tanggal"},
                 {"nama": "periode_akhir", "judul": "Akhir periode", "tipe": "tanggal"}]
    columns = dims + [{"nama": c.key, "judul": c.name.id, "judul_en": c.name.en,
                       "tipe": "bilangan" if c.kind in ("count", "number", "percent", "rupiah", "days") else
                       "tanggal" if c.kind == "date" else "teks",
                       "satuan": c.unit or None, "disamarkan_bila_kecil": bool(c.personal or c.follows),
                       **_definition(table.application, c.key)}
                      for c in table.columns]
    units = {c.key: c.unit for c in table.columns if c.unit}
    if any(c.key == "satuan" for c in table.columns):  # e-Statistik: each indicator carries its own unit
        units["nilai"] = ", ".join(sorted({str(r.values["satuan"]) for r in table.rows
                                           if r.values.get("satuan")}))
    return {
        "id": table.key,
        "judul": d.title.id,
        "judul_en": d.title.en,
        "deskripsi": d.description.id,
        "deskripsi_en": d.description.en,
        "aplikasi": table.application,
        "nama_aplikasi": application_name(table.application, "id"),
        "produsen_data": d.produsen,
        "walidata": WALIDATA,
        "satuan": units,
        "frekuensi": d.frequency.id,
        "frekuensi_en": d.frequency.en,
        "cakupan_wilayah": COVERAGE,
        "kode_wilayah_bps": [PROVINCE_CODE, *KABKOTA],
        "wilayah_berisi_data": regions,
        "periode": period(table),
        "tanggal_pembaruan": _wib_iso(table.updated),
        "kontak": CONTACT,
        "lisensi": LICENCE,
        "format": CSV_FORMAT,
        "kerahasiaan": SUPPRESSION_NOTE.id,
        "kerahasiaan_en": SUPPRESSION_NOTE.en,
        "kolom": columns,
        "jumlah_baris": len(table.rows),
        "unduh": {"csv": f"{PREFIX}{table.key}.csv", "xlsx": f"{PREFIX}{table.key}.xlsx",
                  "metadata": f"{PREFIX}{table.key}.json"},
    }


# ---- the listing for people ---------------------------------------------------------------------------


def listing_html(data: PublicData, lang: str) -> str:
    """The datasets with their metadata and links; every text escaped."""
    e = html.escape
    suffix = "?lang=en" if lang == "en" else ""
    other = ("?lang=en", "English") if lang != "en" else ("", "Bahasa Indonesia")
    items = []
    for key in dataset_keys(data):
        table = data.tables[key]
        d, meta = dataset_of(table), metadata(table)
        title, desc, freq = d.title(lang), d.description(lang), d.frequency(lang)
        updated = formatting.wib_datetime(table.updated, lang) if table.updated else formatting.DASH
        span = meta["periode"] or {}
        period_text = (span.get("mulai") if span.get("mulai") == span.get("akhir") else
                       f"{span['mulai']} – {span['akhir']}") if span else text("pub_od_latest", lang)
        facts = [(text("pub_od_producer", lang), d.produsen), (text("pub_od_frequency", lang), freq),
                 (text("pub_od_coverage", lang), COVERAGE), (text("pub_od_period", lang), period_text),
                 (text("pub_od_updated", lang), updated), (text("pub_od_units", lang),
                                                           ", ".join(sorted(set(meta["satuan"].values())))),
                 (text("pub_od_licence", lang), LICENCE["nama"]), (text("pub_od_contact", lang), CONTACT)]
        items.append(
            f'<li class="pub-dataset" id="dataset-{e(key)}"><h2>{e(title)}</h2><p>{e(desc)}</p>'
            f'<dl class="pub-facts">' + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts) + "</dl>"
            f'<p class="pub-links"><a class="pub-button" href="{PREFIX}{quote(key)}.csv">CSV</a> '
            f'<a class="pub-button" href="{PREFIX}{quote(key)}.xlsx">Excel</a> '
            f'<a href="{PREFIX}{quote(key)}.json">{e(text("pub_od_metadata", lang))}</a></p></li>')
    note = SUPPRESSION_NOTE(lang)
    return (
        f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(text('pub_od_title', lang))}</title>"
        f'<link rel="stylesheet" href="/assets/public/public.css"></head>'
        f'<body class="pub-body"><main class="pub-page pub-opendata" id="pub-opendata">'
        f'<header class="pub-header"><div class="pub-brand">'
        f'<div class="pub-kicker">{e(text("province", lang))}</div><h1>{e(text("pub_od_title", lang))}</h1></div>'
        f'<nav class="pub-nav"><a href="/publik{suffix}">{e(text("pub_title", lang))}</a> '
        f'<a href="{PREFIX}{other[0]}">{e(other[1])}</a></nav></header>'
        f'<p class="pub-intro">{e(text("pub_od_intro", lang))}</p>'
        f'<p class="pub-note">{e(note)}</p>'
        f'<p class="pub-note">{e(text("pub_od_format", lang))}</p>'
        f'<ul class="pub-datasets">{"".join(items)}</ul>'
        f'<p class="pub-foot"><a href="{PREFIX}{CATALOG}.json">{e(CATALOG)}.json</a> · '
        f'{e(text("pub_od_licence", lang))}: <a href="{e(LICENCE["url"])}">{e(LICENCE["nama"])}</a></p>'
        f"</main></body></html>")


# ---- the routes --------------------------------------------------------------------------------------


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def mount(server, pc) -> None:
    """The open data routes on the dashboard's FastAPI server (dashboard/auth/access.py: "/opendata/" is public).

    Plain `def` handlers: FastAPI runs them in its thread pool (the page Redis client is sync), with the
    request's context, so current_user() is the signed-in user there too."""

    def _read() -> PublicData:
        return read(pc.redis, pc.config)

    @server.get(PREFIX, include_in_schema=False)
    def opendata_listing(request: Request):
        lang = language_from_query(request.url.query, pc.config.site.language)
        return HTMLResponse(listing_html(_read(), lang), headers={"Cache-Control": "public, max-age=60"})

    @server.get(PREFIX + CATALOG + ".json", include_in_schema=False)
    def opendata_catalog():
        data = _read()
        return JSONResponse({"walidata": WALIDATA, "lisensi": LICENCE,
                             "dataset": [metadata(data.tables[k]) for k in dataset_keys(data)]})

    @server.get(PREFIX + "{name}.json", include_in_schema=False)
    def opendata_metadata(name: str):
        data = _read()
        if name not in data.tables:
            return unknown(data)
        return JSONResponse(metadata(data.tables[name]))

    def unknown(data: PublicData) -> JSONResponse:
        return JSONResponse({"error": "dataset tidak dikenal", "dataset": dataset_keys(data)}, status_code=404)

    def download(request: Request, name: str, kind: str) -> Response:
        data = _read()
        if name not in data.tables:
            return unknown(data)
        table = data.tables[name]
        if kind == "csv":
            body, media = csv_bytes(table), "text/csv; charset=utf-8"
        else:
            body, media = xlsx_bytes(table), XLSX
        day = formatting.to_wib(data.read_at).date().isoformat()
        audit.record(pc.redis, current_user().name, "export", target=f"{PREFIX}{name}.{kind}",
                     detail=f"{len(table.rows)} baris", ip=_client_ip(request))
        # no-store: every download reaches this handler (and the audit trail), none a shared cache.
        disposition = f'attachment; filename="{name}_{day}.{kind}"'
        return Response(body, media_type=media,
                        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})

    @server.get(PREFIX + "{name}.csv", include_in_schema=False)
    def opendata_csv(request: Request, name: str):
        return download(request, name, "csv")

    @server.get(PREFIX + "{name}.xlsx", include_in_schema=False)
    def opendata_xlsx(request: Request, name: str):
        return download(request, name, "xlsx")
