"""Service-level time in working days: Monday to Friday in WIB, less Indonesia's national holidays and
joint leave days (cuti bersama), as the `holidays` package carries them for each year.

A working day counts whole (24 hours): complaint rules such as "3 hari kerja" count days, not office
hours. So the deadline of N working days from a moment is the moment at which N x 24 hours of working
days have passed: Friday 10.00 + 1 working day is Monday 10.00; a start on a Saturday counts from
Monday 00.00 WIB. Days are WIB calendar days, whatever the server's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from core.clock import WIB

DAY = timedelta(days=1)


@lru_cache(maxsize=16)
def _days_off(year: int) -> frozenset[date]:
    # "government" adds the joint leave days the government sets each year to the public holidays.
    found = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(found.keys())


def day_off_name(day: date) -> str | None:
    """Why a weekday is not worked (the holiday's name in Bahasa Indonesia), or None."""
    found = holidays.country_holidays("ID", years=day.year, categories=("public", "government"), language="id")
    return found.get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday and neither a national holiday nor a joint leave day."""
    return day.weekday() < 5 and day not in _days_off(day.year)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), WIB)


@lru_cache(maxsize=64)
def _before_in_year(year: int) -> tuple[int, ...]:
    """For each day of a year (by day of the year, 0-based) the working days before it that year; one more
    entry at the end holds the year's total."""
    out, n, day = [0], 0, date(year, 1, 1)
    while day.year == year:
        n += is_working_day(day)
        out.append(n)
        day += DAY
    return tuple(out)


def _working_days(first: date, end: date) -> int:
    """Working days from `first` up to (not including) `end`, by the years' running counts."""
    if end <= first:
        return 0

    def at(d: date) -> int:
        return _before_in_year(d.year)[d.timetuple().tm_yday - 1]

    if first.year == end.year:
        return at(end) - at(first)
    between = sum(_before_in_year(y)[-1] for y in range(first.year + 1, end.year))
    return _before_in_year(first.year)[-1] - at(first) + between + at(end)


def working_seconds(start: datetime, end: datetime) -> float:
    """The seconds between two moments that fall on working days (WIB); 0 when end is not after start."""
    if end <= start:
        return 0.0
    a, b = start.astimezone(WIB), end.astimezone(WIB)
    if a.date() == b.date():
        return (b - a).total_seconds() if is_working_day(a.date()) else 0.0
    first = (_midnight(a.date() + DAY) - a).total_seconds() if is_working_day(a.date()) else 0.0
    last = (b - _midnight(b.date())).total_seconds() if is_working_day(b.date()) else 0.0
    whole = _working_days(a.date() + DAY, b.date())
    return first + whole * 86400.0 + last


def add_working_days(start: datetime, days: float) -> datetime:
    """The moment `days` working days (of 24 hours) after `start`, in UTC."""
    left = days * 86400.0
    at = start.astimezone(WIB)
    while True:
        day = at.date()
        end_of_day = _midnight(day + DAY)
        if is_working_day(day):
            available = (end_of_day - at).total_seconds()
            if left <= available:
                return (at + timedelta(seconds=left)).astimezone(UTC)
            left -= available
        at = end_of_day
