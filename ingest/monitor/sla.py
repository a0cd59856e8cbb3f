"""The figures of an honest SLA: time-weighted availability with maintenance and blind time left out,
and response-time percentiles over the raw samples (linear interpolation between ranks).

A timeline is a sorted list of (time, state) changes; each state holds until the next change (or the
end of the period). UP and DEGRADED count as available, DOWN as not; PENDING and UNKNOWN (the probe
could not see) count neither way, and neither does time inside a maintenance window.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

AVAILABLE = ("up", "degraded")
COUNTED = ("up", "degraded", "down")

Span = tuple[datetime, datetime]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation between closest ranks; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Overlapping or touching spans joined, sorted."""
    out: list[list[datetime]] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _overlap(a: Span, spans: list[Span]) -> float:
    return sum(max(0.0, (min(a[1], e) - max(a[0], s)).total_seconds()) for s, e in spans)


@dataclass(frozen=True)
class Availability:
    up_s: float
    down_s: float
    excluded_s: float  # maintenance
    blind_s: float     # pending, unknown, before the first check

    @property
    def pct(self) -> float | None:
        counted = self.up_s + self.down_s
        return None if counted <= 0 else 100.0 * self.up_s / counted


def availability(timeline: Sequence[tuple[datetime, str]], start: datetime, end: datetime,
                 maintenance: Iterable[Span] = ()) -> Availability:
    """Seconds up, down, in maintenance and unseen within [start, end)."""
    windows = [(max(s, start), min(e, end)) for s, e in merge(maintenance) if s < end and e > start]
    up = down = excluded = 0.0
    state_before = None
    spans: list[tuple[datetime, datetime, str]] = []
    for i, (t, state) in enumerate(timeline):
        nxt = timeline[i + 1][0] if i + 1 < len(timeline) else end
        if nxt <= start:
            state_before = state
            continue
        s, e = max(t, start), min(nxt, end)
        if s < e:
            spans.append((s, e, state))
    if state_before is not None and (not spans or spans[0][0] > start):
        first = spans[0][0] if spans else end
        spans.insert(0, (start, first, state_before))
    for s, e, state in spans:
        length = (e - s).total_seconds()
        held = _overlap((s, e), windows)
        excluded += held
        if state in AVAILABLE:
            up += length - held
        elif state == "down":
            down += length - held
    total = (end - start).total_seconds()
    return Availability(up, down, excluded, max(0.0, total - up - down - excluded))


def month_start(t: datetime) -> datetime:
    """The first instant of t's month, in t's time zone."""
    return t.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def days_back(end_day_start: datetime, days: int) -> list[Span]:
    """[start, end) of each of the `days` days ending with the day that starts at `end_day_start`."""
    return [(end_day_start - timedelta(days=i), end_day_start - timedelta(days=i - 1)) for i in range(days - 1, -1, -1)]
