"""An application whose units grow with the data, kept as running counts instead of recounted.

A complaint category or a satker can hold thousands of rows. Such an application says what one row
adds to its unit (`contribution`: counters, exact sums, and when that next changes by the clock
alone) and which alerts one row holds (`row_alerts`); this base keeps the sums (incremental/tally.py)
as rows come, change and go, counts again the rows the clock reached (`tick`), and hands the
processor the rows whose alerts must be judged again, so a record costs the same whatever its unit holds.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from core.alerts import Alert
from core.streams import utc_now
from ingest.derive.application import ApplicationFigures
from ingest.derive.incremental.tally import Counts, Tally
from ingest.derive.ledger import Place, Row


class RunningUnits(ApplicationFigures):
    """Units as running sums of their rows' contributions."""

    incremental = True

    def __init__(self, rules):
        super().__init__(rules)
        self.tally = Tally()
        self.alert_rows: dict[Place, set[str]] = defaultdict(set)  # rows whose alerts to judge again

    def contribution(self, row: Row, now: datetime) -> tuple[Counts, datetime | None]:
        """What one row adds to its unit at `now`, and the moment after which that changes by the clock."""
        raise NotImplementedError

    def loaded(self) -> None:
        super().loaded()
        now = utc_now()
        for place, rows in self.ledger.units.items():
            for key, row in rows.items():
                self.count(place, key, row, now)

    def count(self, place: Place, key: str, row: Row | None, now: datetime) -> None:
        """Put a row (None: its removal) into its unit's running sums."""
        self.alert_rows[place].add(key)
        if row is None:
            self.tally.set(place, key, None)
        else:
            self.tally.set(place, key, *self.contribution(row, now), row.get("_i") or "")

    def tick(self, now: datetime) -> set[Place]:
        touched = set()
        for place, key in self.tally.due(now):
            self.count(place, key, self.ledger.get(place, key), now)
            touched.add(place)
        return touched

    def newest(self, place, rows) -> str | None:
        return self.tally.newest(place)

    def take_alert_rows(self) -> dict[Place, set[str]]:
        rows, self.alert_rows = self.alert_rows, defaultdict(set)
        return rows

    def row_alerts(self, place: Place, key: str, row: Row, now: datetime) -> list[Alert]:
        return []
