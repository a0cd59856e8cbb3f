"""Each feed kind's parsing, on payloads saved in the sources' real shapes, malformed ones included."""


import pytest

from ingest.feeds.csv import parse_csv
from ingest.feeds.http_json import parse_json, records_at
from ingest.records import Malformed
from tests.support.paths import PAYLOADS


def test_panel_harga_rows_at_their_path():
    rows = records_at(parse_json((PAYLOADS / "panel_harga.json").read_bytes()), "data")
    assert [r["city_id"] for r in rows] == ["3673", "3671", "3699", "3601"]


def test_a_top_level_list_and_a_single_object():
    assert records_at(parse_json(b'[{"kd_tender": "1"}]'), "") == [{"kd_tender": "1"}]
    assert records_at(parse_json(b'{"kd_tender": "1"}'), "") == [{"kd_tender": "1"}]


def test_an_html_error_page_is_named_as_such():
    with pytest.raises(ValueError, match="HTML page, not JSON"):
        parse_json((PAYLOADS / "gateway_error.html").read_bytes())


def test_truncated_json_is_named_as_such():
    with pytest.raises(ValueError, match="truncated JSON"):
        parse_json((PAYLOADS / "truncated.json").read_bytes())


def test_a_missing_records_path():
    with pytest.raises(ValueError, match="no 'data' in the answer"):
        records_at({"result": []}, "data")


def test_csv_in_windows_encoding_with_a_bad_row():
    rows = parse_csv((PAYLOADS / "indikator_cp1252.csv").read_bytes())
    assert rows[0] == {"kode_wilayah": "3600", "nama_wilayah": "Provinsi Banten", "indikator": "kemiskinan",
                       "tahun": "2024", "periode": "September", "nilai": "5,70", "satuan": "persen"}
    assert isinstance(rows[2], Malformed) and "8 columns, header has 7" in rows[2].reason
    assert rows[3]["nilai"] == "é"  # decoded, then refused by validation as not a number


def test_csv_header_problems():
    with pytest.raises(ValueError, match="repeated"):
        parse_csv(b"a,a\n1,2\n")
