"""Figures and times the Indonesian way (and the English forms with ?lang=en)."""

from datetime import UTC, datetime

import pytest

from dashboard.text import formatting as f


@pytest.mark.parametrize("value, unit, shown", [
    (13_300, "rupiah", "Rp 13.300"),
    (13_312.5, "rupiah", "Rp 13.312"),
    (950_000, "rupiah", "Rp 950.000"),
    (12_500_000, "rupiah", "Rp 12,5 jt"),
    (845_300_000_000, "rupiah", "Rp 845,3 M"),
    (1_234_000_000_000, "rupiah", "Rp 1,23 T"),
    (5.7, "percent", "5,70 %"),
    (87.44, "percent", "87,4 %"),
    (100, "percent", "100,0 %"),
    (1234, "count", "1.234"),
    (1_234_567, "count", "1.234.567"),
    (0, "count", "0"),
    (3.14159, "number", "3,14"),
    (2500, "number", "2.500"),
    (None, "rupiah", "–"),
    (float("nan"), "percent", "–"),
])
def test_values_in_indonesian(value, unit, shown):
    assert f.value(value, unit) == shown


def test_english_forms():
    assert f.value(13_300, "rupiah", "en") == "Rp 13,300"
    assert f.value(1_234_000_000_000, "rupiah", "en") == "Rp 1.23 tn"
    assert f.value(5.7, "percent", "en") == "5.70 %"


def test_counts_with_their_word_and_negative_numbers():
    assert f.count(1234, word="KPM") == "1.234 KPM"
    assert f.number(-1234.5, 1) == "-1.234,5"
    assert f.number(-0.01, 1) == "0,0"
    assert f.rupiah(-5000) == "-Rp 5.000"


def test_times_in_wib():
    t = datetime(2026, 11, 28, 7, 2, 5, tzinfo=UTC)  # 14.02 WIB
    assert f.wib_time(t) == "14.02 WIB"
    assert f.wib_time(t, seconds=True, suffix=False) == "14.02.05"
    assert f.wib_time(t, "en") == "14:02 WIB"
    assert f.wib_datetime(t) == "28 Nov 2026 14.02 WIB"
    assert f.wib_date_long(t) == "Sabtu, 28 November 2026"
    assert f.wib_date_long(t, "en") == "Saturday, 28 November 2026"
    # The WIB date, not the UTC one, decides whether the day is shown.
    late = datetime(2026, 11, 28, 18, 30, tzinfo=UTC)  # 01.30 WIB on 29 Nov
    assert f.wib_when(late, late) == "01.30 WIB"
    assert f.wib_when(t, late) == "28 Nov 2026 14.02 WIB"
    assert f.wib_time(datetime(2026, 8, 17, 3, 0)) == "10.00 WIB"  # naive = UTC


@pytest.mark.parametrize("seconds, id_text, en_text", [
    (0, "baru saja", "just now"),
    (12, "12 dtk lalu", "12 s ago"),
    (185, "3 mnt lalu", "3 min ago"),
    (7300, "2 jam lalu", "2 h ago"),
    (3 * 86400 + 5, "3 hari lalu", "3 d ago"),
])
def test_ages(seconds, id_text, en_text):
    assert f.age(seconds) == id_text
    assert f.age(seconds, "en") == en_text
