"""Running counts of an application's units: what each row adds, summed per unit as rows come and go.

A row's contribution is a small set of counters (open: 1, by_status/diterima: 1, ...). A newer
version of the row takes its old contribution out and puts the new one in, so a unit's counts cost
one row's work whatever the number of rows. Contributions that change with the clock alone (a
service level passing) say when; `due(now)` hands back the rows whose moment has passed, oldest
first, to be counted again.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from sortedcontainers import SortedList

from ingest.derive.ledger import Place

# counter path (e.g. ("by_opd", "Dinas Sosial", "open")) -> a count, or an exact sum of money
Counts = dict[tuple, int | Fraction]


class Tally:
    """Per unit: the sum of its rows' contributions, the newest ingest time, and when rows change by the clock."""

    def __init__(self) -> None:
        self.sums: dict[Place, Counts] = {}
        self.parts: dict[tuple[Place, str], tuple[Counts, datetime | None, str]] = {}
        self.stamps: dict[Place, SortedList] = {}  # ingest times of a unit's rows: the newest is "updated"
        self.clock = SortedList()  # (moment, place, key): the row's contribution changes once now passes it

    def set(self, place: Place, key: str, counts: Counts | None, due: datetime | None = None,
            stamp: str = "") -> None:
        """The row's contribution from now on (None: the row is gone)."""
        old = self.parts.pop((place, key), None)
        if old is not None:
            self._add(place, old[0], -1)
            if old[1] is not None:
                self.clock.remove((old[1], place, key))
            self.stamps[place].remove(old[2])
            if not self.stamps[place]:
                del self.stamps[place]
        if counts is None:
            return
        self.parts[(place, key)] = (counts, due, stamp)
        self._add(place, counts, +1)
        if due is not None:
            self.clock.add((due, place, key))
        self.stamps.setdefault(place, SortedList()).add(stamp)

    def _add(self, place: Place, counts: Counts, sign: int) -> None:
        total = self.sums.setdefault(place, {})
        for path, n in counts.items():
            left = total.get(path, 0) + sign * n
            if left:
                total[path] = left
            else:
                total.pop(path, None)
        if not total:
            del self.sums[place]

    def of(self, place: Place) -> Counts:
        """The unit's counts (paths with a count of zero are absent)."""
        return self.sums.get(place, {})

    def newest(self, place: Place) -> str | None:
        """The newest ingest time among the unit's rows."""
        stamps = self.stamps.get(place)
        return (stamps[-1] or None) if stamps else None

    def due(self, now: datetime) -> list[tuple[Place, str]]:
        """The rows whose contribution changed because the clock passed their moment (taken off the clock)."""
        out = []
        while self.clock and self.clock[0][0] < now:
            _, place, key = self.clock.pop(0)
            counts, _, stamp = self.parts[(place, key)]
            self.parts[(place, key)] = (counts, None, stamp)
            out.append((place, key))
        return out
