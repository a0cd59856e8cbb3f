"""What the monitor keeps in Redis: each result, the state hash, the state-change timeline, hourly
response-time samples, and the summary figures every screen reads (uptime, SLA, percentiles, 90 days).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import redis.asyncio

from core.clock import WIB, utc_now
from core.monitors import MonitorSettings
from core.streams import (
    as_text,
    from_iso,
    monitor_changes,
    monitor_detail,
    monitor_events,
    monitor_hours,
    monitor_results,
    monitor_state,
    monitor_summary,
    to_iso,
)
from ingest.monitor.result import CheckResult
from ingest.monitor.sla import availability, days_back, month_start, percentile
from ingest.monitor.state import Change, Tracker

HISTORY_DAYS = 90      # daily bars on the public status page
HOURS_KEPT_DAYS = 35   # hourly samples: a month's percentiles and a little more
SPARK = 30             # response times on a wall sparkline
EVENTS_MAXLEN = 50_000


def hour_key(t: datetime) -> str:
    """The UTC hour a result belongs to; WIB hours are the same hours (UTC+7)."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H")



@dataclass
class HourBucket:
    key: str
    ms: list[float] = field(default_factory=list)
    n: int = 0
    failed: int = 0

    def encode(self) -> str:
        return json.dumps({"ms": self.ms, "n": self.n, "failed": self.failed}, separators=(",", ":"))


class Store:
    def __init__(self, client: redis.asyncio.Redis, settings: MonitorSettings):
        self.client = client
        self.settings = settings
        self.hours: dict[str, HourBucket] = {}

    async def _bucket(self, service: str, key: str) -> HourBucket:
        bucket = self.hours.get(service)
        if bucket is None or bucket.key != key:
            stored = await self.client.hget(monitor_hours(service), key)  # a restart within the hour
            data = json.loads(stored) if stored else {}
            bucket = HourBucket(key, list(data.get("ms", [])), int(data.get("n", 0)), int(data.get("failed", 0)))
            self.hours[service] = bucket
        return bucket

    async def record(self, result: CheckResult, tracker: Tracker, change: Change | None,
                     state: dict[str, Any]) -> None:
        """One result: its stream entry, the hour's samples, the state hash, and the change if any."""
        bucket = await self._bucket(result.service, hour_key(result.at))
        bucket.n += 1
        if result.ok and result.ms is not None:
            bucket.ms.append(round(result.ms, 3))
        if not result.ok:
            bucket.failed += 1
        keep_ms = int(self.settings.keep_results * 1000)
        entry = dict(result.encode(), state=tracker.state)
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.xadd(monitor_results(result.service), entry,
                      minid=f"{int(result.at.timestamp() * 1000) - keep_ms}-0", approximate=True)
            pipe.hset(monitor_hours(result.service), bucket.key, bucket.encode())
            pipe.hset(monitor_state(), result.service, json.dumps(state, separators=(",", ":")))
            if change is not None:
                self._change(pipe, change)
            await pipe.execute()

    def _change(self, pipe, change: Change) -> None:
        fields = {"service": change.service, "old": change.old, "state": change.new, "at": to_iso(change.at),
                  "reason": change.reason[:300]}
        oldest = int((change.at - timedelta(days=HISTORY_DAYS + 2)).timestamp() * 1000)
        pipe.xadd(monitor_changes(change.service), fields, minid=f"{oldest}-0", approximate=True)
        pipe.xadd(monitor_events(), dict(fields, kind="state"), maxlen=EVENTS_MAXLEN, approximate=True)

    async def changes(self, changes: list[Change], states: dict[str, dict[str, Any]]) -> None:
        """State changes without a result of their own (the probe went blind, or saw again)."""
        async with self.client.pipeline(transaction=False) as pipe:
            for change in changes:
                self._change(pipe, change)
            for service, state in states.items():
                pipe.hset(monitor_state(), service, json.dumps(state, separators=(",", ":")))
            await pipe.execute()

    async def timeline(self, service: str, since: datetime) -> list[tuple[datetime, str]]:
        """The state changes of a service from `since` on, with the state it was in at `since` first."""
        entries = await self.client.xrange(monitor_changes(service))
        out = []
        for _, fields in entries:
            f = {as_text(k): as_text(v) for k, v in fields.items()}
            out.append((from_iso(f["at"]), f["state"]))
        out.sort(key=lambda x: x[0])
        before = [c for c in out if c[0] <= since]
        return ([before[-1]] if before else []) + [c for c in out if c[0] > since]

    async def summarize(self, service: str, now: datetime | None = None) -> dict[str, Any]:
        """Uptime over 24 h / 7 d / 30 d, this month's SLA, p50/p95/p99 per hour and day, 90 daily bars."""
        now = now or utc_now()
        wib_now = now.astimezone(WIB)
        today = wib_now.replace(hour=0, minute=0, second=0, microsecond=0)
        oldest = today - timedelta(days=HISTORY_DAYS - 1)
        timeline = await self.timeline(service, oldest)
        spans = self.maintenance(service, oldest, now)

        def pct(start: datetime, end: datetime) -> float | None:
            return availability(timeline, start, end, spans).pct

        month = month_start(wib_now)
        sla = availability(timeline, month, now, spans)
        days = []
        for start, end in days_back(today, HISTORY_DAYS):
            a = availability(timeline, start, min(end, now), spans)
            days.append({"date": start.date().isoformat(), "pct": a.pct, "down_s": round(a.down_s),
                         "maint_s": round(a.excluded_s)})
        hours = {k: json.loads(v) for k, v in (await self.client.hgetall(monitor_hours(service))).items()}
        hours = {as_text(k): v for k, v in hours.items()}
        this_hour = hour_key(now)
        day_keys = [hour_key(today + timedelta(hours=h)) for h in range(24)]
        last_24 = [hour_key(now - timedelta(hours=h)) for h in range(23, -1, -1)]

        def quantiles(samples: list[float]) -> dict[str, float | None]:
            return {f"p{q}": percentile(samples, q) for q in (50, 95, 99)}

        recent = await self.client.xrevrange(monitor_results(service), count=SPARK)
        spark = []
        for _, fields in reversed(recent):
            f = {as_text(k): as_text(v) for k, v in fields.items()}
            spark.append(float(f["ms"]) if f.get("ms") and f.get("ok") == "1" else None)
        summary = {
            "uptime": {"24h": pct(now - timedelta(hours=24), now), "7d": pct(now - timedelta(days=7), now),
                       "30d": pct(now - timedelta(days=30), now)},
            "sla_month": sla.pct, "month": wib_now.strftime("%Y-%m"), "down_s_month": round(sla.down_s),
            "up_s_month": round(sla.up_s),
            "maint_s_month": round(sla.excluded_s), "sla_target": self.settings.sla_target,
            "hour": quantiles(hours.get(this_hour, {}).get("ms", [])),
            "day": quantiles([ms for k in day_keys for ms in hours.get(k, {}).get("ms", [])]),
            "spark": spark,
            "at": to_iso(now),
        }
        detail = {
            "hours": [dict(hour=k, n=hours.get(k, {}).get("n", 0), **quantiles(hours.get(k, {}).get("ms", [])))
                      for k in last_24],
            "days": days,
        }
        stale = [k for k in hours if k < hour_key(now - timedelta(days=HOURS_KEPT_DAYS))]
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.hset(monitor_summary(), service, json.dumps(summary, separators=(",", ":")))
            pipe.hset(monitor_detail(), service, json.dumps(detail, separators=(",", ":")))
            if stale:
                pipe.hdel(monitor_hours(service), *stale)
            await pipe.execute()
        return {**summary, **detail}

    def maintenance(self, service: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The maintenance spans that cover a service within [start, end)."""
        services = self.settings.services()
        opd = services[service][0] if service in services else ""
        return [span for w in self.settings.maintenance if w.covers(service, opd) for span in w.spans(start, end)]
