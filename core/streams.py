"""THE stream contract: every Redis key name, the record envelope, encode/decode and retention.

No other file spells a key. Ingest writes feed streams and health; the derive processors write
KPIs and alerts; the dashboard only reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from core.clock import timestamp, utc_now  # noqa: F401  (utc_now: re-exported for the stream users)
from core.config import Retention

SCHEMA_VERSION = 1
PREFIX = "cc"

# Streams
DEADLETTER = f"{PREFIX}:deadletter"
KPI_UPDATES = f"{PREFIX}:kpi-updates"  # one entry per changed headline figure: wakes the screens
ALERTS = f"{PREFIX}:alerts"
HEALTH_EVENTS = f"{PREFIX}:health-events"  # feed state transitions (ok -> error -> ok)
AUDIT = f"{PREFIX}:audit"  # who did what when: logins, exports, uploads, acknowledgements, camera views
AUDIT_MAXLEN = 1_000_000   # about a year of a busy command center; older entries are trimmed

# Consumer group of the derive processors on every feed stream.
DERIVE_GROUP = "derive"
# The application-figures processor reads every entry too, so it needs a group of its own
# (consumers of one group share the entries instead of each seeing all of them).
FIGURES_GROUP = "derive-figures"
# The demo's replayed past (ingest/demo/backfill.py): when it ran and how far back; absent: none yet.
DEMO_HISTORY = f"{PREFIX}:demo:history"


def feed_stream(feed_id: str) -> str:
    """The stream of one feed's accepted records."""
    return f"{PREFIX}:feed:{feed_id}"


def feed_health(feed_id: str) -> str:
    """The hash with one feed's health (see core/health.py)."""
    return f"{PREFIX}:health:feed:{feed_id}"


def feed_health_pattern() -> str:
    return f"{PREFIX}:health:feed:*"


def seen_record(feed_id: str, source_id: str) -> str:
    """Marker of a source id already accepted, kept for the dedup window."""
    return f"{PREFIX}:seen:{feed_id}:{source_id}"


def feed_watermark(feed_id: str) -> str:
    """The newest source time a pulling feed has stored (e.g. e-Pormas `updated_at`), asked from next."""
    return f"{PREFIX}:watermark:{feed_id}"


def kpi(metric_id: str) -> str:
    """The hash with one headline figure: value, updated, regions (see KpiValue)."""
    return f"{PREFIX}:kpi:{metric_id}"


def metric_entities(metric_id: str) -> str:
    """The hash entity -> latest record the derive processor keeps, so a restart resumes."""
    return f"{PREFIX}:entities:{metric_id}"


def metric_state(metric_id: str) -> str:
    """The hash with what a metric's entities were built from (`seen`: something ever arrived;
    `through`: the last feed entry applied when it was rebuilt); missing, they are rebuilt from the stream."""
    return f"{PREFIX}:entities-state:{metric_id}"


def app_regions(application: str) -> str:
    """The hash region code -> JSON figures of one application; field "36" is the province."""
    return f"{PREFIX}:app:{application}:regions"


def app_units(application: str, region: str) -> str:
    """The hash unit id -> JSON figures (market, hospital, satker, programme, camera) in one region."""
    return f"{PREFIX}:app:{application}:units:{region}"


def app_records(application: str, region: str, unit: str) -> str:
    """The hash record key -> JSON latest record of one unit: the record level, no stream scan."""
    return f"{PREFIX}:app:{application}:records:{region}:{unit}"


def app_record_times(application: str, region: str, unit: str) -> str:
    """The sorted set record key -> event time (epoch seconds) of one unit's records, so a page reads
    the newest ones of a range without reading a unit of a hundred thousand complaints whole."""
    return f"{PREFIX}:app:{application}:record-times:{region}:{unit}"


def app_trend(application: str, region: str) -> str:
    """The hash figure name -> JSON {WIB date: value}, a bounded daily series per region."""
    return f"{PREFIX}:app:{application}:trend:{region}"


def json_fields(mapping: dict | None) -> dict[str, Any]:
    """A hash of JSON values (app_regions, app_units, app_records, app_trend) as field -> value; a field
    that is not JSON is left out (a reader never fails on one bad field)."""
    out = {}
    for k, v in (mapping or {}).items():
        try:
            out[as_text(k)] = json.loads(v)
        except (TypeError, ValueError):
            continue
    return out


def active_alerts() -> str:
    """The hash alert_id -> JSON alert of every condition raised and not yet resolved."""
    return f"{PREFIX}:alerts:active"


def alert_ack(alert_id: str) -> str:
    """The hash with who acknowledged an alert, when, and their note."""
    return f"{PREFIX}:alerts:ack:{alert_id}"


def session(session_id: str) -> str:
    """The hash of one sign-in session (user, CSRF token, expiry), with a TTL (dashboard/auth/sessions.py)."""
    return f"{PREFIX}:session:{session_id}"


def user_sessions(username: str) -> str:
    """The set of one account's session ids, so a sign-out ends all of them (dashboard/auth/sessions.py)."""
    return f"{PREFIX}:user-sessions:{username}"


def login_form(token: str) -> str:
    """A sign-in form token that has been used, kept for its hour so it is not used twice (dashboard/auth/csrf.py)."""
    return f"{PREFIX}:login-form:{token}"


def login_failures(kind: str, value: str) -> str:
    """Failed sign-ins of one address (kind "ip") or username (kind "user") in the current window."""
    return f"{PREFIX}:login-failures:{kind}:{value}"


def camera_status(camera_id: str) -> str:
    """The hash with one camera's health: state, reason, fps, kbps, last frame, since (video gateway)."""
    return f"{PREFIX}:camera:status:{camera_id}"


def camera_status_pattern() -> str:
    return f"{PREFIX}:camera:status:*"


def camera_snapshot(camera_id: str) -> str:
    """The latest keyframe JPEG of a camera (bytes, with a TTL) and its capture time beside it."""
    return f"{PREFIX}:camera:snapshot:{camera_id}"


def camera_snapshot_time(camera_id: str) -> str:
    """When the latest snapshot was taken (UTC ISO), so a page can show the picture's age."""
    return f"{PREFIX}:camera:snapshot-at:{camera_id}"


def camera_registry() -> str:
    """The public part of the camera registry (config + listings) as one JSON list (core/cameras.py):
    ids, names, places, groups, active flags; never a stream address. Written by the video gateway."""
    return f"{PREFIX}:camera:registry"


def camera_events() -> str:
    """The stream of camera state changes (live -> stalled -> offline -> live)."""
    return f"{PREFIX}:camera-events"


def meeting_room(room: str) -> str:
    """The hash with what a meeting room shows: topic, region, spotlight, prepared-view step and a
    version that every change bumps (the room's screens follow it; dashboard/meeting/state.py)."""
    return f"{PREFIX}:meeting:{room}"


def playlist_state(playlist: str) -> str:
    """The hash with a wall playlist's rotation (anchor, paused, offset, by, at): the remote control
    writes it, every wall showing the playlist follows it (dashboard/walls/playlist.py)."""
    return f"{PREFIX}:playlist:{playlist}"


# ---- the IT control center (ingest/monitor writes, dashboard/it reads) ----------------------------


def monitor_results(service_id: str) -> str:
    """The stream of one service's check results (at, ok, ms, reason, state, probe), kept by age."""
    return f"{PREFIX}:monitor:results:{service_id}"


def monitor_changes(service_id: str) -> str:
    """The stream of one service's state changes (up, degraded, down, unknown): its SLA timeline."""
    return f"{PREFIX}:monitor:changes:{service_id}"


def monitor_hours(service_id: str) -> str:
    """The hash UTC hour (2026-12-04T13) -> JSON {ms: [response times], n, failed}: percentiles per hour and day."""
    return f"{PREFIX}:monitor:hours:{service_id}"


def monitor_state() -> str:
    """The hash service id -> JSON current state (state, since, reason, ms, cert expiry, suppressed_by)."""
    return f"{PREFIX}:monitor:state"


def monitor_summary() -> str:
    """The hash service id -> JSON wall figures (uptime 24h/7d/30d, monthly SLA, p50/p95/p99 of the hour
    and the day, the last response times for a sparkline): small, read by every wall each few seconds."""
    return f"{PREFIX}:monitor:summary"


def monitor_detail() -> str:
    """The hash service id -> JSON history (percentiles of each of the last 24 hours, 90 daily bars),
    read by the /it drill-down and the public /status page."""
    return f"{PREFIX}:monitor:detail"


def monitor_events() -> str:
    """The stream of service state changes and incidents; wakes the screens."""
    return f"{PREFIX}:monitor:events"


def monitor_incidents() -> str:
    """The hash incident id -> JSON incident (root service, affected services, opened, resolved, ack)."""
    return f"{PREFIX}:monitor:incidents"


def monitor_probe(probe_id: str) -> str:
    """The hash with one probe's own health: online/offline, since, last seen, checks per minute."""
    return f"{PREFIX}:monitor:probe:{probe_id}"


def monitor_inbox() -> str:
    """Results pushed through the ingest API (probe agents, push heartbeats) for the monitor to apply."""
    return f"{PREFIX}:monitor:inbox"


def monitor_heartbeat(service_id: str) -> str:
    """When a push-checked system last called in (UTC ISO)."""
    return f"{PREFIX}:monitor:heartbeat:{service_id}"


def monitor_ack(incident_id: str) -> str:
    """The hash with who acknowledged an incident and when (re-notifying stops)."""
    return f"{PREFIX}:monitor:ack:{incident_id}"


def monitor_notifications() -> str:
    """The stream of notifications sent (channel, incident, kind, ok, error): what went to whom."""
    return f"{PREFIX}:monitor:notifications"


def incident_timeline(incident_id: str) -> str:
    """The append-only stream of one incident: every step (who, when, what, note); its state is derived."""
    return f"{PREFIX}:incident:{incident_id}:timeline"


def incidents_current() -> str:
    """The hash incident id -> JSON current state, derived from the timelines (rebuildable)."""
    return f"{PREFIX}:incidents"


def incident_sequence() -> str:
    """The counter that numbers incidents (INS-<n>)."""
    return f"{PREFIX}:incident:seq"


def incident_alerts() -> str:
    """The hash alert id -> the incident the alert opened or joined."""
    return f"{PREFIX}:incident:alerts"


def incident_alert_cursor() -> str:
    """The last `cc:alerts` entry id the incident intake has read."""
    return f"{PREFIX}:incident:alert-cursor"


def incident_events() -> str:
    """The stream of incident changes (id, action): wakes the screens; the timelines hold the history."""
    return f"{PREFIX}:incident:events"


def incident_notifications() -> str:
    """The stream of escalation notifications sent (channel, incident, level, ok, error)."""
    return f"{PREFIX}:incident:notifications"


def incident_reports() -> str:
    """The hash WIB date -> JSON morning report (its figures and message); its PDF under incident_report_pdf."""
    return f"{PREFIX}:incident:reports"


def incident_report_pdf(day: str) -> str:
    """The PDF of one morning report (bytes)."""
    return f"{PREFIX}:incident:report-pdf:{day}"


@lru_cache(maxsize=256)  # a batch shares one ingest time: encode it once
def to_iso(t: datetime) -> str:
    """UTC ISO 8601 with milliseconds and a Z, the one time format stored in Redis."""
    return t.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def from_iso(text: str) -> datetime:
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def entry_time(entry_id: str | bytes) -> datetime:
    """The server time at which a stream entry was added, from its id."""
    if isinstance(entry_id, bytes):
        entry_id = entry_id.decode()
    return datetime.fromtimestamp(int(entry_id.split("-", 1)[0]) / 1000, UTC)


def as_text(value: Any) -> str:
    """A Redis reply (bytes) or any other value as text: the one decoding every reader uses."""
    return value.decode() if isinstance(value, bytes) else str(value)


def decoded(fields: Mapping[Any, Any] | None) -> dict[str, Any]:
    """A Redis hash or stream entry with its bytes keys and values as text; other values (a probe's
    JSON numbers, a test's plain dict) stay as they are."""
    return {as_text(k): (v.decode() if isinstance(v, bytes) else v) for k, v in (fields or {}).items()}


@dataclass(frozen=True, slots=True)
class Record:
    """The envelope of one accepted record, as stored in `cc:feed:<feed_id>`."""

    feed_id: str
    application: str
    source_id: str
    event_time: datetime
    ingest_time: datetime
    payload: dict[str, Any]
    region: str | None = None
    schema_version: int = SCHEMA_VERSION

    def encode(self) -> dict[str, str]:
        """Flat string fields for XADD."""
        return {
            "feed": self.feed_id,
            "app": self.application,
            "region": self.region or "",
            "sid": self.source_id,
            "et": to_iso(self.event_time),
            "it": to_iso(self.ingest_time),
            "v": str(self.schema_version),
            "payload": json.dumps(self.payload, ensure_ascii=False, separators=(",", ":"), default=str),
        }

    @classmethod
    def decode(cls, fields: Mapping[Any, Any]) -> Record:
        """A Record from the fields of a stream entry (bytes or str keys)."""
        f = {as_text(k): as_text(v) for k, v in fields.items()}
        version = int(f.get("v", "1"))
        if version > SCHEMA_VERSION:
            raise ValueError(f"record schema {version} is newer than this reader ({SCHEMA_VERSION})")
        return cls(
            feed_id=f["feed"],
            application=f["app"],
            source_id=f["sid"],
            event_time=from_iso(f["et"]),
            ingest_time=from_iso(f["it"]),
            payload=json.loads(f["payload"]),
            region=f.get("region") or None,
            schema_version=version,
        )


def dead_letter(feed_id: str, reason: str, raw: Any) -> dict[str, str]:
    """The fields of a dead-letter entry: which feed, why, and the input as it came."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    if not isinstance(raw, str):
        raw = json.dumps(raw, ensure_ascii=False, default=str)
    return {"feed": feed_id, "reason": reason, "raw": raw[:65536], "at": to_iso(utc_now())}


def trim_args(retention: Retention, now: float | None = None) -> dict[str, Any]:
    """XADD/XTRIM keyword arguments for a retention: approximate MAXLEN, or MINID by age."""
    if retention.max_age:
        now_ms = int((now if now is not None else timestamp()) * 1000)
        return {"minid": f"{now_ms - int(retention.max_age * 1000)}-0", "approximate": True}
    if retention.maxlen:
        return {"maxlen": retention.maxlen, "approximate": True}
    return {}


@dataclass(frozen=True)
class KpiValue:
    """One headline figure as kept in `cc:kpi:<metric>`."""

    metric_id: str
    value: float | None
    updated: datetime | None  # ingest time of the newest record in the figure
    regions: dict[str, float] = field(default_factory=dict)  # BPS code -> value
    entities: int = 0

    def encode(self) -> dict[str, str]:
        return {
            "value": "" if self.value is None else repr(float(self.value)),
            "updated": to_iso(self.updated) if self.updated else "",
            "regions": json.dumps(self.regions, separators=(",", ":")),
            "entities": str(self.entities),
        }

    @classmethod
    def decode(cls, metric_id: str, fields: Mapping[Any, Any]) -> KpiValue:
        f = {as_text(k): as_text(v) for k, v in fields.items()}
        return cls(
            metric_id=metric_id,
            value=float(f["value"]) if f.get("value") else None,
            updated=from_iso(f["updated"]) if f.get("updated") else None,
            regions=json.loads(f.get("regions") or "{}"),
            entities=int(f.get("entities") or 0),
        )
