"""Number formats a feed declares, and dates written with month names, read only where certain."""

from datetime import UTC, datetime

import pytest

from core.config import parse_config
from ingest.normalize import parse_number, parse_time
from ingest.records import RecordBuilder, Rejected


@pytest.mark.parametrize("text,number", [("13.300", 13300), ("13.300,00", 13300), ("5,70", 5.7),
                                         ("Rp 1.250.000", 1250000), ("13300", 13300), (13300, 13300)])
def test_a_source_that_writes_indonesian_numbers(text, number):
    assert parse_number(text, "id") == number


@pytest.mark.parametrize("text", ["1.5", "13.3OO", "1,234.50"])
def test_indonesian_format_still_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_number(text, "id")


@pytest.mark.parametrize("text", ["28 November 2026 13:00", "28-Nov-2026 13:00", "28 Nopember 2026 13.00 WIB"])
def test_dates_with_month_names_are_wib(text):
    assert parse_time(text) == datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def test_31_february_is_not_a_date():
    with pytest.raises(ValueError):
        parse_time("31 Februari 2026")


def test_the_feed_option_decides_how_13_300_is_read():
    def feed(**extra):
        config = parse_config({"feeds": {"f": {"kind": "csv", "application": "e-disikap", "path": "x.csv",
                                               "source_id": "id", "fields": {"harga": "number"}, **extra}}})
        return RecordBuilder("f", config.feeds["f"])

    now = datetime(2026, 11, 28, tzinfo=UTC)
    with pytest.raises(Rejected, match="ambiguous"):
        feed().build({"id": "1", "harga": "13.300"}, now)
    assert feed(number_format="id").build({"id": "1", "harga": "13.300"}, now).payload["harga"] == 13300
