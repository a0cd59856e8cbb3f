"""The IT control center's contract: the agencies' systems to watch (`monitors:` in config.yaml),
their checks, dependencies, maintenance windows, probes and notification channels.

Both halves import this: the monitor role (ingest/monitor/) runs the checks, the dashboard
(dashboard/it/) shows OPDs, services and their public names. Targets (URLs, hosts, IPs) and tokens
are internal: `public_view` is what a public page may know of a service.

    monitors:
      opds:
        diskominfo:
          name: Diskominfo SP Provinsi Banten
          services:
            portal: {name: Portal bantenprov.go.id, kind: http, target: https://bantenprov.go.id/, public: true}
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.clock import WIB
from core.durations import parse_duration

_IDENT = r"^[a-z0-9][a-z0-9_-]*$"
CENTRAL_PROBE = "pusat"  # the command center's own probe (run.py monitor)
CheckKind = Literal["http", "tcp", "dns", "tls", "push", "icmp"]
Weekday = Literal["senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"]
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")


def _seconds(value) -> float:
    return parse_duration(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JsonCondition(_Model):
    """A condition on the JSON answer: the value at a dotted path equals a value (or is one of them)."""

    path: str = Field(min_length=1)
    equals: str | int | float | bool | list[str | int | float | bool]


class ServiceCheck(_Model):
    """One system of an OPD and how it is checked."""

    name: str = Field(min_length=1)
    kind: CheckKind
    # http/tls: a URL; tcp: host:port; dns: a name to resolve; icmp: a host; push: unused.
    target: str = ""
    interval: float = 60.0
    timeout: float = 10.0
    # Failed checks in a row before the service is DOWN, and good checks in a row before it is UP again.
    down_after: int = Field(default=3, ge=1, le=20)
    up_after: int = Field(default=1, ge=1, le=20)
    # After a failed check the next comes this soon, so DOWN is confirmed fast (default: interval / 3).
    retry_interval: float | None = None
    # Slower than this (ms) is DEGRADED; so is a service with failures among its last 10 checks.
    degraded_ms: float | None = Field(default=None, gt=0)
    # http: accepted status codes, a keyword the body must contain, JSON conditions.
    expect_status: list[int] = Field(default_factory=lambda: [200])
    keyword: str | None = None
    json_conditions: list[JsonCondition] = Field(default_factory=list)
    # dns: the record type, and an address the answer must contain.
    record: Literal["A", "AAAA", "CNAME", "MX", "TXT", "NS"] = "A"
    expect: str | None = None
    # dns: the server to ask (host or host:port); the system resolver when empty.
    resolver: str | None = None
    # tls (and https): DOWN when the certificate expires within `expiry_down_days`, flagged within `expiry_warn_days`.
    expiry_warn_days: int = Field(default=14, ge=0)
    expiry_down_days: int = Field(default=0, ge=0)
    # http/tls: check the certificate against the system's authorities (a demo's own certificate cannot).
    verify_tls: bool = True
    # push: a system or cron job calls POST /monitor/push/<service> with this token within each interval.
    token: str | None = None
    # Another service this one depends on (data-center network -> every service behind it).
    parent: str | None = None
    # Which probe checks it: the command center's own, or an agent inside an OPD's network.
    probe: str = CENTRAL_PROBE
    # Shown on the public status page /status under `public_name` (never its target).
    public: bool = False
    public_name: str | None = None

    @field_validator("interval", "timeout", "retry_interval", mode="before")
    @classmethod
    def _duration(cls, v):
        if v is None:
            return v
        seconds = _seconds(v)
        if seconds <= 0:
            raise ValueError("must be > 0")
        return seconds

    @field_validator("token")
    @classmethod
    def _strong_token(cls, v):
        if v is not None and len(v) < 12:
            raise ValueError("needs at least 12 characters")
        return v

    @model_validator(mode="after")
    def _target_fits_kind(self):
        kind, target = self.kind, self.target
        if kind in ("http", "tls") and not re.match(r"^https?://[^/\s]+", target):
            raise ValueError(f"target: a {kind} check needs an http(s):// URL")
        if kind == "tls" and not target.startswith("https://"):
            raise ValueError("target: a tls check needs an https:// URL")
        if kind == "tcp" and not re.match(r"^[^\s:]+:\d{1,5}$", target):
            raise ValueError("target: a tcp check needs host:port")
        if kind in ("dns", "icmp") and not re.match(r"^[^\s/:]+$", target):
            raise ValueError(f"target: a {kind} check needs a host name")
        if kind == "push" and not self.token:
            raise ValueError("token: a push check needs a token (at least 12 characters)")
        if self.timeout > self.interval:
            raise ValueError("timeout: must not be longer than the interval")
        return self

    @property
    def retry_every(self) -> float:
        return self.retry_interval or max(1.0, self.interval / 3)

    def public_view(self, service_id: str, opd: str) -> dict:
        """What a public page may know: a name and an OPD, never the target."""
        return {"id": service_id, "name": self.public_name or self.name, "opd": opd}


class Opd(_Model):
    """An agency (organisasi perangkat daerah) and its systems."""

    name: str = Field(min_length=1)
    short: str | None = None
    # BPS code of a kab/kota (its Diskominfo), or none for a province OPD.
    region: str | None = None
    # Operators bound to one of these feeds are this OPD's operators (they see and acknowledge its services).
    feeds: list[str] = Field(default_factory=list)
    # Notification channels (ids in monitors.channels) told about this OPD's services.
    notify: list[str] = Field(default_factory=list)
    services: dict[str, ServiceCheck] = Field(default_factory=dict)


class MaintenanceWindow(_Model):
    """Planned work: one-off (`start`/`end`, WIB) or recurring (`every` with `at` and `duration`, WIB).
    Time inside a window counts neither for nor against the SLA, and sends no notification."""

    title: str = Field(min_length=1)
    # Service or OPD ids; empty means every service.
    services: list[str] = Field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    every: Literal["day", "week", "month"] | None = None
    weekday: Weekday | None = None      # every: week
    day: int | None = Field(default=None, ge=1, le=28)  # every: month
    at: time | None = None
    duration: float | None = None
    public: bool = True  # announced on /status

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, v):
        return None if v is None else _seconds(v)

    @field_validator("start", "end")
    @classmethod
    def _wib(cls, v):
        return v.replace(tzinfo=WIB) if v is not None and v.tzinfo is None else v

    @model_validator(mode="after")
    def _shape(self):
        if self.every is None:
            if self.start is None or self.end is None:
                raise ValueError("a one-off window needs start and end (WIB), or `every` for a recurring one")
            if self.end <= self.start:
                raise ValueError("end: must be after start")
        else:
            if self.at is None or not self.duration or self.duration <= 0:
                raise ValueError("a recurring window needs `at` (HH:MM WIB) and a positive `duration`")
            if self.every == "week" and self.weekday is None:
                raise ValueError("weekday: required for every: week")
            if self.every == "month" and self.day is None:
                raise ValueError("day: required for every: month")
        return self

    def spans(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The (start, end) of every occurrence that overlaps [start, end), clipped to it."""
        if self.every is None:
            s, e = max(self.start, start), min(self.end, end)
            return [(s, e)] if s < e else []
        out = []
        day = (start.astimezone(WIB) - timedelta(seconds=self.duration)).date()
        last = end.astimezone(WIB).date()
        while day <= last:
            if self._on(day):
                s = datetime.combine(day, self.at, WIB)
                e = s + timedelta(seconds=self.duration)
                s, e = max(s, start), min(e, end)
                if s < e:
                    out.append((s, e))
            day += timedelta(days=1)
        return out

    def _on(self, day: date) -> bool:
        if self.every == "day":
            return True
        if self.every == "week":
            return WEEKDAYS[day.weekday()] == self.weekday
        return day.day == self.day

    def covers(self, service_id: str, opd_id: str) -> bool:
        return not self.services or service_id in self.services or opd_id in self.services


class EmailChannel(_Model):
    kind: Literal["email"]
    host: str
    port: int = Field(default=25, gt=0, lt=65536)
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    sender: str
    to: list[str] = Field(min_length=1)


class TelegramChannel(_Model):
    kind: Literal["telegram"]
    # The Bot API's address (a local relay where the command center has no internet).
    api_url: str = "https://api.telegram.org"
    bot_token: str = Field(min_length=8)
    chat_id: str


class WhatsappChannel(_Model):
    """A WhatsApp gateway that takes {"to": ..., "message": ...} as JSON at its webhook URL."""

    kind: Literal["whatsapp"]
    url: str = Field(pattern=r"^https?://")
    token: str | None = None
    to: list[str] = Field(min_length=1)


Channel = EmailChannel | TelegramChannel | WhatsappChannel


class ProbeSettings(_Model):
    """A probe agent inside an OPD's network (`run.py probe --probe <id>`): its token for the ingest API."""

    name: str = Field(min_length=1)
    token: str = Field(min_length=16)


class MonitorSettings(_Model):
    enabled: bool = True
    # Checks running at once in one process; the rest wait their turn.
    concurrency: int = Field(default=64, gt=0, le=2000)
    # Targets that tell whether the probe's own network is up (e.g. the uplink router, host:port).
    # When none answers, the probe is "offline": no service turns DOWN meanwhile.
    uplink: list[str] = Field(default_factory=list)
    # How long after the first DOWN of an incident before the one notification goes (children join it).
    group_wait: float = 20.0
    # Tell again at this interval until someone acknowledges.
    renotify_every: float = 1800.0
    # Raw check results kept per service; hourly and daily figures are kept apart for the SLA.
    keep_results: float = 3 * 86400.0
    # Monthly SLA target (percent) shown beside each service.
    sla_target: float = Field(default=99.5, gt=0, le=100)
    # Channels told about every OPD's services (besides each OPD's own `notify`).
    notify: list[str] = Field(default_factory=list)
    channels: dict[str, Channel] = Field(default_factory=dict)
    probes: dict[str, ProbeSettings] = Field(default_factory=dict)
    maintenance: list[MaintenanceWindow] = Field(default_factory=list)
    opds: dict[str, Opd] = Field(default_factory=dict)

    @field_validator("group_wait", "renotify_every", "keep_results", mode="before")
    @classmethod
    def _duration(cls, v):
        return _seconds(v)

    @field_validator("uplink")
    @classmethod
    def _uplinks(cls, v):
        bad = [t for t in v if not re.match(r"^[^\s:]+:\d{1,5}$", t)]
        if bad:
            raise ValueError(f"each uplink is host:port, not {bad[0]!r}")
        return v

    def services(self) -> dict[str, tuple[str, ServiceCheck]]:
        """Every service by id, with its OPD id."""
        return {sid: (oid, svc) for oid, opd in self.opds.items() for sid, svc in opd.services.items()}

    def ancestors(self, service_id: str) -> list[str]:
        """The parents of a service, nearest first."""
        services, out = self.services(), []
        parent = services[service_id][1].parent if service_id in services else None
        while parent and parent not in out and parent in services:
            out.append(parent)
            parent = services[parent][1].parent
        return out

    def in_maintenance(self, service_id: str, at: datetime) -> MaintenanceWindow | None:
        """The maintenance window covering a service at a moment, if any."""
        services = self.services()
        opd = services[service_id][0] if service_id in services else ""
        for window in self.maintenance:
            if window.covers(service_id, opd) and window.spans(at, at + timedelta(microseconds=1)):
                return window
        return None


def check_monitors(settings: MonitorSettings, feeds: set[str]) -> list[tuple[str, str]]:
    """What the models alone cannot know: ids unique across OPDs, parents, channels, probes, feeds."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for oid, opd in settings.opds.items():
        if not re.match(_IDENT, oid):
            problems.append((f"monitors.opds.{oid}", "must use lower case letters, digits, - and _"))
        for i, channel in enumerate(opd.notify):
            if channel not in settings.channels:
                problems.append((f"monitors.opds.{oid}.notify[{i}]", f"unknown channel '{channel}'"))
        for i, feed in enumerate(opd.feeds):
            if feed not in feeds:
                problems.append((f"monitors.opds.{oid}.feeds[{i}]", f"unknown feed '{feed}'"))
        for sid in opd.services:
            at = f"monitors.opds.{oid}.services.{sid}"
            if not re.match(_IDENT, sid):
                problems.append((at, "must use lower case letters, digits, - and _"))
            if sid in seen:
                problems.append((at, f"service id '{sid}' is also used by OPD '{seen[sid]}'"))
            seen.setdefault(sid, oid)
    services = settings.services()
    for sid, (oid, svc) in services.items():
        at = f"monitors.opds.{oid}.services.{sid}"
        if svc.parent is not None:
            if svc.parent not in services:
                problems.append((f"{at}.parent", f"unknown service '{svc.parent}'"))
            elif sid in settings.ancestors(sid) or svc.parent == sid:
                problems.append((f"{at}.parent", "depends on itself (a cycle of parents)"))
        if svc.probe != CENTRAL_PROBE and svc.probe not in settings.probes:
            problems.append((f"{at}.probe", f"unknown probe '{svc.probe}' (monitors.probes)"))
    for i, channel in enumerate(settings.notify):
        if channel not in settings.channels:
            problems.append((f"monitors.notify[{i}]", f"unknown channel '{channel}'"))
    for i, window in enumerate(settings.maintenance):
        for j, name in enumerate(window.services):
            if name not in services and name not in settings.opds:
                problems.append((f"monitors.maintenance[{i}].services[{j}]", f"unknown service or OPD '{name}'"))
    return problems
