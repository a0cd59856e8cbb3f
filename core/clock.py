"""The one clock of the project: every "what time is it" (alert rules, windows, "dari kemarin",
sessions, playlists, retention, demo data) asks here, so tests and seeds can set it.

Times are kept in UTC and shown in the site's zone, `WIB` (config `site.timezone`, Asia/Jakarta
by default). A test either builds its data relative to `utc_now()` or sets the clock with
`frozen(at)` / `shifted(by)`; nothing else in the code reads the wall clock for a date.
`monotonic()` stays the machine's own: it measures durations, never dates.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Jakarta"


class SiteZone(tzinfo):
    """The zone the site lives in (config `site.timezone`, WIB by default): every date a person
    reads and every calendar day. One object that the config load points at the configured zone,
    so `astimezone(WIB)` everywhere follows the config without anyone importing it again."""

    def __init__(self, name: str = DEFAULT_ZONE) -> None:
        self.use(name)

    def use(self, name: str) -> None:
        """Point the zone at `name` (an IANA name such as 'Asia/Makassar'); ValueError if unknown."""
        try:
            self._zone: tzinfo = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            if name != DEFAULT_ZONE:
                raise ValueError(f"unknown time zone {name!r} (an IANA name such as Asia/Jakarta)") from None
            # No tz database on this machine: Jakarta has kept +07:00 without daylight saving since 1964.
            self._zone = timezone(timedelta(hours=7), "WIB")
        self.name = name

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return self._zone.utcoffset(dt.replace(tzinfo=None) if dt is not None else None)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return self._zone.dst(dt.replace(tzinfo=None) if dt is not None else None)

    def tzname(self, dt: datetime | None) -> str | None:
        return self._zone.tzname(dt.replace(tzinfo=None) if dt is not None else None)

    def fromutc(self, dt: datetime) -> datetime:
        return self._zone.fromutc(dt.replace(tzinfo=self._zone)).replace(tzinfo=self)

    def __repr__(self) -> str:
        return f"SiteZone({self.name!r})"


# The site's zone under the name the whole project speaks of; `use_zone` (called at config load) moves it.
WIB = SiteZone()


def use_zone(name: str) -> None:
    """Show times and count days in the zone `name` from now on (config `site.timezone`)."""
    WIB.use(name)


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
