"""The one clock of the project: every "what time is it" (alert rules, windows, "dari kemarin",
sessions, playlists, retention, demo data) asks here, so tests and seeds can set it.

Times are kept in UTC and shown in WIB. A test either builds its data relative to `utc_now()` or
sets the clock with `frozen(at)` / `shifted(by)`; nothing else in the code reads the wall clock for
a date. `monotonic()` stays the machine's own: it measures durations, never dates.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")  # Indonesia has had no daylight saving since 1964


def _system() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system


def utc_now() -> datetime:
    """Now, in UTC (aware)."""
    return _source()


def wib_now() -> datetime:
    """Now, in WIB (aware)."""
    return _source().astimezone(WIB)


def wib_today(moment: datetime | None = None) -> date:
    """The WIB calendar day of `moment` (default: now): the day people in Banten are living."""
    return (moment or _source()).astimezone(WIB).date()


def timestamp() -> float:
    """Now as seconds since the epoch (what `time.time()` gives), from the same clock."""
    return _source().timestamp()


def monotonic() -> float:
    """Seconds for measuring durations; never a date, so never set by tests."""
    return time.monotonic()


def set_clock(source: Callable[[], datetime] | None) -> None:
    """Make every reader of the clock ask `source` (None: the system clock again)."""
    global _source
    _source = source or _system


@contextmanager
def frozen(at: datetime) -> Iterator[Callable[[timedelta], None]]:
    """The clock stands at `at` inside the block; the yielded `advance(delta)` moves it."""
    if at.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    now = [at.astimezone(UTC)]

    def advance(delta: timedelta) -> None:
        now[0] += delta

    previous = _source
    set_clock(lambda: now[0])
    try:
        yield advance
    finally:
        set_clock(previous)


@contextmanager
def shifted(by: timedelta) -> Iterator[None]:
    """The clock runs, `by` ahead of (or behind) the system clock, inside the block."""
    previous = _source
    set_clock(lambda: previous() + by)
    try:
        yield
    finally:
        set_clock(previous)
