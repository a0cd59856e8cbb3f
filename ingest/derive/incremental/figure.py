"""A headline figure kept as running state: one record changes it in logarithmic time, whatever the data.

Every aggregate of a metric (count, sum, mean, min, max, last, ratio) is held per kab/kota and for
all entities together. A newer version of an entity takes its old contribution out and puts its new
one in; an entity leaves its time window from the front of an index ordered by event time (or by
its `window_field`); min, max, last and the newest ingest time read the ends of ordered structures. Sums are exact (a
float is a
binary fraction, so their sum is kept as a Fraction and rounded once when shown): the figure is the
same to the last digit whatever the order in which records came, were replaced or left, so state
rebuilt after a restart equals the state that ran.

This file is pure arithmetic; ingest/derive/headline.py keeps the entities in Redis.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from sortedcontainers import SortedList

from core.config import MetricConfig
from core.streams import KpiValue, Record, from_iso, to_iso

ALL = ""  # the group of every selected entity, whatever its region


@dataclass(frozen=True)
class Entity:
    """The latest record of one entity, reduced to the fields its metric reads."""

    region: str | None
    event_time: datetime
    ingest_time: datetime
    fields: dict[str, Any]

    def encode(self) -> str:
        return json.dumps({"r": self.region, "t": to_iso(self.event_time), "i": to_iso(self.ingest_time),
                           "f": self.fields}, separators=(",", ":"), default=str)

    @classmethod
    def decode(cls, text: str | bytes) -> Entity:
        d = json.loads(text)
        return cls(d["r"], from_iso(d["t"]), from_iso(d["i"]), d["f"])


def matches(value: Any, wanted: Any) -> bool:
    """A `where` condition: the value, or one of a list of values (compared as text too)."""
    if isinstance(wanted, list):
        return any(matches(value, w) for w in wanted)
    return value == wanted or str(value) == str(wanted)


def number(value: Any) -> float | None:
    """A payload value as a finite float (-0.0 read as 0.0), None when it is not one."""
    if isinstance(value, bool):
        return float(value)
    try:
        n = float(value)
    except (TypeError, ValueError):
        return None
    return n + 0.0 if math.isfinite(n) else None


class Group:
    """The running aggregate of the selected entities of one region (or of all)."""

    __slots__ = ("n", "truthy", "numbers", "sums", "values", "latest")

    def __init__(self, aggregate: str):
        self.n = 0            # selected entities
        self.truthy = 0       # of them, with a true `value` field (count of a field)
        self.numbers = 0      # of them, with a number in the first value field (sum, mean)
        self.sums = [Fraction(0), Fraction(0)]  # exact sums of the value fields (numerator, denominator)
        self.values = SortedList() if aggregate in ("min", "max") else None
        self.latest = SortedList() if aggregate == "last" else None  # (event time, entity key)


class RunningFigure:
    """One configured metric: the latest version of each entity and the running aggregates over them."""

    def __init__(self, metric_id: str, spec: MetricConfig):
        self.id = metric_id
        self.spec = spec
        values = spec.value if isinstance(spec.value, list) else ([spec.value] if spec.value else [])
        self.value_fields = values
        self.read_fields = sorted(set(spec.entity) | set(values) | set(spec.where)
                                  | ({spec.window_field} if spec.window_field else set()))
        self.window = timedelta(seconds=float(spec.window)) if spec.window else None
        self.entities: dict[str, Entity] = {}
        self.seen = False  # something ever arrived: an empty window is 0, not "no data"
        self.by_time = SortedList()  # (event time, key) of every entity, for the window
        self.ingested = SortedList()  # ingest times of the selected entities ("updated")
        self.groups: dict[str, Group] = {}

    # ---- taking records --------------------------------------------------------------------------

    def entity_key(self, payload: dict[str, Any]) -> str | None:
        parts = [payload.get(f) for f in self.spec.entity]
        return None if any(p is None for p in parts) else "|".join(str(p) for p in parts)

    def offer(self, record: Record) -> tuple[str, Entity] | None:
        """Take a record if it is its entity's newest version; return the entity it became."""
        key = self.entity_key(record.payload)
        if key is None:
            return None
        current = self.entities.get(key)
        if current is not None and current.event_time > record.event_time:
            return None  # an older version arriving late changes nothing
        entity = Entity(record.region, record.event_time, record.ingest_time,
                        {f: record.payload.get(f) for f in self.read_fields})
        self.put(key, entity)
        return key, entity

    def window_time(self, entity: Entity) -> datetime | None:
        """The moment the window is measured on: the payload's `window_field` if set (a complaint's
        creation, say, not its latest status change), else the event time; None when unreadable."""
        if not self.spec.window_field:
            return entity.event_time
        value = entity.fields.get(self.spec.window_field)
        try:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        except ValueError:
            return None
        return moment if moment.tzinfo else None

    def put(self, key: str, entity: Entity) -> None:
        """Set an entity's version (also how stored entities are read back at start)."""
        old = self.entities.pop(key, None)
        if old is not None:
            self._count(key, old, -1)
            if self.window:
                self.by_time.remove((self.window_time(old), key))
        self.seen = True
        moment = self.window_time(entity) if self.window else None
        if self.window and moment is None:
            return  # no moment to measure the window on: the entity is not counted
        self.entities[key] = entity
        self._count(key, entity, +1)
        if self.window:
            self.by_time.add((moment, key))

    def expire(self, now: datetime) -> list[str]:
        """Remove the entities that left the window by `now`, oldest first; return their keys."""
        if not self.window:
            return []
        cutoff, gone = now - self.window, []
        while self.by_time and self.by_time[0][0] < cutoff:
            _, key = self.by_time.pop(0)
            self._count(key, self.entities.pop(key), -1)
            gone.append(key)
        return gone

    def _selected(self, entity: Entity) -> bool:
        return all(matches(entity.fields.get(f), w) for f, w in self.spec.where.items())

    def _count(self, key: str, entity: Entity, sign: int) -> None:
        """Add (+1) or take out (-1) one entity's contribution to its region's group and to all."""
        if not self._selected(entity):
            return
        if sign > 0:
            self.ingested.add(entity.ingest_time)
        else:
            self.ingested.remove(entity.ingest_time)
        fields, agg = entity.fields, self.spec.aggregate
        first = number(fields.get(self.value_fields[0])) if self.value_fields else None
        for code in (ALL, entity.region) if entity.region else (ALL,):
            group = self.groups.get(code)
            if group is None:
                group = self.groups[code] = Group(agg)
            group.n += sign
            if agg == "count":
                if self.value_fields and fields.get(self.value_fields[0]):
                    group.truthy += sign
            elif agg == "ratio":
                for i, f in enumerate(self.value_fields):
                    group.sums[i] += sign * Fraction(number(fields.get(f)) or 0.0)
            elif agg == "last":
                (group.latest.add if sign > 0 else group.latest.remove)((entity.event_time, key))
            elif first is not None:
                group.numbers += sign
                if agg in ("min", "max"):
                    (group.values.add if sign > 0 else group.values.remove)(first)
                else:
                    group.sums[0] += sign * Fraction(first)
            if group.n == 0 and code != ALL:
                del self.groups[code]

    # ---- the figure ------------------------------------------------------------------------------

    def figure(self, now: datetime) -> KpiValue:
        """The province figure and the figure per kab/kota at `now` (entities past the window expire)."""
        self.expire(now)
        if not self.seen:
            # Nothing ever arrived: "no data", not a count of zero complaints.
            return KpiValue(self.id, None, None, {}, 0)
        headline_code = self.spec.headline_region
        headline = self.groups.get(headline_code if headline_code else ALL)
        regions = {code: v for code, group in sorted(self.groups.items())
                   if code not in (ALL, headline_code) and (v := self._value(group)) is not None}
        everything = self.groups.get(ALL)
        return KpiValue(self.id, self._value(headline), self.ingested[-1] if self.ingested else None, regions,
                        everything.n if everything else 0)

    def _value(self, group: Group | None) -> float | None:
        agg = self.spec.aggregate
        if group is None or group.n == 0:
            return 0.0 if agg == "count" else None
        if agg == "count":
            return float(group.truthy if self.value_fields else group.n)
        if agg == "ratio":
            den = float(group.sums[1])
            return float(group.sums[0]) / den * 100 if den else None
        if agg == "last":
            return number(self.entities[group.latest[-1][1]].fields.get(self.value_fields[0]))
        if group.numbers == 0:
            return None
        if agg == "min":
            return group.values[0]
        if agg == "max":
            return group.values[-1]
        total = float(group.sums[0])
        return total if agg == "sum" else total / group.numbers
