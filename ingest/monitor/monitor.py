"""The monitor's heart: results in (from this process's checks, probe agents and push heartbeats),
states, incidents and stored figures out."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

import aiohttp
import redis.asyncio

from core.clock import utc_now
from core.monitors import CENTRAL_PROBE, MonitorSettings
from core.streams import as_text, from_iso, monitor_probe, monitor_state, to_iso
from ingest.monitor.checks import KINDS
from ingest.monitor.checks.context import CheckContext
from ingest.monitor.incidents import IncidentDesk
from ingest.monitor.result import CheckResult
from ingest.monitor.state import Tracker
from ingest.monitor.store import Store
from ingest.monitor.uplink import Uplink

log = logging.getLogger("monitor")


class Monitor:
    def __init__(self, settings: MonitorSettings, client: redis.asyncio.Redis, session: aiohttp.ClientSession,
                 probe: str = CENTRAL_PROBE):
        self.settings = settings
        self.client = client
        self.probe = probe
        self.services = settings.services()
        self.trackers = {sid: Tracker(sid, svc) for sid, (_, svc) in self.services.items()}
        self.store = Store(client, settings)
        self.desk = IncidentDesk(settings, client, session, self.trackers)
        self.uplink = Uplink(settings.uplink)
        self.context = CheckContext(session, client)
        self.offline_since: datetime | None = None

    async def restore(self) -> None:
        """Take up each service's state where the last run left it (a restart is no state change;
        counters start again). Open incidents are not carried over: a service still down after a
        restart is told about again only if it goes down anew."""
        stored = await self.client.hgetall(monitor_state())
        for key, text in stored.items():
            sid = as_text(key)
            if sid not in self.trackers:
                continue
            try:
                data = json.loads(text)
                since = from_iso(data["since"]) if data.get("since") else None
            except (ValueError, KeyError, TypeError):
                continue
            if data.get("state") in ("up", "degraded", "down"):
                self.trackers[sid].state, self.trackers[sid].since = data["state"], since
                self.trackers[sid].reason = data.get("reason") or ""

    def own(self) -> dict:
        """The services this process checks itself."""
        return {sid: svc for sid, (_, svc) in self.services.items() if svc.probe == self.probe}

    async def check(self, service: str) -> bool:
        """Run one service's check now and apply it; whether it succeeded."""
        svc = self.services[service][1]
        outcome = await KINDS[svc.kind].check(service, svc, self.context)
        result = CheckResult.of(service, utc_now(), outcome, self.probe)
        if not result.ok and not await self.uplink.reachable():
            await self.went_blind(result.at)
            return False
        if self.offline_since is not None:  # an answer, or the uplink again: the probe sees
            await self.sees_again(result.at)
        await self.apply(result)
        return result.ok

    def state_of(self, service: str) -> dict[str, Any]:
        tracker = self.trackers[service]
        last = tracker.last
        return {"state": tracker.state, "since": to_iso(tracker.since) if tracker.since else None,
                "reason": tracker.reason, "ms": last.ms if last else None, "ok": last.ok if last else None,
                "at": to_iso(last.at) if last else None, "last_reason": last.reason if last else "",
                "cert_expires": to_iso(last.cert_expires) if last and last.cert_expires else None,
                "opd": self.services[service][0], "probe": self.services[service][1].probe,
                **self.desk.state_extra(service)}

    async def apply(self, result: CheckResult) -> None:
        """A result for a service (ours or a probe agent's): its state, incident and stored figures."""
        if result.service not in self.trackers:
            return
        tracker = self.trackers[result.service]
        change = tracker.apply(result)
        if change is not None:
            self.desk.on_change(change)
            log.info("%s: %s -> %s %s", change.service, change.old, change.new, change.reason)
        await self.store.record(result, tracker, change, self.state_of(result.service))

    async def went_blind(self, at: datetime) -> None:
        """The probe's own network is down: every service it checks is unknown, none is DOWN."""
        if self.offline_since is not None:
            return
        self.offline_since = at
        log.warning("probe %s offline: %s", self.probe, self.uplink.reason)
        changes = [c for sid in self.own() if (c := self.trackers[sid].mark_unknown(at, "monitor offline"))]
        await self.store.changes(changes, {sid: self.state_of(sid) for sid in self.own()})
        await self.write_probe(at)
        await self.desk.tell_probe(False, self.probe, self.uplink.reason, at)

    async def sees_again(self, at: datetime) -> None:
        log.info("probe %s online again", self.probe)
        self.offline_since = None
        await self.write_probe(at)
        await self.desk.tell_probe(True, self.probe, "", at)

    async def write_probe(self, at: datetime, **extra: Any) -> None:
        online = self.offline_since is None
        await self.client.hset(monitor_probe(self.probe), mapping={
            "state": "online" if online else "offline", "since": to_iso(self.offline_since or at),
            "seen": to_iso(at), "reason": "" if online else self.uplink.reason,
            **{k: json.dumps(v) if not isinstance(v, str) else v for k, v in extra.items()}})

    async def summarize(self, now: datetime | None = None) -> None:
        for service in self.services:
            await self.store.summarize(service, now)
