"""What one application's figures are: where a record goes, what a unit shows, how units add up, its alerts.

Each application (one file each: pormas.py, disikap.py, ...) subclasses `ApplicationFigures`;
`figures_processor.py` runs them all on one consumer group and writes what they compute.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from core.alerts import Alert
from core.config import AlertRules
from core.regions import PROVINCE_CODE
from core.streams import Record, to_iso
from ingest.derive.ledger import EVENT_TIME, Ledger, Place, Row

Figures = dict[str, Any]


class ApplicationFigures:
    """One application's figures per unit, kab/kota and province, kept from its records."""

    application: ClassVar[str] = ""
    # BPS publishes the province's own figure (domain 3600): the province is not the sum of kab/kota.
    own_province: ClassVar[bool] = False
    # Figures that change with the clock alone (service levels, overdue stages): recomputed on a sweep.
    time_dependent: ClassVar[bool] = False
    # Units that grow with the data (every complaint of a category) keep running counts: a record costs
    # the same whatever the unit holds, `tick` says which units the clock changed, and alerts are
    # judged per changed row (`take_alert_rows`, `alert_ids`, `row_alerts`) instead of per unit.
    incremental: ClassVar[bool] = False

    def __init__(self, rules: AlertRules):
        self.rules = rules
        self.ledger = Ledger()

    def apply(self, record: Record, now: datetime) -> set[Place]:
        """Take one record into the ledger; return the units it changed."""
        raise NotImplementedError

    def unit_figures(self, place: Place, rows: dict[str, Row], now: datetime) -> Figures:
        """The figures of one unit from its rows."""
        raise NotImplementedError

    def combine(self, parts: list[Figures]) -> Figures:
        """Unit figures added up into a region's, or regions' into the province's (associative)."""
        raise NotImplementedError

    def unit_alerts(self, place: Place, rows: dict[str, Row], figures: Figures, now: datetime) -> list[Alert]:
        """The alert conditions that hold in one unit now."""
        return []

    def trend(self, figures: Figures) -> dict[str, float]:
        """The numbers of a region's figures kept as a daily series."""
        return {}

    def expire(self, now: datetime) -> set[Place]:
        """Drop rows no figure needs any more (complaints closed long ago); return their units."""
        return set()

    def newest(self, place: Place, rows: dict[str, Row]) -> str | None:
        """The newest ingest time among a unit's rows (its "updated")."""
        return newest(list(rows.values()))

    def region_figures(self, region: str, now: datetime) -> Figures:
        """Figures a region (or the province) keeps beside those its units add up to."""
        return {}

    def tick(self, now: datetime) -> set[Place]:
        """Units whose figures the clock changed since the last call (incremental applications)."""
        return set()

    def take_alert_rows(self) -> dict[Place, set[str]]:
        """Rows whose alerts may have changed since the last call, by unit (incremental applications)."""
        return {}

    def alert_ids(self, key: str) -> set[str]:
        """Every alert id one row can raise (incremental applications)."""
        return set()

    def row_alerts(self, place: Place, key: str, row: Row, now: datetime) -> list[Alert]:
        """The alert conditions that hold for one row now (incremental applications)."""
        return []

    def unit_index(self) -> dict[str, Place]:
        """Where each record key's row is kept, rebuilt from the ledger (after a restart)."""
        return {key: place for place, rows in self.ledger.units.items() for key in rows}

    def loaded(self) -> None:
        """Called once the ledger is read back at start, to rebuild indexes."""

    @staticmethod
    def region_of(record: Record) -> str:
        return record.region or PROVINCE_CODE

    @staticmethod
    def stamp(row: Row, record: Record) -> Row:
        """A row marked with its record's event and ingest time, for ordering and for 'updated'."""
        row[EVENT_TIME] = to_iso(record.event_time)
        row["_i"] = to_iso(record.ingest_time)
        return row


def share_pct(part: float, whole: float) -> float | None:
    """`part` as a percentage of `whole`, one decimal; None when there is no whole."""
    return round(part / whole * 100, 1) if whole else None


def number(value: Any) -> float | None:
    """A payload value as a float, None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def newest(rows: list[Row]) -> str | None:
    """The newest ingest time among rows (UTC ISO strings compare in time order)."""
    return max((r.get("_i") or "" for r in rows), default=None) or None
