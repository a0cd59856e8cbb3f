"""The plain recount a headline figure must equal, and random histories of records to feed both.

The recount knows nothing of running state: from every record ever offered it takes each entity's
newest version, keeps those inside the window and the `where` filter at `now`, and adds them up
from scratch (math.fsum: the exactly rounded sum, whatever the order).
"""

from __future__ import annotations

import json
import math
import random
import statistics
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from hypothesis import strategies as st

from core.complaints import DONE, KEEP_CLOSED_DAYS, moment
from core.config import parse_config
from core.streams import KpiValue, Record
from ingest.derive.incremental.figure import matches, number
from tests.support.figures_helpers import CONFIG

FEED = "lapor"
START = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
REGIONS = [None, "36", "3601", "3673"]
AGGREGATES = ["count", "sum", "mean", "min", "max", "last", "ratio"]

# Values as feeds send them: numbers that cancel badly in floating point, text, flags, nothing.
ODD_VALUES = [None, 0.1, 0.2, 0.3, 1e16, -1e16, 1.0, 3, -0.0, 0, 13300, 2.5e-7, "12.5", "x", "", True, False, "nan"]
TICKS = [1, 30, 120, 301, 599, 600, 601, 1800, 3600]  # seconds the clock moves on (windows: 10 min, 1 h)


def value_of(rng: random.Random):
    kind = rng.random()
    if kind < 0.5:
        return rng.choice(ODD_VALUES)
    if kind < 0.8:
        return rng.uniform(-1e12, 1e12) if rng.random() < 0.3 else round(rng.uniform(0, 1000), rng.randint(0, 3))
    return rng.randint(-10**9, 10**9)


def steps_of(seed: int, length: int) -> list[tuple]:
    """A random history: records (entity, region, minutes from the clock, ingest lag, fields), the clock
    moving on, restarts. Drawn from a seed, so a failing one is printed as two numbers and replayed."""
    rng = random.Random(seed)
    steps = []
    for _ in range(length):
        kind = rng.random()
        if kind < 0.75:
            steps.append(("record", rng.randint(0, 6), rng.choice(REGIONS), rng.randint(-90, 5), rng.randint(0, 3),
                          value_of(rng), value_of(rng), rng.choice(["on", "off", "maybe", None])))
        elif kind < 0.93:
            steps.append(("tick", rng.choice(TICKS)))
        else:
            steps.append(("restart",))
    return steps


HISTORIES = st.tuples(st.integers(0, 2**63), st.integers(1, 30))  # (seed, length) of steps_of and spec_of


def spec_of(seed: int, aggregate: str | None = None) -> dict:
    """A random metric of config: its aggregate, value fields, maybe a `where`, a window, a headline region."""
    rng = random.Random(seed)
    agg = aggregate or rng.choice(AGGREGATES)
    spec = {"application": "e-pormas", "label": "Angka", "feed": FEED, "entity": ["id"], "aggregate": agg}
    if agg == "ratio":
        spec["value"] = ["a", "b"]
    elif agg != "count" or rng.random() < 0.5:
        spec["value"] = "a"
    if rng.random() < 0.5:
        spec["where"] = {"st": rng.choice(["on", ["on", "maybe"]])}
    if rng.random() < 0.5:
        spec["window"] = rng.choice(["10m", "1h"])
    if rng.random() < 0.5:
        spec["headline_region"] = "36"
    return spec


def config_of(spec: dict):
    return _config(json.dumps(spec, sort_keys=True))


@lru_cache(maxsize=512)  # a few dozen different metrics recur over thousands of histories
def _config(spec: str):
    spec = json.loads(spec)
    return parse_config({
        "feeds": {FEED: {"kind": "webhook", "application": "e-pormas", "tokens": ["x" * 12], "source_id": "id"}},
        "metrics": {"angka": spec},
    })


def record_of(step: tuple, now: datetime, serial: int) -> Record:
    """The Record a "record" step stands for at clock time `now`."""
    _, entity, region, minutes, ingest_lag, a, b, status = step
    payload = {"id": entity, "a": a, "b": b}
    if status is not None:
        payload["st"] = status
    event = now + timedelta(minutes=minutes)
    return Record(FEED, "e-pormas", f"s{serial}", event, now + timedelta(seconds=ingest_lag), payload, region)


def recount(metric_id: str, spec: dict, offered: list[Record], now: datetime) -> KpiValue:
    """The figure from scratch: newest version per entity, window and filter at `now`, summed afresh."""
    latest: dict[str, Record] = {}
    for rec in offered:
        key = str(rec.payload["id"])
        if key not in latest or not latest[key].event_time > rec.event_time:
            latest[key] = rec
    if not latest:
        return KpiValue(metric_id, None, None, {}, 0)
    window = {"10m": timedelta(minutes=10), "1h": timedelta(hours=1)}.get(spec.get("window"))
    chosen = [(k, r) for k, r in latest.items()
              if (window is None or r.event_time >= now - window)
              and all(matches(r.payload.get(f), w) for f, w in (spec.get("where") or {}).items())]
    by_region: dict[str, list] = {}
    for k, r in chosen:
        if r.region:
            by_region.setdefault(r.region, []).append((k, r))
    head = spec.get("headline_region")
    headline = by_region.get(head, []) if head else chosen
    regions = {code: v for code, group in sorted(by_region.items())
               if code != head and (v := _aggregate(spec, group)) is not None}
    updated = max((r.ingest_time for _, r in chosen), default=None)
    return KpiValue(metric_id, _aggregate(spec, headline), updated, regions, len(chosen))


def _aggregate(spec: dict, group: list) -> float | None:
    agg, value = spec["aggregate"], spec.get("value")
    if agg == "count":
        return float(sum(1 for _, r in group if r.payload.get(value)) if value else len(group))
    if agg == "ratio":
        num = math.fsum(number(r.payload.get(value[0])) or 0.0 for _, r in group)
        den = math.fsum(number(r.payload.get(value[1])) or 0.0 for _, r in group)
        return num / den * 100 if den else None
    if agg == "last":
        if not group:
            return None
        return number(max(group, key=lambda kr: (kr[1].event_time, kr[0]))[1].payload.get(value))
    numbers = [n for _, r in group if (n := number(r.payload.get(value))) is not None]
    if not numbers:
        return None
    if agg == "sum":
        return math.fsum(numbers)
    if agg == "mean":
        return math.fsum(numbers) / len(numbers)
    return min(numbers) if agg == "min" else max(numbers)


def shown(value: KpiValue) -> dict[str, str]:
    """A figure as it is stored for the screens, digit for digit."""
    return value.encode()


def handling(rows: list[dict], now: datetime) -> dict:
    """Complaints received and resolved in the kept window, in time, median days: counted afresh."""
    since, days = now - timedelta(days=KEEP_CLOSED_DAYS), CONFIG.alerts.complaint_sla.resolution_days
    received = sum(1 for r in rows if (c := moment(r.get("created_at"))) and c >= since)
    resolved = [r for r in rows
                if r["status"] in DONE and (moment(r.get("_t")) or moment(r.get("updated_at"))) >= since]
    took = [((moment(r.get("_t")) or moment(r.get("updated_at"))) - created).total_seconds() / 86400
            for r in resolved if (created := moment(r.get("created_at")))]
    in_time = sum(t <= days for t in took)
    return {"diterima": received, "selesai": len(resolved), "selesai_tepat_waktu": in_time,
            "tepat_waktu_pct": round(in_time / len(resolved) * 100, 1) if resolved else None,
            "median_hari": round(statistics.median(took), 1) if took else None}
