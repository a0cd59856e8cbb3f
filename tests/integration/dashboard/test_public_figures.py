"""The public figures (dashboard/public/figures.py) from real Redis, after the real figures processor.

Complaint handling and disbursement tables with their expected figures worked out by hand (see
tests/support/public_seed.py), read as the public reads them: "<5" for small counts, "*" for what
would give one back, Indonesian numbers for the rest.
"""

from __future__ import annotations

from core.clock import WIB, utc_now
from dashboard.public.figures import ALL, read
from tests.support.app_seed import seed
from tests.support.figures_helpers import CONFIG
from tests.support.public_seed import DAY, disbursement, handling_scenario, seed_records

KABKOTA_BUT = ("3601", "3602", "3603", "3604", "3671", "3674")


def shown(table, region: str, key: str = ALL, lang: str = "id") -> dict[str, str]:
    row = table.row(region, key)
    return {c.key: row.text(c, lang) for c in table.columns}


def test_complaint_handling_by_kabkota(redis_url, r):
    now = utc_now()
    seed_records(redis_url, handling_scenario(now), now)
    data = read(r, CONFIG, now)
    complaints = data.tables["pengaduan-masyarakat"]

    # Kota Serang: 8 received in 7 days (6 of the resolved + 2 open), 10 resolved, 5 of them within
    # 5 days: 50 %, median of 1..10 days 5.5; its 8 received are withheld ("*") to protect Cilegon's 3.
    serang = shown(complaints, "3673")
    assert serang == {"diterima": "*", "selesai": "10", "selesai_tepat_waktu": "5",
                      "tepat_waktu_pct": "50,0 %", "median_hari": "5,5 hari", "terbuka": "<5",
                      "lewat_batas": "<5"}
    assert shown(complaints, "3673", lang="en")["median_hari"] == "5.5 days"
    cilegon = shown(complaints, "3672")
    assert cilegon["diterima"] == cilegon["selesai"] == cilegon["terbuka"] == "<5"
    assert cilegon["tepat_waktu_pct"] == cilegon["median_hari"] == "*"  # no share of a small count

    province = shown(complaints, "36")
    assert province["diterima"] == "77" and province["selesai"] == "40" and province["terbuka"] == "41"
    others = [shown(complaints, code) for code in KABKOTA_BUT]
    assert [o["diterima"] for o in others] == ["11"] * 6
    # The province minus what is shown never gives Cilegon back: with Cilegon's 3 goes Kota Serang's 8.
    visible = [int(o["diterima"]) for o in others]
    assert 77 - sum(visible) == 3 + 8
    # Resolved: Cilegon has none (a count under 5 too); one 5 elsewhere is withheld with it.
    assert sorted(o["selesai"] for o in others) == ["*"] + ["5"] * 5

    # By category (province level): Cilegon's 3 Kependudukan complaints are small, and the only
    # other category is withheld so the province's 41 open cannot be subtracted down to them.
    categories = data.tables["pengaduan-per-kategori"]
    assert shown(categories, "36", "Kependudukan")["terbuka"] == "<5"
    assert shown(categories, "36", "Infrastruktur")["terbuka"] == "*"
    assert complaints.period == ((now - 7 * DAY).astimezone(WIB).date(), now.astimezone(WIB).date())


def test_disbursement_table_protects_a_small_programme_both_ways(redis_url, r):
    now = utc_now()
    when = now - DAY
    records = [disbursement("3601", "PKH", 1000, 800, 600_000_000.0, when),
               disbursement("3601", "BPNT", 3, 3, 1_800_000.0, when),
               disbursement("3602", "PKH", 500, 400, 300_000_000.0, when),
               disbursement("3602", "BPNT", 900, 900, 540_000_000.0, when),
               disbursement("3603", "PKH", 700, 650, 480_000_000.0, when),
               disbursement("3603", "BPNT", 800, 600, 360_000_000.0, when)]
    seed_records(redis_url, records, now)
    table = read(r, CONFIG, now).tables["penyaluran-bansos"]

    small = shown(table, "3601", "BPNT")
    assert small["target_kpm"] == small["kpm_tersalur"] == "<5"
    assert small["progres_pct"] == small["nominal"] == "*"  # the amount paid would give the households back

    def number(region, key, col):
        text = shown(table, region, key)[col]
        return None if text in ("<5", "*") else int(text.replace(".", ""))

    for col in ("target_kpm", "kpm_tersalur"):
        # Row: Pandeglang's total minus its PKH; column: the province's BPNT minus the other kab/kota.
        row_total, pkh = number("3601", ALL, col), number("3601", "PKH", col)
        assert row_total is None or pkh is None
        bpnt = [number(k, "BPNT", col) for k in ("36", "3602", "3603")]
        assert None in bpnt
    # What stays shown reads the Indonesian way.
    assert shown(table, "36")["target_kpm"] == "3.903"
    assert shown(table, "3603", "PKH") == {"tahap": "2", "target_kpm": "700", "kpm_tersalur": "650",
                                           "progres_pct": "92,9 %", "nominal": "Rp 480,0 jt"}


def test_beds_and_the_rest_from_the_saved_payloads(redis_url, r):
    seed(redis_url)
    data = read(r, CONFIG)
    beds = shown(data.tables["tempat-tidur-rumah-sakit"], "3673")
    # 4 of 5 beds occupied in Kota Serang: the 4 is withheld, and so are the free beds and the share.
    assert beds == {"rumah_sakit": "1", "tempat_tidur": "5", "terisi": "<5", "kosong": "*",
                    "keterisian_pct": "*"}
    prices = data.tables["harga-pangan"]
    assert shown(prices, "3671", "cabai_rawit_merah") == {
        "tanggal": "28/11/2026", "harga": "Rp 64.250", "harga_acuan": "Rp 57.000",
        "selisih_acuan_pct": "12,7 %", "status": "di atas acuan", "perubahan_pct": "–"}
    assert shown(prices, "3671", "cabai_rawit_merah", "en")["status"] == "above reference"
    assert shown(data.tables["kamera-cctv"], "36") == {"kamera": "2", "aktif": "2", "tidak_aktif": "0",
                                                      "aktif_pct": "100,0 %"}
    assert shown(data.tables["indikator-statistik"], "36", "kemiskinan")["nilai"] == "5,70"
    lpse = shown(data.tables["pengadaan-tender"], "3602")
    assert lpse["hps"] == "Rp 5,2 M" and lpse["efisiensi_pct"] == "2,50 %"
