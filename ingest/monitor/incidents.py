"""Incidents and who is told: one incident per root cause, named with everything it takes down.

A service that goes DOWN while one of its parents is down joins the parent's incident (its own
alert is suppressed; its checks go on). The first notification of an incident waits `group_wait`, so
children confirmed a moment after their parent (or a parent confirmed after its children) end up in
the one message; an incident resolved within that wait was a blip and tells nobody. Until someone
acknowledges it, an open incident is told again every `renotify_every`. Nothing is sent for a
service inside a maintenance window.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import redis.asyncio

from core.clock import WIB, utc_now
from core.monitors import MonitorSettings
from core.streams import monitor_ack, monitor_events, monitor_incidents, monitor_notifications, to_iso
from ingest.monitor.checks.certificate import days_left
from ingest.monitor.state import Change, Tracker
from ingest.notify import Message, NotifyError, deliver

log = logging.getLogger("monitor.incidents")
NOTIFICATIONS_MAXLEN = 20_000


@dataclass
class Incident:
    id: str
    root: str
    opened: datetime
    reason: str
    affected: list[str] = field(default_factory=list)  # children down with the root, in order
    maintenance: bool = False
    notified_at: datetime | None = None
    resolved: datetime | None = None
    told: int = 0

    def encode(self, names: dict[str, str]) -> str:
        data = asdict(self)
        for key in ("opened", "notified_at", "resolved"):
            data[key] = to_iso(data[key]) if data[key] else None
        data["root_name"] = names.get(self.root, self.root)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def wib_clock(t: datetime) -> str:
    return t.astimezone(WIB).strftime("%d-%m-%Y %H.%M %Z")


class IncidentDesk:
    def __init__(self, settings: MonitorSettings, client: redis.asyncio.Redis, session: aiohttp.ClientSession,
                 trackers: dict[str, Tracker]):
        self.settings = settings
        self.client = client
        self.session = session
        self.trackers = trackers
        self.services = settings.services()
        self.open: dict[str, Incident] = {}  # by id
        self.degraded_told: dict[str, datetime] = {}
        # Degraded services wait group_wait too: a first failure on the way to DOWN tells nobody.
        self.degraded_since: dict[str, datetime] = {}
        self.cert_told: dict[str, str] = {}
        self._dirty: set[str] = set()
        self._merged: set[str] = set()  # stored incidents folded into their parent's: removed from Redis
        self._count = 0

    # --- names and routes ---------------------------------------------------------------------------

    def label(self, service: str) -> str:
        opd_id, svc = self.services[service]
        opd = self.settings.opds[opd_id]
        return f"{svc.name} ({opd.short or opd.name})"

    def channels(self, services: list[str]) -> list[str]:
        """Every OPD's own channels for these services, and the ones told about all services."""
        out = list(self.settings.notify)
        for service in services:
            out += self.settings.opds[self.services[service][0]].notify
        return list(dict.fromkeys(out))

    def incident_of(self, service: str) -> Incident | None:
        """The open incident a service is the root or a member of."""
        for incident in self.open.values():
            if incident.root == service or service in incident.affected:
                return incident
        return None

    def suppressed_by(self, service: str) -> str | None:
        """The root cause a DOWN service is counted under, when that is another service."""
        incident = self.incident_of(service)
        if incident is not None and incident.root != service:
            return incident.root
        return next((a for a in self.settings.ancestors(service)
                     if a in self.trackers and self.trackers[a].state == "down"), None)

    # --- changes ------------------------------------------------------------------------------------

    def on_change(self, change: Change) -> None:
        service = change.service
        if change.new == "down":
            if self.incident_of(service) is not None:
                return
            parent = next((self.incident_of(a) for a in self.settings.ancestors(service) if self.incident_of(a)), None)
            if parent is not None:
                parent.affected.append(service)
                self._dirty.add(parent.id)
                return
            self._count += 1
            incident = Incident(f"{service}-{int(change.at.timestamp())}-{self._count}", service, change.at,
                                change.reason, maintenance=self.settings.in_maintenance(service, change.at) is not None)
            self.open[incident.id] = incident
            self._dirty.add(incident.id)
        elif change.old == "down" and change.new in ("up", "degraded"):
            incident = self.incident_of(service)
            if incident is not None and incident.root == service:
                incident.resolved = change.at
                self._dirty.add(incident.id)
        if change.new == "degraded" and change.old == "up":
            self.degraded_since[service] = change.at

    def _merge(self) -> None:
        """An incident not yet told whose root turned out to sit under another open incident joins it."""
        for incident in sorted(self.open.values(), key=lambda i: -len(self.settings.ancestors(i.root))):
            if incident.notified_at is not None or incident.resolved is not None:
                continue
            host = next((self.incident_of(a) for a in self.settings.ancestors(incident.root)
                         if self.incident_of(a) and self.incident_of(a) is not incident), None)
            if host is not None and host.resolved is None:
                host.affected += [s for s in [incident.root, *incident.affected] if s not in host.affected]
                del self.open[incident.id]
                self._merged.add(incident.id)
                self._dirty.add(host.id)

    async def tick(self, now: datetime | None = None) -> None:
        """Send what is due: new incidents past group_wait, resolutions, reminders, degraded, certificates."""
        now = now or utc_now()
        self._merge()
        if self._merged:
            await self.client.hdel(monitor_incidents(), *self._merged)
            self._merged.clear()
        wait = timedelta(seconds=self.settings.group_wait)
        for incident in list(self.open.values()):
            quiet = incident.maintenance or self.settings.in_maintenance(incident.root, now) is not None
            if incident.resolved is not None:
                if incident.notified_at is not None and not quiet:
                    await self._tell(incident, "up", now)
                del self.open[incident.id]
                await self._save(incident, now)
                self._reopen_children(incident, now)
                continue
            if incident.notified_at is None and now - incident.opened >= wait:
                if quiet:
                    incident.notified_at = now  # nobody is told in maintenance; the incident is still kept
                else:
                    await self._tell(incident, "down", now)
                self._dirty.add(incident.id)
            elif (incident.notified_at is not None and not quiet
                  and now - incident.notified_at >= timedelta(seconds=self.settings.renotify_every)
                  and not await self.client.exists(monitor_ack(incident.id))):
                await self._tell(incident, "reminder", now)
                self._dirty.add(incident.id)
        for service, since in list(self.degraded_since.items()):
            if self.trackers[service].state != "degraded":
                del self.degraded_since[service]
            elif now - since >= wait:
                del self.degraded_since[service]
                await self._degraded(service, now)
        await self._certificates(now)
        for incident_id in list(self._dirty):
            if incident_id in self.open:
                await self._save(self.open[incident_id], now)
        self._dirty.clear()

    def _reopen_children(self, incident: Incident, now: datetime) -> None:
        """Children still down after their parent came back are incidents of their own."""
        for service in incident.affected:
            tracker = self.trackers.get(service)
            if tracker is not None and tracker.state == "down":
                self.on_change(Change(service, "down", "down", now, tracker.reason))

    async def _degraded(self, service: str, now: datetime) -> None:
        tracker = self.trackers.get(service)
        if tracker is None or tracker.state != "degraded" or self.suppressed_by(service):
            return
        if self.settings.in_maintenance(service, now):
            return
        last = self.degraded_told.get(service)
        if last is not None and now - last < timedelta(seconds=self.settings.renotify_every):
            return
        self.degraded_told[service] = now
        message = Message(f"[TERGANGGU] {self.label(service)}",
                          f"Sejak {wib_clock(tracker.since or now)}: {tracker.reason}.")
        await self._send(self.channels([service]), message, f"degraded:{service}", "degraded")

    async def _certificates(self, now: datetime) -> None:
        day = now.astimezone(WIB).date().isoformat()
        for service, tracker in self.trackers.items():
            last = tracker.last
            if last is None or last.cert_expires is None or self.cert_told.get(service) == day:
                continue
            svc = self.services[service][1]
            left = days_left(last.cert_expires, now)
            if left > svc.expiry_warn_days or self.settings.in_maintenance(service, now):
                continue
            self.cert_told[service] = day
            message = Message(f"[SERTIFIKAT] {self.label(service)} berakhir dalam {max(0, int(left))} hari",
                              f"Sertifikat TLS berakhir {wib_clock(last.cert_expires)}. Perbarui sebelum itu.")
            await self._send(self.channels([service]), message, f"cert:{service}", "certificate")

    # --- telling ------------------------------------------------------------------------------------

    def _message(self, incident: Incident, kind: str, now: datetime) -> Message:
        root = self.label(incident.root)
        n = len(incident.affected)
        tail = f" — {n} layanan lain terdampak" if n else ""
        lines = [f"- {self.label(s)}" for s in incident.affected]
        listing = (f"\n\nLayanan terdampak ({n}):\n" + "\n".join(lines)) if n else ""
        if kind == "up":
            minutes = max(1, round((incident.resolved - incident.opened).total_seconds() / 60))
            return Message(f"[PULIH] {root}{tail}",
                           f"Pulih {wib_clock(incident.resolved)} setelah {minutes} menit mati.{listing}")
        head = "[MASIH MATI]" if kind == "reminder" else "[MATI]"
        return Message(f"{head} {root}{tail}",
                       f"Mati sejak {wib_clock(incident.opened)}: {incident.reason}.{listing}\n\n"
                       "Terima (acknowledge) di /it agar pengingat berhenti.")

    async def _tell(self, incident: Incident, kind: str, now: datetime) -> None:
        message = self._message(incident, kind, now)
        await self._send(self.channels([incident.root, *incident.affected]), message, incident.id, kind)
        if kind != "up":
            incident.notified_at = now
        incident.told += 1

    async def _send(self, channels: list[str], message: Message, about: str, kind: str) -> None:
        for channel_id in channels:
            channel = self.settings.channels[channel_id]
            error = ""
            try:
                await deliver(channel, message, self.session)
            except NotifyError as exc:
                error = str(exc)
                log.warning("notification on %s failed: %s", channel_id, error)
            await self.client.xadd(monitor_notifications(), {
                "channel": channel_id, "kind": kind, "about": about, "subject": message.subject,
                "ok": "0" if error else "1", "error": error, "at": to_iso(utc_now())},
                maxlen=NOTIFICATIONS_MAXLEN, approximate=True)

    async def tell_probe(self, online: bool, probe: str, reason: str, now: datetime) -> None:
        """The probe's own network: one message when it goes blind, one when it sees again."""
        subject = f"[MONITOR {'ONLINE' if online else 'OFFLINE'}] probe {probe}"
        text = ("Jaringan probe kembali; pemeriksaan berjalan lagi." if online else
                f"Probe tidak dapat menjangkau jaringannya sejak {wib_clock(now)} ({reason}). "
                "Status layanan tidak diketahui; tidak ada layanan yang dinyatakan mati karena ini.")
        await self._send(list(self.settings.notify), Message(subject, text), f"probe:{probe}",
                         "probe_online" if online else "probe_offline")

    async def _save(self, incident: Incident, now: datetime) -> None:
        names = {s: self.label(s) for s in [incident.root, *incident.affected]}
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.hset(monitor_incidents(), incident.id, incident.encode(names))
            pipe.xadd(monitor_events(), {"kind": "incident", "incident": incident.id, "at": to_iso(now)},
                      maxlen=50_000, approximate=True)
            await pipe.execute()

    def state_extra(self, service: str) -> dict[str, Any]:
        """What the state hash says about incidents: the root cause it is counted under, its incident."""
        incident = self.incident_of(service)
        return {"suppressed_by": self.suppressed_by(service), "incident": incident.id if incident else None}
