"""Working-day clocks against a table of known cases: weekends, national holidays, cuti bersama (joint
leave days) and WIB midnight, with the 2026 calendar as the government set it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core.clock import WIB
from core.incidents.clocks import clocks
from core.incidents.lifecycle import Incident
from core.incidents.settings import Category, parse_budget
from core.incidents.working_time import add_working_days, day_off_name, is_working_day, working_seconds
from core.streams import to_iso


def wib(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


DEADLINES = [
    # start (WIB), working days, deadline (WIB), why
    (wib(2026, 12, 2, 10), 1, wib(2026, 12, 3, 10), "a plain Wednesday"),
    (wib(2026, 12, 4, 10), 1, wib(2026, 12, 7, 10), "Friday: the weekend does not count"),
    (wib(2026, 12, 5, 15), 1, wib(2026, 12, 8, 0), "opened on Saturday: counts from Monday 00.00"),
    (wib(2026, 12, 23, 9), 1, wib(2026, 12, 28, 9), "24 Dec cuti bersama Natal, 25 Dec Natal, weekend"),
    (wib(2026, 8, 17, 8), 1, wib(2026, 8, 19, 0), "opened on Independence Day"),
    (wib(2026, 3, 17, 12), 1, wib(2026, 3, 25, 12), "Nyepi and Idul Fitri with their joint leave days"),
    (wib(2026, 5, 13, 10), 3, wib(2026, 5, 20, 10), "Ascension Day and its joint leave day"),
    (wib(2026, 12, 4, 23, 30), 1, wib(2026, 12, 7, 23, 30), "Friday 23.30 WIB (16.30 UTC) is still Friday"),
    (wib(2026, 12, 5, 0, 30), 1, wib(2026, 12, 8, 0), "00.30 WIB Saturday is Friday 17.30 UTC, yet Saturday"),
    (wib(2026, 12, 31, 12), 1, wib(2027, 1, 4, 12), "New Year's Day and a weekend across the year's end"),
]


@pytest.mark.parametrize("start,days,due,why", DEADLINES, ids=[c[3] for c in DEADLINES])
def test_deadline_in_working_days(start, days, due, why):
    assert add_working_days(start, days) == due
    # The same span measured back: exactly the budget of working time lies between them.
    assert working_seconds(start, due) == days * 86400


def test_known_days_off_and_working_days():
    off = {date(2026, 12, 24): "cuti bersama", date(2026, 12, 25): "natal", date(2026, 3, 23): "cuti bersama",
           date(2026, 8, 17): "kemerdekaan", date(2026, 5, 15): "cuti bersama"}
    for day, word in off.items():
        assert not is_working_day(day), day
        assert word in day_off_name(day).lower(), (day, day_off_name(day))
    for day in (date(2026, 12, 28), date(2026, 3, 25), date(2026, 8, 18), date(2026, 12, 4)):
        assert is_working_day(day), day
    assert not is_working_day(date(2026, 12, 5)) and not is_working_day(date(2026, 12, 6))  # weekend


def test_working_seconds_across_a_utc_day_that_is_two_wib_days():
    # Friday 12.00 WIB to Monday 12.00 WIB: 12 h of Friday + 12 h of Monday.
    assert working_seconds(wib(2026, 12, 4, 12), wib(2026, 12, 7, 12)) == 86400
    # Saturday 06.00 WIB to Sunday 23.00 WIB: nothing.
    assert working_seconds(wib(2026, 12, 5, 6), wib(2026, 12, 6, 23)) == 0


def test_budgets_parse_hours_and_working_days():
    assert parse_budget("3 hari kerja").working_days == 3
    assert parse_budget("4h").seconds == 4 * 3600
    with pytest.raises(ValueError):
        parse_budget("tiga hari")


def test_clocks_turn_amber_then_red_and_stop_when_met():
    category = Category(name="uji", acknowledge="4h", assign="1 hari kerja", resolve="3 hari kerja")
    opened = wib(2026, 12, 4, 10)  # a Friday
    incident = Incident(id="INS-1", category="uji", opened_at=to_iso(opened))
    state = {c.name: c.status for c in clocks(incident, category, opened + timedelta(hours=2), 0.75)}
    assert state == {"acknowledge": "ok", "assign": "ok", "resolve": "ok"}
    at = opened + timedelta(hours=3, minutes=1)  # 75 % of 4 h used
    assert clocks(incident, category, at, 0.75)[0].status == "amber"
    at = opened + timedelta(hours=4)
    assert clocks(incident, category, at, 0.75)[0].status == "red"
    # Saturday noon: the working-day assign clock has not moved since Friday midnight (14 of 24 h).
    assign = clocks(incident, category, wib(2026, 12, 5, 12), 0.75)[1]
    assert assign.status == "ok" and assign.used == pytest.approx(14 / 24)
    assert assign.deadline == wib(2026, 12, 7, 10)
    # Acknowledged 3 h after opening: met on time, and stays met.
    incident.acknowledged_at = to_iso(opened + timedelta(hours=3))
    assert clocks(incident, category, opened + timedelta(days=2), 0.75)[0].status == "met"
    incident.assigned_at = to_iso(wib(2026, 12, 7, 11))  # an hour past Monday 10.00
    assert clocks(incident, category, wib(2026, 12, 8), 0.75)[1].status == "late"


def test_working_seconds_equal_a_day_by_day_count_across_the_year_end():
    def slow(start: datetime, end: datetime) -> float:
        total, day = 0.0, start.astimezone(WIB).date()
        while datetime.combine(day, datetime.min.time(), WIB) < end:
            lo = max(start, datetime.combine(day, datetime.min.time(), WIB))
            hi = min(end, datetime.combine(day + timedelta(days=1), datetime.min.time(), WIB))
            total += (hi - lo).total_seconds() if hi > lo and is_working_day(day) else 0
            day += timedelta(days=1)
        return total

    base = wib(2026, 11, 20, 7, 15)
    for i in range(60):
        start = base + timedelta(hours=17 * i, minutes=7 * i)
        end = start + timedelta(hours=29 * (i % 13) + i)
        assert working_seconds(start, end) == slow(start, end), (start, end)
