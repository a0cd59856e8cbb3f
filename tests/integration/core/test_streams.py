"""The record envelope survives a round trip through Redis unchanged."""

from datetime import UTC, datetime

import pytest

from core.config import Retention
from core.streams import KpiValue, Record, entry_time, feed_stream, trim_args


def test_feed_stream_key():
    assert feed_stream("pihps_serang") == "cc:feed:pihps_serang"


def test_record_round_trip_through_redis(r):
    record = Record(feed_id="panel_harga", application="e-disikap", source_id="3673-beras-2026-11-28",
                    event_time=datetime(2026, 11, 28, 6, 0, tzinfo=UTC),
                    ingest_time=datetime(2026, 11, 28, 6, 0, 1, 250000, tzinfo=UTC),
                    payload={"harga": 13300, "nama": "Beras Medium I", "pasar": "Pasar Rau"}, region="3673")
    entry_id = r.xadd(feed_stream("panel_harga"), record.encode())
    [(got_id, fields)] = r.xrange(feed_stream("panel_harga"))
    assert got_id == entry_id
    assert Record.decode(fields) == record
    seconds, micros = r.time()  # an entry's id holds the Redis server's own time
    server_now = datetime.fromtimestamp(seconds + micros / 1e6, UTC)
    assert abs((entry_time(entry_id) - server_now).total_seconds()) < 5


def test_a_newer_schema_is_refused():
    moment = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
    fields = Record("f", "e-lpse", "1", moment, moment, {}).encode()
    fields["v"] = "99"
    with pytest.raises(ValueError, match="newer"):
        Record.decode(fields)


def test_retention_by_count_and_by_age():
    assert trim_args(Retention(maxlen=1000)) == {"maxlen": 1000, "approximate": True}
    assert trim_args(Retention(max_age=60), now=1000.0) == {"minid": "940000-0", "approximate": True}


def test_kpi_value_round_trip():
    value = KpiValue("harga_beras", 13312.5, datetime(2026, 11, 28, tzinfo=UTC), {"3673": 13300.0}, 8)
    assert KpiValue.decode("harga_beras", {k.encode(): v.encode() for k, v in value.encode().items()}) == value
