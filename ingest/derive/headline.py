"""Headline figures: a consumer group on each feed stream keeps every metric of config up to date.

Each metric remembers the latest record of each entity (a market's commodity, a hospital ward, a
complaint) and keeps one province figure and one per kab/kota as running state that a record
changes in logarithmic time (ingest/derive/incremental/figure.py), so a busy day costs per record
what a quiet one does. Screens read the result from `cc:kpi:<metric>` and are woken by
`cc:kpi-updates`; none of them scans raw streams. The entities live in Redis (`cc:entities:<metric>`):
a restart reads them back and first re-reads its own unacknowledged entries; a metric whose stored
state is missing (new in config, or its keys lost) is rebuilt from its feed stream.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any

import redis.asyncio

from core.config import Config
from core.streams import (
    DERIVE_GROUP,
    KPI_UPDATES,
    Record,
    as_text,
    feed_stream,
    kpi,
    metric_entities,
    metric_state,
    utc_now,
)
from ingest.derive.groups import READ_COUNT, drain, ensure_group
from ingest.derive.incremental.figure import Entity, RunningFigure

log = logging.getLogger("ingest.derive")

CONSUMER = "headline"
# Entities leave their window from the front of a time index, so looking every second costs nothing.
WINDOW_SWEEP_EVERY = 1.0
KPI_UPDATES_KEEP = 10_000
REBUILD_CHUNK = 10_000  # stream entries read per call when a metric is rebuilt
WRITE_CHUNK = 5_000     # entities written per command when a rebuilt metric is stored


class HeadlineProcessor:
    """Reads every feed stream that a metric uses and keeps `cc:kpi:<metric>` current."""

    def __init__(self, config: Config, client: redis.asyncio.Redis):
        self.client = client
        self.metrics = {mid: RunningFigure(mid, spec) for mid, spec in config.metrics.items()}
        self.by_feed: dict[str, list[RunningFigure]] = defaultdict(list)
        for metric in self.metrics.values():
            self.by_feed[metric.spec.feed].append(metric)

    async def start(self) -> None:
        """Create the consumer groups, read back every metric's entities (or rebuild them), publish once."""
        for feed_id in self.by_feed:
            await ensure_group(self.client, feed_stream(feed_id), DERIVE_GROUP)
        for metric in self.metrics.values():
            await self._load(metric)
        await self._publish(list(self.metrics.values()))

    async def _load(self, metric: RunningFigure) -> None:
        state = {as_text(k): as_text(v) for k, v in (await self.client.hgetall(metric_state(metric.id))).items()}
        async for key, text in self.client.hscan_iter(metric_entities(metric.id), count=WRITE_CHUNK):
            metric.put(as_text(key), Entity.decode(text))
        if state:
            metric.seen = state.get("seen") == "1" or bool(metric.entities)
            return
        await self._rebuild(metric)

    async def _rebuild(self, metric: RunningFigure) -> None:
        """Apply the feed stream up to what our group has read (later entries come through the group)."""
        stream = feed_stream(metric.spec.feed)
        groups = await self.client.xinfo_groups(stream)
        through = next((as_text(g["last-delivered-id"]) for g in groups if as_text(g["name"]) == DERIVE_GROUP), "0-0")
        start, applied = "-", 0
        while through != "0-0":
            entries = await self.client.xrange(stream, start, through, count=REBUILD_CHUNK)
            for entry_id, fields in entries:
                record = _decode(stream, entry_id, fields)
                if record is not None:
                    metric.offer(record)
            applied += len(entries)
            if len(entries) < REBUILD_CHUNK:
                break
            start = "(" + as_text(entries[-1][0])
        metric.expire(utc_now())
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(metric_entities(metric.id))
            items = list(metric.entities.items())
            for i in range(0, len(items), WRITE_CHUNK):
                pipe.hset(metric_entities(metric.id), mapping={k: e.encode() for k, e in items[i:i + WRITE_CHUNK]})
            pipe.hset(metric_state(metric.id), mapping={"seen": "1" if metric.seen else "0", "through": through})
            await pipe.execute()
        log.info("metric %s rebuilt from %s: %d entries, %d entities", metric.id, stream, applied,
                 len(metric.entities))

    async def run(self, stop: asyncio.Event) -> None:
        """Process entries until stop: first our own pending ones, then new ones; expire windows each second."""
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
            record = _decode(stream, entry_id, fields)
            if record is None:
                continue
            for metric in self.by_feed.get(record.feed_id, []):
                taken = metric.offer(record)
                if taken:
                    changed[metric.id][taken[0]] = taken[1]
        async with self.client.pipeline(transaction=True) as pipe:
            for metric_id, entities in changed.items():
                pipe.hset(metric_entities(metric_id), mapping={k: e.encode() for k, e in entities.items()})
                pipe.hset(metric_state(metric_id), "seen", "1")
            for stream, ids in acks.items():
                pipe.xack(stream, DERIVE_GROUP, *ids)
            await pipe.execute()
        await self._publish([self.metrics[m] for m in changed])

    async def sweep_windows(self) -> None:
        """Republish the metrics whose window lost entities since the last look."""
        now = utc_now()
        expired = {m.id: gone for m in self.metrics.values() if (gone := m.expire(now))}
        await self._publish([self.metrics[m] for m in expired], expired)

    async def _publish(self, metrics: list[RunningFigure], expired: dict[str, list[str]] | None = None) -> None:
        if not metrics:
            return
        now, expired = utc_now(), dict(expired or {})
        async with self.client.pipeline(transaction=False) as pipe:
            for metric in metrics:
                gone = expired.pop(metric.id, []) + metric.expire(now)
                for i in range(0, len(gone), WRITE_CHUNK):
                    pipe.hdel(metric_entities(metric.id), *gone[i:i + WRITE_CHUNK])
                encoded = metric.figure(now).encode()
                pipe.hset(kpi(metric.id), mapping=encoded)
                pipe.xadd(KPI_UPDATES, {"metric": metric.id, "value": encoded["value"], "updated": encoded["updated"]},
                          maxlen=KPI_UPDATES_KEEP, approximate=True)
            await pipe.execute()


def _decode(stream: Any, entry_id: Any, fields: dict) -> Record | None:
    try:
        return Record.decode(fields)
    except (KeyError, ValueError) as exc:
        log.error("skipping undecodable entry %s in %s: %s", as_text(entry_id), as_text(stream), exc)
        return None

