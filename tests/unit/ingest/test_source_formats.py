"""Each real-source kind parses its saved payloads (in the sources' real shapes), malformed ones included."""

from __future__ import annotations

import io
import json
from datetime import datetime

import openpyxl
import pytest

from core.config import parse_config
from ingest.feeds.bansos import parse_disbursements
from ingest.feeds.bapanas import parse_panel
from ingest.feeds.bps import parse_webapi
from ingest.feeds.cctv_listing import parse_listing
from ingest.feeds.excel import sheet_rows
from ingest.feeds.lapor import newest_change
from ingest.feeds.parsing import Answer
from ingest.feeds.pihps import PihpsFeed, parse_grid_answers
from ingest.feeds.spse import parse_spse
from ingest.feeds.yankes import parse_beds
from ingest.records import Malformed
from tests.support.paths import PAYLOADS


def payload(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def good(rows):
    return [r for r in rows if not isinstance(r, Malformed)]


def bad(rows):
    return [r for r in rows if isinstance(r, Malformed)]


def test_pihps_grid_is_unpivoted_per_commodity_day_and_regency():
    rows = parse_grid_answers([Answer("PIHPS regency_id=3673", payload("pihps_grid.json"), {"regency_id": "3673"})])
    prices = {(r["commodity_key"], r["tanggal"]): r["harga"] for r in good(rows)}
    # "-" is no price (skipped); "13,300" and "13.300,00" are both 13300.
    assert prices == {("beras_medium_i", "2026-11-24"): 13300, ("beras_medium_i", "2026-11-25"): 13350,
                      ("beras_medium_i", "2026-11-27"): 13300, ("telur_ayam_ras_segar", "2026-11-27"): 30300}
    assert {r["kode_wilayah"] for r in good(rows)} == {"3673"}
    # One unreadable price refuses that commodity's row, with the reason and where it came from.
    [refused] = bad(rows)
    assert "regency_id=3673" in refused.reason and "'13.3OO' is not a number" in refused.reason


def test_pihps_one_broken_regency_does_not_lose_the_others():
    answers = [Answer("PIHPS regency_id=3673", payload("pihps_grid.json"), {"regency_id": "3673"}),
               Answer("PIHPS regency_id=3671", payload("gateway_error.html"), {"regency_id": "3671"})]
    rows = parse_grid_answers(answers)
    assert len(good(rows)) == 4
    assert any("regency_id=3671" in m.reason and "HTML page" in m.reason for m in bad(rows))
    with pytest.raises(ValueError, match="truncated JSON"):
        parse_grid_answers([Answer("PIHPS province", payload("truncated.json"))])


def test_pihps_asks_one_question_per_regency():
    config = parse_config({"feeds": {"p": {"kind": "pihps", "application": "e-disikap", "source_id": "x",
                                           "url": "http://x/pihps/grid", "regencies": ["3673", "36.71"],
                                           "comcat_id": ["com_3", "com_16"], "days": 3}}})
    feed = PihpsFeed("p", config.feeds["p"], intake=None)
    questions = feed.questions(datetime(2026, 11, 28).date())
    assert [q["regency_id"] for q in questions] == ["3673", "3671"]
    assert questions[0]["start_date"] == "2026-11-26" and questions[0]["comcat_id"] == "com_3,com_16"


def test_bapanas_panel_numbers_and_status():
    rows = parse_panel(payload("bapanas_panel.json"))
    ok = good(rows)
    assert [(r["city_id"], r["rata_rata_geometrik"], r["hpp_hap"], r["status"]) for r in ok] == [
        ("3673", 13300, 13500, "aman"), ("3671", 64250, 57000, "intervensi")]
    assert ok[1]["hpp_hap_percentage"] == 12.72
    [refused] = bad(rows)  # the "-" row is skipped, the unknown status refused
    assert "status 'bahaya'" in refused.reason


def test_spse_tender_hasil_and_jadwal_rows():
    answers = [Answer("SPSE tender", payload("spse_tender.json")),
               Answer("SPSE jadwal 10160021", payload("spse_jadwal.json"), {"kd_tender": "10160021"}),
               Answer("SPSE jadwal 10160400", b"<html><body>502 Bad Gateway</body></html>", {"kd_tender": "10160400"})]
    rows = parse_spse(answers)
    kinds = [(r["record_type"], r["kd_tender"]) for r in good(rows)]
    assert kinds == [("tender", "10153569"), ("hasil", "10153569"), ("tender", "10160021"),
                     ("jadwal", "10160021"), ("jadwal", "10160021")]
    tender, hasil, open_tender, first_stage, evaluation = good(rows)
    assert (hasil["nilai_kontrak"], hasil["selisih"], hasil["nama_penyedia"]) == (
        5021000000, 129000000, "PT Karya Bangun Persada")
    assert tender["kode_wilayah"] == "3602"  # "Kabupaten Lebak"
    assert (open_tender["hps"], open_tender["pagu"]) == (1180000000, 1250000000)
    assert open_tender["tgl_update"] == "2026-11-27T15:30:00+07:00"
    assert evaluation["tgl_awal"] == "2026-11-25T08:00:00+07:00" and evaluation["tgl_akhir"].startswith("2026-12-02")
    assert first_stage["tgl_update"] == open_tender["tgl_update"]
    assert len({r["record_key"] for r in good(rows)}) == 5
    reasons = [m.reason for m in bad(rows)]
    assert any("'sembilan ratus juta' is not a number" in r for r in reasons)
    assert any("MASA_SANGGAH ends" in r for r in reasons)
    assert any("SPSE jadwal 10160400" in r and "HTML" in r for r in reasons)
    with pytest.raises(ValueError, match="truncated JSON"):
        parse_spse([Answer("SPSE tender", payload("truncated.json"))])


def test_bps_datacontent_keys_are_decoded():
    rows = parse_webapi(json.loads(payload("bps_webapi.json")), {519: "kemiskinan"})
    decoded = {(r["kode_wilayah"], r["tahun"], r["periode"]): r["nilai"] for r in good(rows)}
    assert decoded == {("3601", 2024, "September"): 9.03, ("3674", 2024, "September"): 2.39,
                       ("36", 2024, "September"): 5.70, ("3601", 2023, "Maret"): 9.21,
                       ("3699", 2024, "September"): 4.0}
    first = good(rows)[0]
    assert (first["indikator"], first["var_id"], first["satuan"], first["nama_wilayah"]) == (
        "kemiskinan", 519, "Persen", "Pandeglang")
    # A key no listed combination makes ("2025" is not among the years) is refused, not guessed.
    [refused] = bad(rows)
    assert "'360151901252' matches no vervar+var+turvar+tahun+turtahun" in refused.reason


def test_bps_unavailable_and_broken_answers():
    assert "not available" in parse_webapi({"status": "OK", "data-availability": "list-not-available"})[0].reason
    with pytest.raises(ValueError, match="status"):
        parse_webapi({"status": "Error", "message": "key invalid"})


def test_yankes_nested_and_flat_shapes():
    rows = parse_beds(payload("yankes_nested.json"))
    wards = {(r["kode_rs"], r["kode_ruang"]): (r["kelas_rawat"], r["kapasitas"], r["terisi"]) for r in good(rows)}
    # A bed being cleaned counts as neither free nor occupied.
    assert wards == {("3673011", "R01"): ("Kelas 3", 3, 2), ("3673011", "R02"): ("ICU", 2, 2)}
    assert good(rows)[0]["updated_at"] == "2026-11-28T09:05:00+07:00" and good(rows)[0]["kode_kab"] == "3673"
    reasons = [m.reason for m in bad(rows)]
    assert any("unknown status 'hilang'" in r for r in reasons)
    assert any("terisi 25 does not fit kapasitas 20" in r for r in reasons)


def test_bansos_status_trail_and_programmes():
    rows = parse_disbursements(payload("bansos_penyaluran.json"), number_format="id")
    ok = good(rows)
    assert [(r["program"], r["status"], r["status_urutan"], r["target_kpm"]) for r in ok[:2]] == [
        ("PKH", "SP2D", 1, 46200), ("BPNT", "Sudah Tersalur", 2, 83500)]
    assert ok[0]["nominal"] == 14962500000
    assert ok[2]["kode_kab"] == "3699"  # kept: validation names the unknown region in the dead letter
    [refused] = bad(rows)
    assert "'Dibatalkan' is not on the trail SPM -> SP2D -> Sudah Tersalur" in refused.reason


def test_an_ambiguous_number_is_refused_unless_the_feed_says_the_source_writes_indonesian():
    rows = parse_disbursements(payload("bansos_penyaluran.json"))
    assert any("'83.500' is ambiguous" in m.reason for m in bad(rows))
    assert "BPNT" not in [r["program"] for r in good(rows) if r["kode_kab"] == "36.02"]


def test_cctv_listing_never_keeps_stream_addresses():
    rows = parse_listing(payload("cctv_listing.json"))
    ok = good(rows)
    assert [(r["id"], r["latitude"], r["is_active"]) for r in ok] == [
        ("cctv-3673-001", -6.1325, True), ("cctv-3671-001", -6.2076, True)]
    assert all("stream_url" not in r for r in ok)
    [refused] = bad(rows)  # a latitude without its minus sign lies outside Banten
    assert "outside Banten" in refused.reason and "rtsp://" not in refused.raw and "PoldaBtn" not in refused.raw


def test_lapor_watermark_is_the_newest_readable_change(payload_day):
    rows = [{"updated_at": "2026-11-28T09:00:00+07:00"}, {"updated_at": "28/11/2026 10:15"},
            {"updated_at": "kemarin"}, {"updated_at": "2099-01-01T00:00:00+07:00"}, Malformed("x", "")]
    assert newest_change(rows) == "28/11/2026 10:15"  # the far-future one is a source mistake


def xlsx(rows, title_rows=0) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["Laporan Harga Pasar - Disperindag"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_rows_under_a_title_block_keep_their_row_numbers():
    raw = xlsx([["pasar", "harga", "tanggal"], ["Pasar Rau", 13300, datetime(2026, 11, 28)], [None, None, None],
                ["Pasar Kranggot", "13.3OO", "28/11/2026"]], title_rows=2)
    assert sheet_rows(raw, 0, header_row=3) == [
        (4, {"pasar": "Pasar Rau", "harga": 13300, "tanggal": "2026-11-28T00:00:00"}),
        (6, {"pasar": "Pasar Kranggot", "harga": "13.3OO", "tanggal": "28/11/2026"})]


@pytest.mark.parametrize("raw,reason", [
    (b"<!DOCTYPE html><html><body>Maintenance</body></html>", "HTML page"),
    (b"\xd0\xcf\x11\xe0old", "old .xls"),
    (b"PK\x03\x04broken", "unreadable .xlsx"),
    (b"a,b\n1,2\n", "not an .xlsx"),
])
def test_excel_that_is_not_a_workbook_is_named(raw, reason):
    with pytest.raises(ValueError, match=reason):
        sheet_rows(raw)
