"""Headline figures: a consumer group on each feed stream keeps every metric of config up to date.

Each metric remembers the latest record of each entity (a market's commodity, a hospital ward, a
complaint) and aggregates those into one province figure and one per kab/kota. Screens read the
result from `cc:kpi:<metric>` and are woken by `cc:kpi-updates`; none of them scans raw streams.
A restart reloads the entities from Redis and first re-reads its own unacknowledged entries.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import redis.asyncio

from core.config import Config, MetricConfig
from core.streams import (DERIVE_GROUP, KPI_UPDATES, KpiValue, Record, feed_stream, from_iso, kpi,
                          metric_entities, to_iso, utc_now)
from ingest.derive.groups import READ_COUNT, drain, ensure_group

log = logging.getLogger("ingest.derive")

CONSUMER = "headline"
WINDOW_SWEEP_EVERY = 30.0
KPI_UPDATES_KEEP = 10_000


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
    def decode(cls, text: str | bytes) -> "Entity":
        d = json.loads(text)
        return cls(d["r"], from_iso(d["t"]), from_iso(d["i"]), d["f"])


def _matches(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return any(_matches(value, w) for w in wanted)
    return value == wanted or str(value) == str(wanted)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class Metric:
    """One configured metric: its entities and how they add up."""

    def __init__(self, metric_id: str, spec: MetricConfig):
        self.id = metric_id
        self.spec = spec
        values = spec.value if isinstance(spec.value, list) else ([spec.value] if spec.value else [])
        self.value_fields = values
        self.read_fields = sorted(set(spec.entity) | set(values) | set(spec.where)
                                  | ({spec.window_field} if spec.window_field else set()))
        self.entities: dict[str, Entity] = {}

    def entity_key(self, payload: dict[str, Any]) -> str | None:
        parts = [payload.get(f) for f in self.spec.entity]
        return None if any(p is None for p in parts) else "|".join(str(p) for p in parts)

    def offer(self, record: Record) -> tuple[str, Entity] | None:
        """Take a record if it is the entity's newest; return what changed."""
        key = self.entity_key(record.payload)
        if key is None:
            return None
        current = self.entities.get(key)
        if current is not None and current.event_time > record.event_time:
            return None  # an older version arriving late changes nothing
        entity = Entity(record.region, record.event_time, record.ingest_time,
                        {f: record.payload.get(f) for f in self.read_fields})
        self.entities[key] = entity
        return key, entity

    def window_time(self, entity: Entity) -> datetime | None:
        """The moment the window is measured on: the payload's `window_field` if set, else the event time."""
        if not self.spec.window_field:
            return entity.event_time
        value = entity.fields.get(self.spec.window_field)
        try:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        except ValueError:
            return None
        return moment if moment.tzinfo else None

    def expired(self, now: datetime) -> list[str]:
        """Entities outside the metric's time window, removed from memory."""
        if not self.spec.window:
            return []
        cutoff = now - timedelta(seconds=float(self.spec.window))
        gone = [k for k, e in self.entities.items() if (t := self.window_time(e)) is None or t < cutoff]
        for key in gone:
            del self.entities[key]
        return gone

    def compute(self) -> KpiValue:
        """The province figure and the figure per kab/kota from the current entities."""
        cutoff = utc_now() - timedelta(seconds=float(self.spec.window)) if self.spec.window else None
        selected = [e for e in self.entities.values()
                    if (cutoff is None or ((t := self.window_time(e)) is not None and t >= cutoff))
                    and all(_matches(e.fields.get(f), w) for f, w in self.spec.where.items())]
        by_region: dict[str, list[Entity]] = defaultdict(list)
        for e in selected:
            if e.region:
                by_region[e.region].append(e)
        headline = by_region.get(self.spec.headline_region, []) if self.spec.headline_region else selected
        regions = {code: v for code, group in by_region.items()
                   if code != self.spec.headline_region and (v := self._aggregate(group)) is not None}
        updated = max((e.ingest_time for e in selected), default=None)
        if not self.entities:
            # Nothing ever arrived: "no data", not a count of zero complaints.
            return KpiValue(self.id, None, None, {}, 0)
        return KpiValue(self.id, self._aggregate(headline), updated, regions, len(selected))

    def _aggregate(self, entities: list[Entity]) -> float | None:
        agg = self.spec.aggregate
        if agg == "count":
            if self.spec.value:
                return float(sum(1 for e in entities if e.fields.get(self.spec.value)))
            return float(len(entities))
        if agg == "ratio":
            num_f, den_f = self.value_fields
            num = sum(_number(e.fields.get(num_f)) or 0 for e in entities)
            den = sum(_number(e.fields.get(den_f)) or 0 for e in entities)
            return num / den * 100 if den else None
        if agg == "last":
            if not entities:
                return None
            return _number(max(entities, key=lambda e: e.event_time).fields.get(self.value_fields[0]))
        numbers = [n for e in entities if (n := _number(e.fields.get(self.value_fields[0]))) is not None]
        if not numbers:
            return None
        return {"sum": sum, "max": max, "min": min, "mean": lambda xs: sum(xs) / len(xs)}[agg](numbers)


class HeadlineProcessor:
    """Reads every feed stream that a metric uses and keeps `cc:kpi:<metric>` current."""

    def __init__(self, config: Config, client: redis.asyncio.Redis):
        self.client = client
        self.metrics = {mid: Metric(mid, spec) for mid, spec in config.metrics.items()}
        self.by_feed: dict[str, list[Metric]] = defaultdict(list)
        for metric in self.metrics.values():
            self.by_feed[metric.spec.feed].append(metric)

    async def start(self) -> None:
        """Create the consumer groups and reload every metric's entities."""
        for feed_id in self.by_feed:
            await ensure_group(self.client, feed_stream(feed_id), DERIVE_GROUP)
        for metric in self.metrics.values():
            stored = await self.client.hgetall(metric_entities(metric.id))
            metric.entities = {k.decode() if isinstance(k, bytes) else k: Entity.decode(v) for k, v in stored.items()}
        await self._publish(list(self.metrics.values()))

    async def run(self, stop: asyncio.Event) -> None:
        """Process entries until stop: first our own pending ones, then new ones."""
        await self.start()
        await self._drain(pending=True)
        last_sweep = asyncio.get_running_loop().time()
        while not stop.is_set():
            await self._drain(pending=False, block_ms=1000)
            now = asyncio.get_running_loop().time()
            if now - last_sweep >= WINDOW_SWEEP_EVERY:
                last_sweep = now
                await self.sweep_windows()

    async def _drain(self, pending: bool, block_ms: int | None = None) -> int:
        return await drain(self.client, DERIVE_GROUP, CONSUMER, [feed_stream(f) for f in self.by_feed],
                           self.process, pending, block_ms, READ_COUNT)

    async def process(self, entries: list[tuple[Any, tuple[Any, dict]]]) -> None:
        """Apply a batch of stream entries, persist the changed entities and figures, then ACK."""
        changed: dict[str, dict[str, Entity]] = defaultdict(dict)
        acks: dict[Any, list[Any]] = defaultdict(list)
        for stream, (entry_id, fields) in entries:
            acks[stream].append(entry_id)
            try:
                record = Record.decode(fields)
            except (KeyError, ValueError) as exc:
                log.error("skipping undecodable entry %s in %s: %s", entry_id, stream, exc)
                continue
            for metric in self.by_feed.get(record.feed_id, []):
                taken = metric.offer(record)
                if taken:
                    changed[metric.id][taken[0]] = taken[1]
        async with self.client.pipeline(transaction=True) as pipe:
            for metric_id, entities in changed.items():
                pipe.hset(metric_entities(metric_id), mapping={k: e.encode() for k, e in entities.items()})
            for stream, ids in acks.items():
                pipe.xack(stream, DERIVE_GROUP, *ids)
            await pipe.execute()
        await self._publish([self.metrics[m] for m in changed])

    async def sweep_windows(self) -> None:
        """Drop entities that left their metric's time window and republish those metrics."""
        now, touched = utc_now(), []
        for metric in self.metrics.values():
            gone = metric.expired(now)
            if gone:
                await self.client.hdel(metric_entities(metric.id), *gone)
                touched.append(metric)
        await self._publish(touched)

    async def _publish(self, metrics: list[Metric]) -> None:
        if not metrics:
            return
        async with self.client.pipeline(transaction=False) as pipe:
            for metric in metrics:
                encoded = metric.compute().encode()
                pipe.hset(kpi(metric.id), mapping=encoded)
                pipe.xadd(KPI_UPDATES, {"metric": metric.id, "value": encoded["value"], "updated": encoded["updated"]},
                          maxlen=KPI_UPDATES_KEEP, approximate=True)
            await pipe.execute()
