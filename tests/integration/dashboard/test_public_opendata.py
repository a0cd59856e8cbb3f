"""Open data over real HTTP, anonymous: the listing, each CSV (UTF-8 BOM, comma, ISO dates, dot decimals),
the Excel copy, the Satu Data Indonesia metadata, and every download in the audit trail."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request

import pytest

from core.clock import utc_now
from core.streams import AUDIT
from dashboard.app import create_app
from dashboard.public.opendata import DATASETS
from tests.support.app import serve
from tests.support.app_seed import seed
from tests.support.public_seed import handling_scenario, seed_records

REGIONS = ("36", "3601", "3602", "3603", "3604", "3671", "3672", "3673", "3674")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def fetch(url: str, accept: str = "*/*") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture
def site(config, redis_url):
    now = utc_now()
    seed(redis_url, now)
    seed_records(redis_url, handling_scenario(now), now)
    with serve(create_app(config, redis_url)) as base:
        yield base


def rows_of(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_every_dataset_downloads_as_csv_for_machines(site, r):
    for key in DATASETS:
        status, headers, body = fetch(f"{site}/opendata/{key}.csv")
        assert status == 200, key
        assert headers["content-type"].startswith("text/csv") and "charset=utf-8" in headers["content-type"]
        assert f'filename="{key}_' in headers["content-disposition"]
        assert body.startswith(b"\xef\xbb\xbfkode_wilayah,nama_wilayah"), key  # BOM, then the header
        assert b"\r\n" in body and b";" not in body.split(b"\r\n")[0]
        rows = rows_of(body)
        assert rows and {row["kode_wilayah"] for row in rows} <= set(REGIONS)
        meta = json.loads(fetch(f"{site}/opendata/{key}.json")[2])
        numeric = [c["nama"] for c in meta["kolom"] if c["tipe"] == "bilangan"]
        for row in rows:
            for name in numeric:  # plain numbers with a dot, or a suppression mark, or nothing
                assert row[name] in ("", "<5", "*") or NUMBER.match(row[name]), (key, name, row[name])
            for name in (c["nama"] for c in meta["kolom"] if c["tipe"] == "tanggal"):
                assert row[name] == "" or ISO_DAY.match(row[name]), (key, name, row[name])
    bansos = {(r["kode_wilayah"], r["program"]): r
              for r in rows_of(fetch(f"{site}/opendata/penyaluran-bansos.csv")[2])}
    pkh = bansos[("3601", "PKH")]
    assert (pkh["target_kpm"], pkh["progres_pct"], pkh["nominal"]) == ("46200", "45.5", "14962500000")
    assert bansos[("36", "semua")]["nama_program"] == "Semua program"
    complaints = {r["kode_wilayah"]: r
                  for r in rows_of(fetch(f"{site}/opendata/pengaduan-masyarakat.csv")[2])}
    # Cilegon's 3 are "<5", and one more kab/kota is withheld with them so the province's total
    # (shown as a plain number) minus the others does not give them back.
    received = [complaints[k]["diterima"] for k in complaints if k != "36"]
    assert complaints["3672"]["diterima"] == "<5" and received.count("*") == 1
    assert NUMBER.match(complaints["36"]["diterima"]) and ISO_DAY.match(complaints["36"]["periode_mulai"])
    assert complaints["3673"]["tepat_waktu_pct"] == "50" and complaints["3673"]["median_hari"] == "5.5"
    beds = {r["kode_wilayah"]: r for r in rows_of(fetch(f"{site}/opendata/tempat-tidur-rumah-sakit.csv")[2])}
    serang = beds["3673"]
    assert (serang["terisi"], serang["kosong"], serang["keterisian_pct"]) == ("<5", "*", "*")


def test_metadata_after_satu_data_indonesia(site):
    status, headers, body = fetch(f"{site}/opendata/pengaduan-masyarakat.json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    meta = json.loads(body)
    for field in ("judul", "produsen_data", "deskripsi", "satuan", "frekuensi", "cakupan_wilayah", "periode",
                  "tanggal_pembaruan", "kontak", "lisensi", "kode_wilayah_bps", "walidata", "kolom"):
        assert meta.get(field), field
    assert meta["lisensi"]["nama"] == "CC BY 4.0"
    assert meta["kode_wilayah_bps"] == list(REGIONS)
    assert meta["satuan"]["diterima"] == "pengaduan" and meta["tanggal_pembaruan"].endswith("+07:00")
    assert "<5" in meta["kerahasiaan"]
    assert ISO_DAY.match(meta["periode"]["mulai"]) and ISO_DAY.match(meta["periode"]["akhir"])
    catalog = json.loads(fetch(f"{site}/opendata/katalog.json")[2])
    # Every dataset the catalog lists can be fetched, as CSV and as its metadata (a harvester follows the list).
    listed = [d["id"] for d in catalog["dataset"]]
    assert {"pengaduan-masyarakat", "penyaluran-bansos", "tempat-tidur-rumah-sakit"} <= set(listed)
    for key in listed:
        assert fetch(f"{site}/opendata/{key}.csv")[0] == 200, key
        assert json.loads(fetch(f"{site}/opendata/{key}.json")[2])["judul"], key
    assert fetch(f"{site}/opendata/tidak-ada.csv")[0] == 404
    assert fetch(f"{site}/opendata/tidak-ada.json")[0] == 404


def test_listing_page_names_each_dataset_with_its_links(site):
    status, headers, body = fetch(f"{site}/opendata/", accept="text/html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode()
    for key, d in DATASETS.items():
        assert d.title("id") in page
        assert f'href="/opendata/{key}.csv"' in page and f'href="/opendata/{key}.json"' in page
    assert "Produsen data" in page and "CC BY 4.0" in page and 'lang="id"' in page
    english = fetch(f"{site}/opendata/?lang=en", accept="text/html")[2].decode()
    assert DATASETS["harga-pangan"].title("en") in english and "Data producer" in english


def test_excel_copy_keeps_numbers_as_numbers(site):
    import openpyxl

    status, headers, body = fetch(f"{site}/opendata/penyaluran-bansos.xlsx")
    assert status == 200 and "spreadsheetml" in headers["content-type"]
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.values)
    head = rows[0]
    pkh = next(r for r in rows if r[0] == "3601" and r[2] == "PKH")
    assert pkh[head.index("target_kpm")] == 46200 and pkh[head.index("progres_pct")] == 45.5


def test_each_download_is_audited(site, r):
    fetch(f"{site}/opendata/harga-pangan.csv")
    fetch(f"{site}/opendata/kamera-cctv.xlsx")
    fetch(f"{site}/opendata/harga-pangan.json")  # metadata is not a download of the data
    exports = [fields for _, fields in r.xrange(AUDIT) if fields["action"] == "export"]
    assert [(e["who"], e["target"], e["outcome"]) for e in exports] == [
        ("-", "/opendata/harga-pangan.csv", "ok"), ("-", "/opendata/kamera-cctv.xlsx", "ok")]
    assert exports[0]["ip"] == "127.0.0.1" and exports[0]["detail"].endswith("baris")
