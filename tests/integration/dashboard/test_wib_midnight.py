"""Dates people care about: "today" and "yesterday" are WIB days, at midnight and at a month's end.

At 23:59 and 00:01 WIB the UTC date is still the previous one (WIB is UTC+7). A figure written at
00:01 WIB belongs to the new day, and the governor's "dari kemarin" compares it with the value the
day ended on, at a month's end, at a year's end and on a leap day alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core import clock
from core.clock import WIB
from core.redis import connect_async
from core.streams import Record
from dashboard.figures import province_summary as ps
from ingest.derive.figures_processor import FiguresProcessor
from tests.support.figures_helpers import CONFIG, catch_up, store, trend_of

LAST_MINUTES = [
    datetime(2027, 1, 31, 23, 59, tzinfo=WIB),   # a month's end
    datetime(2026, 12, 31, 23, 59, tzinfo=WIB),  # a year's end
    datetime(2028, 2, 28, 23, 59, tzinfo=WIB),   # the eve of a leap day
]


def ward(source_id: str, filled: int) -> Record:
    """One ward of ten beds at RSUD Banten, `filled` of them taken, reported now."""
    now = clock.utc_now()
    return Record("yankes_ruang", "e-yankes", source_id, now, now,
                  {"kode_rs": "3673011", "kode_ruang": "R01", "kapasitas": 10, "terisi": filled}, "3673")


@pytest.mark.parametrize("last_minute", LAST_MINUTES, ids=lambda d: d.date().isoformat())
async def test_a_figure_at_0001_wib_is_todays_and_compares_with_the_day_before(redis_url, r, last_minute):
    client = connect_async(redis_url, decode_responses=True)
    with clock.frozen(last_minute) as advance:
        await store(client, [ward("1", 5)])
        processor = await catch_up(client, FiguresProcessor(CONFIG, client), clock.utc_now())
        before = ps.app_figure(ps.read(r), "e-yankes", clock.wib_today())
        assert before.value_text("id") == "50,0 %"

        advance(timedelta(minutes=2))
        new_day = last_minute.date() + timedelta(days=1)
        assert clock.wib_today() == new_day
        assert clock.utc_now().date() == last_minute.date()  # UTC has not turned the page yet
        await store(client, [ward("2", 8)])
        await catch_up(client, processor, clock.utc_now(), started=True)

        trend = await trend_of(client, "e-yankes", "36")
        assert trend["keterisian_pct"] == {last_minute.date().isoformat(): 50.0, new_day.isoformat(): 80.0}
        after = ps.app_figure(ps.read(r), "e-yankes", clock.wib_today())
        assert after.value_text("id") == "80,0 %"
        assert after.change_text("yesterday", "id") == "▲ 30,0 poin dari kemarin"
        assert after.change_text("last_week", "id") == "belum ada pembanding"
    await client.aclose()


def test_the_wib_day_of_a_moment_is_not_its_utc_day():
    utc_evening = datetime.fromisoformat("2027-01-31T17:01:00+00:00")  # 00:01 WIB on 1 February
    assert clock.wib_today(utc_evening).isoformat() == "2027-02-01"
    assert clock.wib_today(utc_evening - timedelta(minutes=2)).isoformat() == "2027-01-31"
    with clock.frozen(utc_evening):
        assert clock.wib_now().strftime("%Y-%m-%d %H:%M %Z") == "2027-02-01 00:01 WIB"
