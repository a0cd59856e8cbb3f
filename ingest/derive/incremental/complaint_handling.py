"""How complaints were handled in the last days, per kab/kota and province, as running state.

The public portal shows, for the window that closed complaints are kept (KEEP_CLOSED_DAYS): the
complaints received, those resolved, how many within the service level, and the median days they
took. Kept here as ordered structures (received and resolved moments, the durations of the
resolved ones still in the window), so one complaint changes them in logarithmic time and a read
costs the same with a hundred complaints or a hundred thousand; the window's start only moves on,
so resolved complaints leave the durations from the front of an index ordered by their closing time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sortedcontainers import SortedList

from core.complaints import DONE, KEEP_CLOSED_DAYS, moment
from core.regions import PROVINCE_CODE

WINDOW = timedelta(days=KEEP_CLOSED_DAYS)


class Handled(NamedTuple):
    """What one complaint adds: where, when received, when resolved (None: open), days taken."""

    region: str
    created: datetime | None
    closed: datetime | None
    took: float | None


class ComplaintHandling:
    """Received, resolved, resolved in time and the median days, over the window, per region and province."""

    def __init__(self, resolution_days: int):
        self.resolution_days = resolution_days
        self.rows: dict[str, Handled] = {}
        self.created: dict[str, SortedList] = {}   # region -> moments complaints were received
        self.resolved: dict[str, SortedList] = {}  # region -> moments complaints were resolved
        self.in_time: dict[str, SortedList] = {}   # region -> moments of those resolved within the level
        self.took: dict[str, SortedList] = {}      # region -> days taken by those resolved inside the window
        self.leaving = SortedList()                # (closed, key) of every complaint counted in `took`
        self.since: datetime | None = None         # the window's start, as far as it has moved

    def set(self, key: str, region: str, row: dict[str, Any] | None) -> None:
        """The complaint's current row (None: gone from the record level)."""
        old = self.rows.pop(key, None)
        if old is not None:
            self._count(key, old, -1)
        if row is None:
            return
        created = moment(row.get("created_at"))
        closed = None
        if str(row.get("status") or "").strip().lower() in DONE:
            closed = moment(row.get("_t")) or moment(row.get("updated_at"))
        took = (closed - created).total_seconds() / 86400 if closed and created else None
        handled = Handled(region, created, closed, took)
        self.rows[key] = handled
        self._count(key, handled, +1)

    def _count(self, key: str, h: Handled, sign: int) -> None:
        inside = h.closed is not None and h.took is not None and (self.since is None or h.closed >= self.since)
        if inside:
            (self.leaving.add if sign > 0 else self.leaving.remove)((h.closed, key))
        for region in {h.region, PROVINCE_CODE}:
            if h.created is not None:
                _change(self.created, region, h.created, sign)
            if h.closed is not None:
                _change(self.resolved, region, h.closed, sign)
                if h.took is not None and h.took <= self.resolution_days:
                    _change(self.in_time, region, h.closed, sign)
            if inside:
                _change(self.took, region, h.took, sign)

    def _move(self, now: datetime) -> datetime:
        since = now - WINDOW
        if self.since is None or since > self.since:
            self.since = since
            while self.leaving and self.leaving[0][0] < since:
                _, key = self.leaving.pop(0)
                h = self.rows[key]
                for region in {h.region, PROVINCE_CODE}:
                    _change(self.took, region, h.took, -1)
        return self.since

    def figures(self, region: str, now: datetime) -> dict[str, Any]:
        """The region's (or the province's) handling over the window that ends `now`."""
        since = self._move(now)
        received = _since(self.created.get(region), since)
        resolved = _since(self.resolved.get(region), since)
        in_time = _since(self.in_time.get(region), since)
        took = self.took.get(region)
        median = None
        if took:
            n = len(took)
            median = took[n // 2] if n % 2 else (took[n // 2 - 1] + took[n // 2]) / 2
        return {"diterima": received, "selesai": resolved, "selesai_tepat_waktu": in_time,
                "tepat_waktu_pct": round(in_time / resolved * 100, 1) if resolved else None,
                "median_hari": round(median, 1) if median is not None else None}


def _change(index: dict[str, SortedList], region: str, value: Any, sign: int) -> None:
    if sign > 0:
        index.setdefault(region, SortedList()).add(value)
    else:
        index[region].remove(value)
        if not index[region]:
            del index[region]


def _since(moments: SortedList | None, since: datetime) -> int:
    return len(moments) - moments.bisect_left(since) if moments else 0
