"""Rows become validated, masked envelopes or are rejected with a reason."""

from datetime import UTC, datetime

import pytest

from core.config import FeedConfig
from ingest.records import RecordBuilder, Rejected

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)

feed = FeedConfig(kind="webhook", application="e-pormas", source_id="{tracking_id}-{status}", region="city_id",
                  event_time="updated_at", fields={"tracking_id": "text", "status": "text"}, tokens=["x" * 12],
                  drop_fields=["internal_note"])
builder = RecordBuilder("lapor_banten", feed)

GOOD = {"tracking_id": "LPR-2026-000123", "status": "diterima", "city_id": "36.73", "updated_at": "2026-11-28 13:55",
        "nik": "3673012345670001", "nama_pelapor": "Ahmad Fauzi", "isi": "<script>alert(1)</script>",
        "internal_note": "x"}


def test_a_good_row_becomes_an_envelope():
    record = builder.build(GOOD, NOW)
    assert record.source_id == "LPR-2026-000123-diterima"
    assert record.region == "3673"
    assert record.event_time == datetime(2026, 11, 28, 6, 55, tzinfo=UTC)
    assert record.ingest_time == NOW and record.application == "e-pormas"
    assert record.payload["nik"] == "3673********0001" and record.payload["nama_pelapor"] == "A*** F***"
    assert record.payload["isi"] == "<script>alert(1)</script>"  # text is kept; screens render it as text
    assert "internal_note" not in record.payload


@pytest.mark.parametrize("change,reason", [
    ({"status": None}, "field 'status': missing"),
    ({"city_id": "3699"}, "unknown region code '3699'"),
    ({"updated_at": "kemarin"}, "'kemarin' is not a date/time"),
    ({"tracking_id": ""}, "field 'tracking_id': missing"),
])
def test_bad_rows_are_rejected_with_a_reason(change, reason):
    with pytest.raises(Rejected, match=reason):
        builder.build({**GOOD, **change}, NOW)


def test_a_row_that_is_not_an_object():
    with pytest.raises(Rejected, match="not an object but list"):
        builder.build([1, 2], NOW)


def test_typed_fields_are_normalised():
    prices = FeedConfig(kind="http_json", application="e-disikap", source_id="city_id", region="city_id",
                        fields={"rata_rata_geometrik": "number"}, url="http://x")
    record = RecordBuilder("panel_harga", prices).build({"city_id": "3673", "rata_rata_geometrik": "13,300"}, NOW)
    assert record.payload["rata_rata_geometrik"] == 13300 and record.event_time == NOW


def test_a_camera_listing_never_stores_an_address_or_a_password():
    """Whatever a camera feed's drop_fields name, the listing's stream and credential fields are dropped."""
    cameras = FeedConfig(kind="http_json", application="e-cctv", source_id="id", region="kode_kab",
                         fields={"id": "text"}, drop_fields=["stream_url"], url="http://127.0.0.1:1/api/cctv")
    item = {"id": "cam-1", "kode_kab": "3673", "nama_lokasi": "Alun-alun", "stream_url": "rtsp://u:p@10.0.0.5/1",
            "rtsp_url": "rtsp://10.0.0.5/1", "whep_url": "http://10.0.0.5/whep", "substream_url": "rtsp://10.0.0.5/2",
            "username": "admin", "password": "rahasia"}
    record = RecordBuilder("cctv_daftar", cameras).build(item, NOW)
    assert record.payload == {"id": "cam-1", "kode_kab": "3673", "nama_lokasi": "Alun-alun"}
