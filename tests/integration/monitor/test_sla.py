"""Uptime, the monthly SLA with maintenance left out, and p50/p95/p99 per hour and day, as the monitor
stores them, against an independent recount over the same stored results (second by second, numpy)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import aiohttp
import numpy as np

from core.clock import WIB, frozen
from core.redis import connect_async
from core.streams import from_iso, monitor_changes, monitor_detail, monitor_results, monitor_summary
from ingest.monitor.monitor import Monitor
from ingest.monitor.result import CheckResult
from tests.support.monitor import settings

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=WIB)
FIRST = datetime(2026, 11, 17, 12, 0, tzinfo=WIB)
ONE_OFF = (datetime(2026, 11, 19, 2, 0, tzinfo=WIB), datetime(2026, 11, 19, 3, 0, tzinfo=WIB))
OUTAGES = [  # (start, minutes): one inside the one-off window, one across a nightly window
    (datetime(2026, 11, 18, 9, 30, tzinfo=WIB), 47),
    (datetime(2026, 11, 17, 22, 50, tzinfo=WIB), 25),
    (datetime(2026, 11, 19, 1, 40, tzinfo=WIB), 50),
    (datetime(2026, 11, 20, 7, 5, tzinfo=WIB), 12),
]


def monitors():
    return settings(
        {"bpkad": {"name": "BPKAD", "services": {"sipd": {
            "name": "SIPD", "kind": "http", "target": "http://10.36.5.4/sipd", "down_after": 3, "up_after": 2}}}},
        maintenance=[
            {"title": "Migrasi server", "start": ONE_OFF[0].replace(tzinfo=None).isoformat(),
             "end": ONE_OFF[1].replace(tzinfo=None).isoformat()},
            {"title": "Cadangan malam", "services": ["bpkad"], "every": "day", "at": "23:00", "duration": "30m"},
        ])


def fixture_results() -> list[CheckResult]:
    rng = random.Random(36)
    out, t = [], FIRST
    while t < NOW:
        failing = any(s <= t < s + timedelta(minutes=m) for s, m in OUTAGES)
        # a small hiccup now and then: one failed check is not an outage (down_after 3)
        hiccup = rng.random() < 0.004
        ok = not failing and not hiccup
        ms = round(rng.lognormvariate(5, 0.6), 3) if ok else None
        out.append(CheckResult("sipd", t.astimezone(UTC), ok, ms, "" if ok else "HTTP 503"))
        t += timedelta(seconds=60 + rng.choice((-2, 0, 3)))
    return out


def in_maintenance(seconds: np.ndarray) -> np.ndarray:
    """The test's own reading of the two windows, for each second (Unix time) given."""
    of_day = (seconds + 7 * 3600) % 86400  # WIB is UTC+7 all year
    nightly = (of_day >= 23 * 3600) & (of_day < 23 * 3600 + 30 * 60)
    return nightly | ((seconds >= ONE_OFF[0].timestamp()) & (seconds < ONE_OFF[1].timestamp()))


def recount(changes: list[tuple[datetime, str]], start: datetime, end: datetime) -> float:
    """Availability in percent, counted second by second: one array element per second of the window."""
    times = np.array([t.timestamp() for t, _ in changes])
    states = np.array([s for _, s in changes])
    seconds = np.arange(max(start, changes[0][0]).timestamp(), end.timestamp())  # nothing counts before the first check
    state = states[np.searchsorted(times, seconds, side="right") - 1]
    counted = ~in_maintenance(seconds)
    up = np.count_nonzero(counted & np.isin(state, ("up", "degraded")))
    down = np.count_nonzero(counted & (state == "down"))
    return 100 * up / (up + down)


async def test_sla_and_percentiles_equal_an_independent_recount(redis_url):
    client = connect_async(redis_url, decode_responses=True)
    try:
        async with aiohttp.ClientSession() as session:
            monitor = Monitor(monitors(), client, session)
            with frozen(NOW):
                for result in fixture_results():
                    await monitor.apply(result)
                summary = await monitor.store.summarize("sipd")
        stored_figures = {**json.loads(await client.hget(monitor_summary(), "sipd")),
                          **json.loads(await client.hget(monitor_detail(), "sipd"))}
        assert stored_figures == summary

        stored = await client.xrange(monitor_changes("sipd"))
        changes = sorted((from_iso(f["at"]), f["state"]) for _, f in stored)
        assert [s for _, s in changes].count("down") == len(OUTAGES)  # hiccups never made an outage
        # Whole seconds make the second-by-second recount exact.
        assert all(t.microsecond == 0 for t, _ in changes)
        for key, start in (("24h", NOW - timedelta(hours=24)), ("7d", NOW - timedelta(days=7)),
                           ("30d", NOW - timedelta(days=30))):
            assert abs(summary["uptime"][key] - recount(changes, start, NOW)) < 0.01, key
        month = datetime(2026, 11, 1, tzinfo=WIB)
        assert abs(summary["sla_month"] - recount(changes, month, NOW)) < 0.01
        assert summary["sla_month"] < 100
        # Left out: the one-off window swallowed 20 minutes of the third outage.
        assert summary["maint_s_month"] > 3600

        results = await client.xrange(monitor_results("sipd"))
        by_hour: dict[str, list[float]] = {}
        for _, f in results:
            if f["ok"] == "1":
                by_hour.setdefault(from_iso(f["at"]).strftime("%Y-%m-%dT%H"), []).append(float(f["ms"]))
        checked = 0
        for hour in summary["hours"]:
            samples = by_hour.get(hour["hour"], [])
            for q in (50, 95, 99):
                if samples:
                    assert abs(hour[f"p{q}"] - float(np.percentile(samples, q))) < 1.0, (hour["hour"], q)
                    checked += 1
                else:
                    assert hour[f"p{q}"] is None
        assert checked >= 60
        today = [float(f["ms"]) for _, f in results
                 if f["ok"] == "1" and from_iso(f["at"]) >= datetime(2026, 11, 20, tzinfo=WIB)]
        for q in (50, 95, 99):
            assert abs(summary["day"][f"p{q}"] - float(np.percentile(today, q))) < 1.0
        # The daily bars: 90 WIB days, the day of the one-off window with maintenance seconds.
        assert len(summary["days"]) == 90 and summary["days"][-1]["date"] == "2026-11-20"
        day19 = next(d for d in summary["days"] if d["date"] == "2026-11-19")
        assert day19["maint_s"] == 3600 + 1800
        assert summary["days"][0]["pct"] is None  # before the first check: no bar, not 100 %
    finally:
        await client.aclose()
