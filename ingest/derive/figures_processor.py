"""The figures of every application of core/apps.py per unit, kab/kota and province, kept by one
consumer group.

Each batch of entries goes to the application it belongs to (its `derive` class named in
core/apps.py: pormas.py, disikap.py, ...); the units it changed are recomputed, then their kab/kota
and the province, and everything is written with the entries' acknowledgement in one transaction,
so a restart neither loses nor repeats a record. Screens read the hashes of core/streams.py
(`app_regions`, `app_units`, `app_records`, `app_trend`) and are woken by `cc:kpi-updates`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import redis.asyncio

from core import apps
from core.config import Config
from core.regions import PROVINCE_CODE, region_name
from core.streams import (
    FIGURES_GROUP,
    KPI_UPDATES,
    Record,
    app_record_times,
    app_records,
    app_regions,
    app_trend,
    app_units,
    as_text,
    feed_stream,
    from_iso,
    utc_now,
)
from ingest.derive.alert_book import AlertBook
from ingest.derive.application import ApplicationFigures, Figures
from ingest.derive.groups import Entries, drain, ensure_group
from ingest.derive.ledger import EVENT_TIME, Place
from ingest.derive.trend import Trend, wib_day

log = logging.getLogger("ingest.derive.figures")

CONSUMER = "figures"
# Service levels and stage deadlines pass with the clock, without a new record: look again this often.
SWEEP_EVERY = 60.0
KPI_UPDATES_KEEP = 10_000


def derive_classes() -> dict[str, type[ApplicationFigures]]:
    """Each registered application's figures class, loaded from its `derive` name in core/apps.py."""
    out = {}
    for app in apps.all_applications():
        cls = apps.load(app, "derive")
        if not (isinstance(cls, type) and issubclass(cls, ApplicationFigures)):
            raise apps.ApplicationError(f"application {app.id}: derive '{app.derive}' is not an ApplicationFigures")
        if cls.application != app.id:
            raise apps.ApplicationError(
                f"application {app.id}: derive '{app.derive}' says it is '{cls.application}'")
        out[app.id] = cls
    return out


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


class FiguresProcessor:
    """Keeps every application's figures at each drill level, from its own consumer group."""

    def __init__(self, config: Config, client: redis.asyncio.Redis, applications: Iterable[str] | None = None):
        """Every application's figures, or those of `applications` only (a derive process's share)."""
        self.client = client
        self.apps: dict[str, ApplicationFigures] = {
            app_id: cls(config.alerts) for app_id, cls in derive_classes().items()
            if applications is None or app_id in applications}
        self.streams = [feed_stream(f) for f, feed in config.feeds.items() if feed.application in self.apps]
        self.book = AlertBook()
        # application -> region -> unit -> figures, and application -> region -> the region's figures
        self.unit_figures: dict[str, dict[str, dict[str, Figures]]] = {a: defaultdict(dict) for a in self.apps}
        self.region_figures: dict[str, dict[str, Figures]] = {a: {} for a in self.apps}
        self.trends: dict[tuple[str, str], Trend] = {}
        # application -> region -> the figures last written to app_regions (what screens show)
        self.shown: dict[str, dict[str, Figures]] = {a: {} for a in self.apps}

    async def start(self) -> None:
        """Create the groups, read back every application's records, alerts and series, publish once."""
        for stream in self.streams:
            await ensure_group(self.client, stream, FIGURES_GROUP)
        await self.book.load(self.client)
        touched: dict[str, set[Place]] = {}
        for app_id, app in self.apps.items():
            regions = {as_text(r) for r in await self.client.hkeys(app_regions(app_id))} | {PROVINCE_CODE}
            async with self.client.pipeline(transaction=False) as pipe:
                for region in sorted(regions):
                    pipe.hkeys(app_units(app_id, region))
                    pipe.hgetall(app_trend(app_id, region))
                answers = await pipe.execute()
            places = []
            for i, region in enumerate(sorted(regions)):
                places += [(region, as_text(u)) for u in answers[2 * i]]
                if answers[2 * i + 1]:
                    self.trends[(app_id, region)] = Trend.decode(answers[2 * i + 1])
            async with self.client.pipeline(transaction=False) as pipe:
                for region, unit in places:
                    pipe.hgetall(app_records(app_id, region, unit))
                stored = await pipe.execute()
            async with self.client.pipeline(transaction=False) as pipe:
                for place, rows in zip(places, stored):
                    loaded = {as_text(k): json.loads(v) for k, v in rows.items()}
                    app.ledger.load(place, loaded)
                    if loaded:  # the time index pages read, rebuilt from the records (a key lost or older)
                        pipe.zadd(app_record_times(app_id, *place), {k: _event_score(r) for k, r in loaded.items()})
                await pipe.execute()
            app.loaded()
            touched[app_id] = set(places)
        await self._write(touched, utc_now(), {}, None)

    async def run(self, stop: asyncio.Event) -> None:
        """Process entries until stop: first our own pending ones, then new ones; sweep the clock-bound figures."""
        await self.start()
        await drain(self.client, FIGURES_GROUP, CONSUMER, self.streams, self.process, pending=True)
        loop = asyncio.get_running_loop()
        last_sweep = loop.time()
        while not stop.is_set():
            await drain(self.client, FIGURES_GROUP, CONSUMER, self.streams, self.process, pending=False, block_ms=1000)
            if loop.time() - last_sweep >= SWEEP_EVERY:
                last_sweep = loop.time()
                await self.sweep()

    async def process(self, entries: Entries, now: datetime | None = None) -> None:
        """Apply a batch of stream entries, write the changed figures and acknowledge, in one transaction."""
        now = now or utc_now()
        touched: dict[str, set[Place]] = defaultdict(set)
        acks: dict[Any, list[Any]] = defaultdict(list)
        through = None
        for app_id, app in self.apps.items():
            if app.incremental:
                touched[app_id] |= app.tick(now)  # service levels that passed since the last look
        for stream, (entry_id, fields) in entries:
            acks[stream].append(entry_id)
            through = max(through or as_text(entry_id), as_text(entry_id), key=_entry_order)
            try:
                record = Record.decode(fields)
                app = self.apps.get(record.application)
                if app is not None:
                    touched[record.application] |= app.apply(record, now)
            except Exception:  # noqa: BLE001
                # One odd record must not stop the figures of every other one, nor come back forever.
                log.exception("skipping entry %s in %s", as_text(entry_id), as_text(stream))
        await self._write(touched, now, acks, through)

    async def sweep(self, now: datetime | None = None) -> None:
        """Recompute the figures that change with the clock (service levels, overdue stages)."""
        now = now or utc_now()
        touched = {}
        for app_id, app in self.apps.items():
            expired = app.expire(now)
            if app.incremental:
                # Every unit once (its figures are kept, not recounted): regions see the clock move too.
                touched[app_id] = app.tick(now) | expired | set(app.ledger.units)
            elif app.time_dependent or expired:
                touched[app_id] = set(app.ledger.units) | expired
        await self._write(touched, now, {}, None)
        await self._carry_trends(now)

    async def _carry_trends(self, now: datetime) -> None:
        """Give today's point to every series that had no record today: the value that stands holds.

        A day's point is the value as it stood at the end of that WIB day, so a quiet day (no new
        BPS figure, no camera change) still has one, and "dari kemarin" always has a yesterday.
        """
        day = wib_day(now)
        async with self.client.pipeline(transaction=True) as pipe:
            for app_id, regions in self.shown.items():
                for region, figures in regions.items():
                    changes = self.trends.setdefault((app_id, region), Trend()).record(
                        day, self.apps[app_id].trend(figures))
                    if changes:
                        pipe.hset(app_trend(app_id, region), mapping=changes)
            await pipe.execute()

    async def _write(self, touched: dict[str, set[Place]], now: datetime, acks: dict[Any, list[Any]],
                     through: str | None) -> None:
        day = wib_day(now)
        async with self.client.pipeline(transaction=True) as pipe:
            for app_id, places in touched.items():
                if places or self.apps[app_id].ledger.changed:
                    self._write_application(pipe, app_id, places, now, day, through)
            for stream, ids in acks.items():
                pipe.xack(stream, FIGURES_GROUP, *ids)
            await pipe.execute()

    def _write_application(self, pipe: Any, app_id: str, places: set[Place], now: datetime, day: str,
                           through: str | None) -> None:
        app = self.apps[app_id]
        changed, removed = app.ledger.take_changes()
        for (region, unit), rows in changed.items():
            pipe.hset(app_records(app_id, region, unit), mapping={k: _dumps(r) for k, r in rows.items()})
            pipe.zadd(app_record_times(app_id, region, unit), {k: _event_score(r) for k, r in rows.items()})
        for (region, unit), keys in removed.items():
            pipe.hdel(app_records(app_id, region, unit), *keys)
            pipe.zrem(app_record_times(app_id, region, unit), *keys)
        units = self.unit_figures[app_id]
        regions = set()
        for region, unit in places | changed.keys() | removed.keys():
            regions.add(region)
            rows = app.ledger.units.get((region, unit))
            holding = []
            if rows:
                figures = app.unit_figures((region, unit), rows, now)
                figures.update(unit=unit, region=region, updated=app.newest((region, unit), rows))
                units[region][unit] = figures
                pipe.hset(app_units(app_id, region), unit, _dumps(figures))
                if not app.incremental:
                    holding = app.unit_alerts((region, unit), rows, figures, now)
            elif units[region].pop(unit, None) is not None:
                pipe.hdel(app_units(app_id, region), unit)
            if not app.incremental:
                self.book.judge((app_id, region, unit), holding, pipe)
        for (region, unit), keys in app.take_alert_rows().items():
            holding = [alert for key in keys if (row := app.ledger.get((region, unit), key)) is not None
                       for alert in app.row_alerts((region, unit), key, row, now)]
            self.book.judge((app_id, region, unit), holding, pipe, among=set().union(*map(app.alert_ids, keys)))
        if not regions:
            return
        own = self.region_figures[app_id]
        for region in regions:
            own[region] = self._region(app, region, list(units[region].values()), now)
        kabkota = {r: f for r, f in own.items() if r != PROVINCE_CODE and f is not None}
        if app.own_province:
            province = own.get(PROVINCE_CODE)
        else:
            # Records placed at the province (a tender without a kab/kota) count in its total only.
            parts = list(kabkota.values()) + ([own[PROVINCE_CODE]] if own.get(PROVINCE_CODE) else [])
            province = self._region(app, PROVINCE_CODE, parts, now)
        shown = {r: kabkota[r] for r in regions if r in kabkota}
        if province is not None:
            shown[PROVINCE_CODE] = province
        if shown:
            pipe.hset(app_regions(app_id), mapping={r: _dumps(f) for r, f in shown.items()})
        gone = [r for r in regions if r != PROVINCE_CODE and r not in kabkota]
        if gone:
            pipe.hdel(app_regions(app_id), *gone)
        for region in gone:
            self.shown[app_id].pop(region, None)
        self.shown[app_id].update(shown)
        for region, figures in shown.items():
            trend = self.trends.setdefault((app_id, region), Trend())
            changes = trend.record(day, app.trend(figures))
            if changes:
                pipe.hset(app_trend(app_id, region), mapping=changes)
        update = {"app": app_id, "regions": ",".join(sorted(shown)), "updated": (province or {}).get("updated") or ""}
        if through:
            update["through"] = through
        pipe.xadd(KPI_UPDATES, update, maxlen=KPI_UPDATES_KEEP, approximate=True)

    @staticmethod
    def _region(app: ApplicationFigures, region: str, parts: list[Figures], now: datetime) -> Figures | None:
        if not parts:
            return None
        figures = app.combine(parts)
        figures.update(app.region_figures(region, now))
        figures.update(region=region, name=region_name(region), units=sum(p.get("units", 1) for p in parts)
                       if region == PROVINCE_CODE and not app.own_province else len(parts),
                       updated=max((p.get("updated") or "" for p in parts), default="") or None)
        return figures



def _event_score(row: dict) -> float:
    """A record's event time as its score in the unit's time index."""
    try:
        return from_iso(row[EVENT_TIME]).timestamp()
    except (KeyError, TypeError, ValueError):
        return 0.0


def _entry_order(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)
