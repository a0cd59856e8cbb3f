"""The record level of one application in memory: the latest row of each record, by region and unit.

It mirrors the `app_records` hashes, and remembers what a batch changed so only that is written.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from core.streams import from_iso

Row = dict[str, Any]
Place = tuple[str, str]  # (region, unit)
EVENT_TIME = "_t"  # event time of the record a row was taken from (UTC ISO), to refuse older versions


class Ledger:
    """Latest rows of one application by (region, unit) -> record key, with the batch's changes."""

    def __init__(self) -> None:
        self.units: dict[Place, dict[str, Row]] = defaultdict(dict)
        self.changed: dict[Place, dict[str, Row]] = defaultdict(dict)
        self.removed: dict[Place, set[str]] = defaultdict(set)

    def get(self, place: Place, key: str) -> Row | None:
        rows = self.units.get(place)
        return rows.get(key) if rows else None

    def put(self, place: Place, key: str, row: Row) -> None:
        self.units[place][key] = row
        self.changed[place][key] = row
        self.removed[place].discard(key)

    def remove(self, place: Place, key: str) -> None:
        rows = self.units.get(place)
        if rows and key in rows:
            del rows[key]
            self.changed[place].pop(key, None)
            self.removed[place].add(key)
            if not rows:
                del self.units[place]

    def load(self, place: Place, rows: dict[str, Row]) -> None:
        """Rows read back from Redis at start: not changes."""
        if rows:
            self.units[place] = rows

    def take_changes(self) -> tuple[dict[Place, dict[str, Row]], dict[Place, set[str]]]:
        """What changed since the last call, and forget it."""
        changed = {p: rows for p, rows in self.changed.items() if rows}
        removed = {p: keys for p, keys in self.removed.items() if keys}
        self.changed, self.removed = defaultdict(dict), defaultdict(set)
        return changed, removed

    def regions(self) -> set[str]:
        return {region for region, _ in self.units}


def row_time(row: Row | None) -> datetime | None:
    """The event time a row was taken at."""
    return from_iso(row[EVENT_TIME]) if row and row.get(EVENT_TIME) else None


def is_older(row: Row | None, event_time: datetime) -> bool:
    """True when the stored row is newer than a record arriving late (which then changes nothing)."""
    stored = row_time(row)
    return stored is not None and stored > event_time
