"""Source text becomes typed values only where the meaning is certain."""

from datetime import UTC, datetime

import pytest

from ingest.normalize import parse_boolean, parse_number, parse_time


@pytest.mark.parametrize("text,number", [
    ("13,300", 13300),        # PIHPS grid
    ("13.300,00", 13300),     # Indonesian with decimals
    ("1.250.000", 1250000),   # Indonesian thousands
    ("5,70", 5.7),            # Indonesian decimal comma
    ("Rp 13.500,50", 13500.5),
    ("1234.5", 1234.5),
    (667403, 667403),
])
def test_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["13.300", "-", "12abc", "", "1,2,3"])
def test_uncertain_or_wrong_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("text", ["2026-11-28T13:00:00+07:00", "2026-11-28 13:00:00", "28/11/2026 13:00",
                                  "28-11-2026 13:00:00"])
def test_three_date_formats_mean_the_same_wib_time(text):
    assert parse_time(text) == datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def test_epoch_milliseconds():
    assert parse_time(1_764_309_600_000) == datetime(2025, 11, 28, 6, 0, tzinfo=UTC)


def test_booleans():
    assert parse_boolean("aktif") is True and parse_boolean(0) is False
    with pytest.raises(ValueError):
        parse_boolean("mungkin")
