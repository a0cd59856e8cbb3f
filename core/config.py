"""The typed configuration tree: load `config.yaml`, substitute `${ENV}`, report mistakes by YAML path.

Over 450 lines: the sections without a feature of their own stay here, so one model reports every YAML path.

Both halves import this module; neither parses YAML on its own. Feed kinds add their own options
(validated by their plugin in `ingest/feeds/`), so a feed accepts extra keys here and the plugin
rejects the ones it does not know.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core import apps
from core.apps import APPLICATIONS  # noqa: F401 (re-exported: the ids of core/apps.py, in screen order)
from core.cameras import CameraConfig, CameraGroup, VideoSettings, check_camera_ids, check_listings
from core.clock import DEFAULT_ZONE, SiteZone, use_zone
from core.durations import parse_duration  # noqa: F401 (the config's own words, re-exported)
from core.incidents.settings import IncidentSettings, check_incidents
from core.monitors import MonitorSettings, check_monitors
from core.regions import KABKOTA


def _registered_application(value: str) -> str:
    """An application id of core/apps.py (read when the config is checked: a registered one counts)."""
    if not apps.is_application(value):
        raise ValueError("must be one of " + ", ".join(f"'{a}'" for a in apps.APPLICATIONS))
    return value


Application = Annotated[str, AfterValidator(_registered_application)]

_IDENT = r"^[a-z0-9][a-z0-9_-]*$"
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class Model(BaseModel):
    """Base of every config section: unknown keys are mistakes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Duration(float):
    """A duration in seconds, written in YAML as a number or '30s'/'5m'/'24h'."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(lambda v: cls(parse_duration(v)))


class Site(Model):
    name: str = "Command Center Provinsi Banten"
    language: Literal["id", "en"] = "id"
    # The zone every time is shown in and every calendar day counted in (core/clock.py's WIB).
    timezone: str = DEFAULT_ZONE

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        SiteZone(name)  # raises ValueError with the reason for a name the tz database does not know
        return name


class RedisSettings(Model):
    # Empty means: start a private redis-server for this installation (see core/redis.py), with a
    # password generated under data_dir. A url of your own carries its password: redis://:pw@host/0.
    url: str | None = None
    # Redis with automatic failover: the sentinels as host:port (used when url is empty; a
    # redis+sentinel://:pw@h1:26379,h2:26379/cc-primary/0 URL says the same in one line).
    sentinels: list[str] = []
    sentinel_master: str = "cc-primary"
    sentinel_password: str | None = None
    # A record is acknowledged to its sender only once this many replicas hold it (WAIT), within
    # ack_timeout; otherwise the sender gets 503 and retries. Empty: 1 under Sentinel, else 0.
    ack_replicas: int | None = Field(default=None, ge=0)
    ack_timeout: Duration = Duration(1.0)
    data_dir: str = "var/redis"
    # The embedded server's memory limit ("2gb", "512mb"; 0: none). It never evicts a key: when full,
    # writes are refused (senders are told to retry) rather than records silently dropped.
    maxmemory: str = "2gb"
    # Used memory above this share of maxmemory raises an alert on the walls' alert strip.
    memory_alert: float = Field(default=0.85, gt=0, lt=1)

    @field_validator("sentinels")
    @classmethod
    def _host_ports(cls, v):
        for item in v:
            host, _, port = str(item).rpartition(":")
            if not host or not port.isdigit():
                raise ValueError(f"'{item}' is not host:port (a sentinel such as 10.0.0.5:26379)")
        return v

    @field_validator("maxmemory")
    @classmethod
    def _size(cls, v):
        if not re.match(r"^\d+(b|kb|mb|gb)?$", str(v).strip().lower()):
            raise ValueError(f"'{v}' is not a size such as 512mb or 2gb")
        return str(v).strip().lower()


class Retention(Model):
    """How long a stream keeps entries: a count (approximate trim) and/or an age."""

    maxlen: int | None = Field(default=None, gt=0)
    max_age: Duration | None = None

    @field_validator("max_age")
    @classmethod
    def _positive_age(cls, v):
        if v is not None and v <= 0:
            raise ValueError("must be > 0")
        return v


class RetentionSettings(Model):
    default: Retention = Retention(maxlen=100_000)
    deadletter: Retention = Retention(maxlen=50_000)
    # Duplicate source ids are dropped while they are remembered this long.
    dedup_window: Duration = Duration(86400 * 7)


# With `ingest.internal_token`, the dashboard names the signed-in operator of an upload in this header.
UPLOAD_OPERATOR_HEADER = "X-CC-Operator"


class IngestSettings(Model):
    host: str = "127.0.0.1"
    port: int = Field(default=8060, gt=0, lt=65536)
    # Longest pause between restarts of a failing feed.
    max_backoff: Duration = Duration(60)
    # Several ingest (and derive) processes may share one Redis: the feeds (and derive parts) spread over
    # them, each done by exactly one, which renews its hold; when that process dies, another takes the
    # work over within this time.
    hold: Duration = Duration(15)
    # This process's name among them; empty: this host's name and ingest port, the same after a restart
    # (so a restarted process takes its own feeds back at once instead of waiting for its hold to lapse).
    worker: str = ""
    # The dashboard forwards operators' uploads to POST /upload/<feed> with this secret (and the
    # operator's name for the audit). Unset: a random one generated under secrets_dir, which every
    # role of this installation reads; set it (${ENV}) when the dashboard runs on another machine.
    internal_token: str | None = None
    # Generated secrets of this installation (internal tokens), readable by their owner only.
    secrets_dir: str = "var/secrets"
    # Largest webhook or upload request body; larger ones are refused before they are read (413).
    max_body: int = Field(default=16 * 1024 * 1024, gt=0)
    # Payload field names every feed masks at ingest, beside the built-in personal names (nik,
    # nama, telepon, no_wa, email, alamat, ... in any spelling, at any depth).
    personal: list[str] = Field(default_factory=list)

    @field_validator("internal_token", mode="before")
    @classmethod
    def _unset_when_empty(cls, v):
        return None if v in ("", None) else v

    @field_validator("internal_token")
    @classmethod
    def _strong_internal_token(cls, v):
        if v is not None and len(v) < 16:
            raise ValueError("needs at least 16 characters")
        return v


class ClientLimit(Model):
    """Requests one client (a session, or an address when nobody is signed in) may make: a token
    bucket refilled at `per_second`, at most `burst` at once; more are answered 429."""

    per_second: float = Field(gt=0)
    burst: int = Field(gt=0)


class DashboardLimits(Model):
    """What one client may send the dashboard; refused before anything else is read or checked."""

    # Request bodies: anyone not signed in (and every sign-in form and WHEP offer) / a signed-in user's
    # callback (an operator's 8 MiB upload arrives as base64 inside one).
    body: int = Field(default=64 * 1024, gt=0)
    signed_in_body: int = Field(default=12 * 1024 * 1024, gt=0)
    callbacks: ClientLimit = ClientLimit(per_second=30, burst=300)  # HTTP callbacks and WebSocket messages
    whep_offers: ClientLimit = ClientLimit(per_second=1, burst=40)  # a 16-camera wall reconnecting at once
    opendata: ClientLimit = ClientLimit(per_second=2, burst=60)  # open-data downloads


# Banten's kab/kota boundaries as shipped with the project (licence beside the file).
SHIPPED_GEOJSON = "dashboard/maps/banten-kabkota.geojson"


class DashboardSettings(Model):
    host: str = "127.0.0.1"
    port: int = Field(default=8050, gt=0, lt=65536)
    # Most updates a second that one tile receives; more are coalesced.
    push_rate: float = Field(default=4.0, gt=0, le=50)
    # Boundary polygons of the kab/kota (GeoJSON, `id` = BPS code); unset or empty: the file shipped
    # in dashboard/maps/ (seat points when that file is missing or unreadable).
    geojson: str | None = SHIPPED_GEOJSON
    layouts_dir: str = "layouts"
    # Addresses (or networks, 10.0.0.0/8) of the TLS proxies in front: only from these is
    # X-Forwarded-For believed; from anyone else the peer's own address counts.
    trusted_proxies: list[str] = Field(default_factory=list)
    limits: DashboardLimits = DashboardLimits()

    @field_validator("geojson", mode="before")
    @classmethod
    def _shipped_when_empty(cls, name):
        return name or SHIPPED_GEOJSON

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, v):
        import ipaddress

        for item in v:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"'{item}' is not an address or network") from None
        return v


class LoginLimit(Model):
    """Failed sign-ins allowed per address, and per username at one address, within a window; more
    from there are refused (429). A username is never locked for every address."""

    failures: int = Field(default=5, gt=0)
    window: Duration = Duration(300)


class IngestLimit(Model):
    """Webhook and upload requests per feed and sender address: a token bucket (429 with Retry-After)."""

    per_second: float = Field(default=20.0, gt=0)
    burst: int = Field(default=200, gt=0)


class AuthSettings(Model):
    """Accounts, sessions and rate limits; the accounts themselves live in `users_file`."""

    # Written by `run.py user add`; `run.py all` on the demo creates demo accounts when it is missing.
    users_file: str = "var/users.yaml"
    # A session ends this long after sign-in; a user may have a longer one (wall PCs: `session_hours`).
    session_hours: float = Field(default=12.0, gt=0, le=24 * 366)
    # auto: the cookie is Secure when the page came over https (behind a TLS proxy too).
    cookie_secure: bool | Literal["auto"] = "auto"
    login_limit: LoginLimit = LoginLimit()
    ingest_limit: IngestLimit = IngestLimit()
    # Signs the sign-in forms' tokens (nothing is stored until a form is used). Set it (32+ random
    # characters, as ${ENV}) when several dashboard workers run; unset, each process draws its own.
    form_secret: str | None = Field(default=None, min_length=32)
    # How often an open WebSocket's session is checked: a sign-out, a removed account or a new
    # password closes it (and stops a wall's push) within this time.
    session_check: Duration = Duration(2)
    # Refusals (refused pages and callbacks, bad form tokens, limits) written one by one per source
    # and minute, for someone not signed in / a signed-in user (named, and limited per session);
    # beyond these, one entry per source and minute says how many more there were.
    refusals_each: int = Field(default=20, ge=1)
    refusals_each_user: int = Field(default=100, ge=1)


class DemoSettings(Model):
    enabled: bool = True
    host: str = "127.0.0.1"
    # Each simulated agency service listens on its own port, from this one upwards.
    base_port: int = Field(default=8071, gt=0, lt=65500)
    # Demo time runs this many times faster than the clock (complaints every few seconds).
    speed: float = Field(default=1.0, gt=0)
    # `run.py all` on an empty store first replays this many past days through ingest and derive
    # (trends and "dari kemarin" have a past from the first minute); 0 for none.
    history_days: int = Field(default=90, ge=0, le=366)


FieldType = Literal["text", "number", "integer", "time", "boolean", "region"]


class FeedConfig(BaseModel):
    """What every feed has, whatever its kind. Kind options are extra keys checked by the plugin."""

    model_config = ConfigDict(extra="allow", frozen=True)

    kind: str = Field(pattern=_IDENT)
    application: Application
    title: str | None = None
    # Payload field (or '{a}-{b}' template of fields) that identifies a record at its source.
    source_id: str
    # Payload field that holds the BPS kab/kota code (3601..3674, or 36 for the province).
    region: str | None = None
    # A fixed region for every record of the feed, when the source covers one kab/kota.
    region_code: str | None = None
    # Payload field with the event time; ingest time is used when absent.
    event_time: str | None = None
    # Payload fields every record must carry, with their type; others pass through untouched.
    fields: dict[str, FieldType] = Field(default_factory=dict)
    # Personal fields masked at ingest beyond the built-in list (nik, nama, telepon, ...).
    personal: list[str] = Field(default_factory=list)
    # Personal fields this feed keeps unmasked (a deliberate, reviewed decision).
    keep_personal: list[str] = Field(default_factory=list)
    # Payload fields removed at ingest (e.g. camera stream addresses that carry credentials).
    drop_fields: list[str] = Field(default_factory=list)
    stale_after: Duration = Duration(300)
    retention: Retention | None = None
    # How the source writes numbers: "auto" refuses an ambiguous '13.300'; "id" reads every
    # string the Indonesian way ('.' thousands, ',' decimals), for sources known to write so.
    number_format: Literal["auto", "id"] = "auto"
    # Operators may upload a CSV/Excel file for this feed with one of these bearer tokens
    # (POST /upload/<feed_id>); none means uploads are off. Operators signed in upload with `upload`.
    upload_tokens: list[str] = Field(default_factory=list)
    # Signed-in operators of this feed may upload from the operator screen; unset: when upload_tokens are listed.
    upload: bool | None = None

    @field_validator("upload_tokens")
    @classmethod
    def _strong_tokens(cls, tokens):
        if any(len(t) < 12 for t in tokens):
            raise ValueError("each upload token needs at least 12 characters")
        return tokens

    @field_validator("region_code")
    @classmethod
    def _known_region(cls, v):
        if v is not None and v not in KABKOTA and v != "36":
            raise ValueError(f"'{v}' is not a BPS code of Banten (3601..3674 or 36)")
        return v

    @field_validator("stale_after")
    @classmethod
    def _positive(cls, v):
        if v <= 0:
            raise ValueError("must be > 0")
        return v

    @property
    def accepts_uploads(self) -> bool:
        """Whether files may be uploaded for this feed (operator screen or POST /upload/<feed>)."""
        return self.upload if self.upload is not None else bool(self.upload_tokens)

    @property
    def options(self) -> dict[str, Any]:
        """The kind-specific keys, for the feed's plugin to validate."""
        return dict(self.model_extra or {})


Aggregate = Literal["sum", "mean", "count", "last", "max", "min", "ratio"]
Unit = Literal["rupiah", "percent", "count", "number"]


class MetricConfig(Model):
    """A headline figure kept up to date from the latest record of each entity of a feed."""

    application: Application
    label: str
    label_en: str | None = None
    feed: str
    # Payload fields that name one entity (a market+commodity, a hospital ward); its latest record counts.
    entity: list[str] = Field(min_length=1)
    aggregate: Aggregate
    # Payload field summed/averaged; for 'ratio' two fields [numerator, denominator] (shown as %).
    value: str | list[str] | None = None
    # Only entities whose payload matches: {field: value or [values]}.
    where: dict[str, Any] = Field(default_factory=dict)
    # Only entities whose event time is this recent (e.g. complaints of the last 24h).
    window: Duration | None = None
    # The payload time the window is measured on instead of the event time (a complaint's
    # `created_at`: received in the last 24 h, whatever its latest status change).
    window_field: str | None = None
    # What the figure means, in one sentence a governor reads the same way (Bahasa Indonesia,
    # English): shown on hover or tap wherever the figure is, and in the open-data metadata.
    definition: str | None = None
    definition_en: str | None = None
    # The headline is this region's figure (e.g. "36", the province row of a BPS table);
    # without it, the headline aggregates all entities. The map always shows each kab/kota's own.
    headline_region: str | None = None
    unit: Unit = "number"
    # Higher is worse (prices, occupancy): the map and trend colours read this.
    higher_is_worse: bool = False

    @model_validator(mode="after")
    def _window_field_needs_a_window(self):
        if self.window_field and not self.window:
            raise ValueError("window_field: needs a window")
        return self

    @model_validator(mode="after")
    def _value_fits_aggregate(self):
        if self.aggregate == "ratio":
            if not (isinstance(self.value, list) and len(self.value) == 2):
                raise ValueError("value: a ratio needs [numerator, denominator]")
        elif self.aggregate == "count":
            if self.value is not None and not isinstance(self.value, str):
                raise ValueError("value: count takes no value or one field")
        elif not isinstance(self.value, str):
            raise ValueError(f"value: aggregate '{self.aggregate}' needs one payload field")
        return self


Severity = Literal["critical", "warning", "info"]


class PriceAlertRule(Model):
    """e-Disikap: a price above its reference (HET/HAP), or up too much since the day before."""

    enabled: bool = True
    above_reference: bool = True
    # Rise against the previous day with a price, in percent; empty turns that check off.
    day_on_day_pct: float | None = Field(default=20.0, gt=0)
    severity: Severity = "warning"
    # Reference price (Rp/kg) per commodity key, for sources that carry none (PIHPS).
    reference: dict[str, float] = Field(default_factory=dict)


class ComplaintAlertRule(Model):
    """e-Pormas service levels: verification within N working days, resolution within N days."""

    enabled: bool = True
    verification_working_days: int = Field(default=3, gt=0)
    resolution_days: int = Field(default=5, gt=0)
    severity: Severity = "warning"


class OccupancyAlertRule(Model):
    """e-Yankes: bed occupancy at or above a threshold, per hospital or per ward."""

    enabled: bool = True
    threshold_pct: float = Field(default=90.0, gt=0, le=100)
    level: Literal["hospital", "ward"] = "hospital"
    severity: Severity = "critical"


class TenderStageAlertRule(Model):
    """e-LPSE: an open tender still in a stage whose scheduled end (tgl_akhir) has passed."""

    enabled: bool = True
    # Time allowed past tgl_akhir before it counts (the source updates daily).
    grace: Duration = Duration(0)
    severity: Severity = "warning"

    @field_validator("grace")
    @classmethod
    def _not_negative(cls, v):
        if v < 0:
            raise ValueError("must be >= 0")
        return v


class AlertRules(Model):
    """The alert rules the derive processors apply; feed health alerts come from ingest/health.py."""

    price: PriceAlertRule = PriceAlertRule()
    complaint_sla: ComplaintAlertRule = ComplaintAlertRule()
    bed_occupancy: OccupancyAlertRule = OccupancyAlertRule()
    tender_stage_overdue: TenderStageAlertRule = TenderStageAlertRule()


class Config(Model):
    site: Site = Site()
    redis: RedisSettings = RedisSettings()
    ingest: IngestSettings = IngestSettings()
    dashboard: DashboardSettings = DashboardSettings()
    demo: DemoSettings = DemoSettings()
    retention: RetentionSettings = RetentionSettings()
    feeds: dict[str, FeedConfig] = Field(default_factory=dict)
    metrics: dict[str, MetricConfig] = Field(default_factory=dict)
    # e-CCTV: the cameras, which roles may see each group, and the video gateway (core/cameras.py).
    cameras: dict[str, CameraConfig] = Field(default_factory=dict)
    camera_groups: dict[str, CameraGroup] = Field(default_factory=dict)
    video: VideoSettings = VideoSettings()
    alerts: AlertRules = AlertRules()
    auth: AuthSettings = AuthSettings()
    # The IT control center: every OPD's systems, their checks, probes and channels (core/monitors.py).
    monitors: MonitorSettings = MonitorSettings()
    # Incidents: categories, service-level clocks and escalation (core/incidents/settings.py).
    incidents: IncidentSettings = IncidentSettings()

    @field_validator("feeds", "metrics")
    @classmethod
    def _ids(cls, v):
        for key in v:
            if not re.match(_IDENT, key):
                raise ValueError(f"'{key}' is not a valid id (lower case letters, digits, - and _)")
        return v

    @model_validator(mode="after")
    def _metric_feeds_exist(self):
        problems = [
            ConfigProblem(f"metrics.{mid}.feed", f"unknown feed '{m.feed}'")
            for mid, m in self.metrics.items()
            if m.feed not in self.feeds
        ]
        problems += [ConfigProblem(path, message)
                     for path, message in check_camera_ids(self.cameras, self.camera_groups)]
        problems += [ConfigProblem(path, message)
                     for path, message in check_listings(self.video, self.feeds, self.camera_groups)]
        problems += [ConfigProblem(path, message) for path, message in check_monitors(self.monitors, set(self.feeds))]
        problems += [ConfigProblem(path, message) for path, message in
                     check_incidents(self.incidents, set(self.monitors.opds), set(self.monitors.channels))]
        if problems:
            raise ConfigError(problems)
        return self

    def retention_for(self, feed_id: str) -> Retention:
        """The retention of a feed's stream: its own, else the default."""
        return self.feeds[feed_id].retention or self.retention.default


@dataclass(frozen=True)
class ConfigProblem:
    path: str
    message: str
    line: int | None = None
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else (f"{self.file}: " if self.file else "")
        return f"{where}{self.path}: {self.message}"


class ConfigError(ValueError):
    """One or more mistakes in a configuration or layout file, each with its YAML path."""

    def __init__(self, problems: list[ConfigProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


_MESSAGES = {
    "greater_than": lambda e: f"must be > {e['ctx']['gt']}",
    "greater_than_equal": lambda e: f"must be >= {e['ctx']['ge']}",
    "less_than": lambda e: f"must be < {e['ctx']['lt']}",
    "less_than_equal": lambda e: f"must be <= {e['ctx']['le']}",
    "extra_forbidden": lambda e: "unknown key",
    "missing": lambda e: "required",
    "literal_error": lambda e: f"must be one of {e['ctx']['expected']}",
    "string_pattern_mismatch": lambda e: "must use lower case letters, digits, - and _",
}


def problems_from_validation(err: ValidationError, prefix: str = "") -> list[ConfigProblem]:
    """Pydantic's errors as readable problems with dotted YAML paths."""
    out = []
    for e in err.errors():
        loc = [str(p) for p in e["loc"] if not str(p).startswith("function-")]
        path = ".".join(filter(None, [prefix, *loc]))
        nested = (e.get("ctx") or {}).get("error")
        if isinstance(nested, ConfigError):
            out.extend(nested.problems)
            continue
        fmt = _MESSAGES.get(e["type"])
        msg = fmt(e) if fmt else e["msg"].removeprefix("Value error, ")
        out.append(ConfigProblem(path or "(top)", msg))
    return out


def substitute_env(data: Any, path: str = "", problems: list[ConfigProblem] | None = None) -> Any:
    """Replace ${VAR} and ${VAR:-default} in every string; a missing variable is a problem."""
    if problems is None:
        problems = []
    if isinstance(data, dict):
        return {k: substitute_env(v, f"{path}.{k}" if path else str(k), problems) for k, v in data.items()}
    if isinstance(data, list):
        return [substitute_env(v, f"{path}[{i}]", problems) for i, v in enumerate(data)]
    if isinstance(data, str) and "${" in data:

        def repl(m):
            value = os.environ.get(m.group(1))
            if value is None:
                if m.group(2) is None:
                    problems.append(ConfigProblem(path, f"environment variable {m.group(1)} is not set"))
                    return ""
                return m.group(2)
            return value

        whole = _ENV.fullmatch(data)
        out = _ENV.sub(repl, data)
        # A value that is exactly one empty variable means "not set", not "empty string".
        return None if whole and out == "" else out
    return data


def line_of(root: yaml.Node | None, path: str) -> int | None:
    """The 1-based line in the YAML file where the value at a dotted path starts."""
    node = root
    for part in re.findall(r"[^.\[\]]+", path):
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None) or next(
                (k for k, v in node.value if k.value == part), None
            )
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            break
        if node is None:
            break
    return node.start_mark.line + 1 if node is not None else None


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse a YAML file; a syntax error becomes a ConfigError with its line."""
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ConfigError([ConfigProblem("(syntax)", str(getattr(exc, "problem", exc)), line, str(path))]) from None


def parse_config(data: Any, *, file: str | None = None, node: yaml.Node | None = None) -> Config:
    """Validate a config mapping into the typed tree or raise ConfigError."""
    problems: list[ConfigProblem] = []
    data = substitute_env(data or {}, problems=problems)
    config = None
    if not isinstance(data, dict):
        problems.append(ConfigProblem("(top)", "must be a mapping"))
    else:
        try:
            config = Config.model_validate(data)
        except ValidationError as err:
            problems.extend(problems_from_validation(err))
        except ConfigError as err:
            problems.extend(err.problems)
    if problems:
        raise ConfigError([ConfigProblem(p.path, p.message, line_of(node, p.path), file) for p in problems])
    return config


def load_config(path: str | os.PathLike = "config.yaml") -> Config:
    """Load and validate a config file; every mistake is reported with its YAML path and line."""
    path = Path(path)
    if not path.exists():
        raise ConfigError([ConfigProblem("(file)", "not found", None, str(path))])
    data, node = read_yaml(path)
    config = parse_config(data, file=str(path), node=node)
    use_zone(config.site.timezone)  # the one clock shows times in the site's zone from here on
    return config
