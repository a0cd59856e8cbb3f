"""The monitor role (`run.py monitor`, inside `run.py all`): this probe's checks, results pushed by
probe agents and heartbeats, incidents and notifications, and the summary figures, until stopped."""

from __future__ import annotations

import asyncio
import logging

import aiohttp

from core.clock import monotonic, utc_now
from core.config import Config
from core.redis import REDIS_ERRORS, OutageLog, connect_async
from core.streams import as_text, from_iso, monitor_inbox, monitor_probe
from ingest.monitor.monitor import Monitor
from ingest.monitor.result import CheckResult
from ingest.monitor.scheduler import Scheduler
from ingest.monitor.sla import percentile

log = logging.getLogger("monitor")
SUMMARY_EVERY_S = 30.0
TICK_S = 1.0
INBOX_BLOCK_MS = 2000


async def follow_inbox(monitor: Monitor, stop: asyncio.Event) -> None:
    """Apply what probe agents and push heartbeats sent through the ingest API, a result at a time."""
    client = monitor.client
    last = "$"
    outage = OutageLog(log, "inbox: Redis unavailable ({error}); retrying every second", "inbox: Redis reachable again")
    while not stop.is_set():
        try:
            reply = await client.xread({monitor_inbox(): last}, block=INBOX_BLOCK_MS, count=500)
        except REDIS_ERRORS as exc:
            outage.failed(exc)
            await asyncio.sleep(1)
            continue
        outage.worked()
        for _, entries in reply or []:
            for entry_id, fields in entries:
                last = entry_id
                try:
                    result = CheckResult.decode(fields)
                except (KeyError, ValueError) as exc:
                    log.warning("inbox entry %s unreadable: %s", entry_id, exc)
                    continue
                svc = monitor.services.get(result.service)
                if svc is None or svc[1].probe != result.probe:
                    continue  # the ingest API checks this too; a result from the wrong probe never counts
                await monitor.apply(result)


async def watch_probes(monitor: Monitor) -> None:
    """A probe agent silent for three of its longest intervals is offline: its services turn unknown
    (not DOWN), and it is said once."""
    now = utc_now()
    for probe, probe_settings in monitor.settings.probes.items():
        theirs = [sid for sid, (_, svc) in monitor.services.items() if svc.probe == probe]
        if not theirs:
            continue
        limit = 3 * max(monitor.services[sid][1].interval for sid in theirs)
        seen = await monitor.client.hget(monitor_probe(probe), "seen")
        seen_at = from_iso(as_text(seen)) if seen else None
        silent = seen_at is None or (now - seen_at).total_seconds() > limit
        if not silent:
            continue
        reason = f"probe {probe_settings.name} tidak melapor"
        changes = [c for sid in theirs if (c := monitor.trackers[sid].mark_unknown(now, reason))]
        if changes:
            await monitor.store.changes(changes, {sid: monitor.state_of(sid) for sid in theirs})
            await monitor.client.hset(monitor_probe(probe), mapping={"state": "offline", "reason": reason,
                                                                       "name": probe_settings.name})
            if seen_at is not None:
                await monitor.desk.tell_probe(False, probe, reason, now)


async def keep_figures(monitor: Monitor, scheduler: Scheduler, stop: asyncio.Event) -> None:
    """Every second: notifications due and this probe's health; every 30 s the summary figures."""
    last_summary = -1e9
    outage = OutageLog(log, "monitor: Redis unavailable ({error})", "monitor: Redis reachable again")
    while not stop.is_set():
        try:
            now = utc_now()
            await monitor.desk.tick(now)
            await watch_probes(monitor)
            lateness = list(scheduler.lateness)[-2000:]
            await monitor.write_probe(now, checks=scheduler.started,
                                      lateness_p95_s=round(percentile(lateness, 95) or 0.0, 3))
            if monotonic() - last_summary >= SUMMARY_EVERY_S:
                last_summary = monotonic()
                await monitor.summarize(now)
            outage.worked()
        except REDIS_ERRORS as exc:
            outage.failed(exc)
        except Exception:
            log.exception("monitor upkeep failed")
        try:
            await asyncio.wait_for(stop.wait(), TICK_S)
        except TimeoutError:
            pass


async def run_monitor(config: Config, redis_url: str, stop: asyncio.Event) -> None:
    """Check every service of the central probe and keep the IT control center's figures until `stop`."""
    settings = config.monitors
    client = connect_async(redis_url)
    async with aiohttp.ClientSession(headers={"User-Agent": "BantenCommandCenter-Monitor/1"}) as session:
        monitor = Monitor(settings, client, session)
        await monitor.restore()
        scheduler = Scheduler(monitor.own(), monitor.check, settings.concurrency)
        await client.delete(monitor_probe(monitor.probe))
        log.info("monitor: %d services (%d checked here), %d OPDs", len(monitor.services), len(monitor.own()),
                 len(settings.opds))
        try:
            await asyncio.gather(scheduler.run(stop), follow_inbox(monitor, stop),
                                 keep_figures(monitor, scheduler, stop))
        finally:
            await client.aclose()
