"""A small daily series per figure and region for trend charts: the last value of each WIB day, bounded."""

from __future__ import annotations

import json
from datetime import datetime

from core.clock import wib_today
from core.streams import as_text

DAYS_KEPT = 92  # a quarter: enough for the page's trend charts, small enough to read in one call


def wib_day(moment: datetime) -> str:
    """The WIB calendar day of a moment, as the series' key ('2026-11-28')."""
    return wib_today(moment).isoformat()


class Trend:
    """The series of one region: figure name -> {day: value}."""

    def __init__(self, stored: dict[str, dict[str, float]] | None = None):
        self.series: dict[str, dict[str, float]] = stored or {}

    @classmethod
    def decode(cls, fields: dict) -> Trend:
        return cls({as_text(k): json.loads(v) for k, v in fields.items()})

    def record(self, day: str, values: dict[str, float]) -> dict[str, str]:
        """Set today's value of each figure; return the changed series as hash fields."""
        out = {}
        for name, value in values.items():
            if value is None:
                continue
            series = self.series.setdefault(name, {})
            if series.get(day) == value:
                continue
            series[day] = value
            if len(series) > DAYS_KEPT:
                for old in sorted(series)[: len(series) - DAYS_KEPT]:
                    del series[old]
            out[name] = json.dumps(series, separators=(",", ":"))
        return out
