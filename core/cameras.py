"""The camera registry: cameras from config and from camera listings, their groups, the video gateway.

Both halves import this: the gateway reads the stream addresses, the dashboard only ids, names,
places, groups and the active flag (`CameraInfo`). Stream addresses carry credentials (${ENV} in
config, plain in a listing); they never leave the gateway process. The gateway publishes the
public part of the whole registry (config + listings) to Redis for the dashboard.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.regions import KABKOTA

Role = Literal["public", "operator", "analyst", "executive", "admin", "wall"]
Protocol = Literal["rtsp", "rtsp_udp", "whep", "hls"]
StreamVariant = Literal["main", "sub"]

# Which URL schemes each protocol may be pulled from.
_SCHEMES = {"rtsp": ("rtsp", "rtsps"), "rtsp_udp": ("rtsp",), "whep": ("http", "https"),
            "hls": ("http", "https", "file")}
_IDENT = r"^[a-z0-9][a-z0-9_-]*$"

# The fields of a camera listing item that may hold a camera's main stream, its substream, or the
# credentials to pull them (listings name them differently). The gateway reads the addresses; every
# other reader of a listing drops all of SECRET_FIELDS before anything is stored, so no address or
# password reaches Redis, a log line or a browser.
STREAM_FIELDS = ("stream_url", "rtsp_url", "hls_url", "url_stream", "whep_url")
SUBSTREAM_FIELDS = ("stream_url_sub", "sub_stream_url", "substream_url")
CREDENTIAL_FIELDS = ("username", "password")
SECRET_FIELDS = (*STREAM_FIELDS, *SUBSTREAM_FIELDS, *CREDENTIAL_FIELDS)
# The application whose feeds read camera listings: every feed of it drops SECRET_FIELDS.
CAMERA_APPLICATION = "e-cctv"


def secret_fields(application: str) -> tuple[str, ...]:
    """The fields a feed of `application` never stores, whatever its config says."""
    return SECRET_FIELDS if application == CAMERA_APPLICATION else ()


def without_secrets(item: dict) -> dict:
    """A listing item without its stream addresses and credentials."""
    return {k: v for k, v in item.items() if k not in SECRET_FIELDS}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CameraGroup(_Model):
    """A set of cameras (one operator's, e.g. Polda Banten) and the roles allowed to watch them."""

    title: str | None = None
    roles: list[Role] = Field(min_length=1)


class CameraConfig(_Model):
    """One camera: where it is, whose it is, and where its main stream and optional substream are."""

    name: str = Field(min_length=1)
    kab: str
    lat: float = Field(ge=-7.5, le=-5.5)   # Banten lies within these bounds, with margin
    lon: float = Field(ge=105.0, le=107.0)
    group: str
    protocol: Protocol = "rtsp"
    main: str
    sub: str | None = None
    # Decode and encode to H.264 in the gateway when the camera sends another codec (H.265): one
    # encoder per pulled stream, never per viewer (budget in ingest/cameras/transcode.py).
    transcode: bool = False

    @field_validator("kab")
    @classmethod
    def _known_kab(cls, v):
        if v not in KABKOTA:
            raise ValueError(f"'{v}' is not a BPS kab/kota code of Banten (3601..3674)")
        return v

    @model_validator(mode="after")
    def _urls_fit_protocol(self):
        for variant in ("main", "sub"):
            url = getattr(self, variant)
            if url is None:
                continue
            scheme = urlsplit(url).scheme
            if scheme not in _SCHEMES[self.protocol]:
                # The message names the scheme only: the URL may hold a password.
                raise ValueError(f"{variant}: a {self.protocol} camera needs a "
                                 f"{'/'.join(_SCHEMES[self.protocol])} URL, not '{scheme or 'no scheme'}'")
        return self

    def url(self, variant: StreamVariant) -> str:
        """The address of a stream; the substream falls back to the main stream."""
        return self.sub if variant == "sub" and self.sub else self.main

    def public_view(self, camera_id: str) -> dict:
        """What a page may know about the camera: never its stream addresses."""
        return {"id": camera_id, "name": self.name, "kab": self.kab, "lat": self.lat, "lon": self.lon,
                "group": self.group, "has_sub": self.sub is not None}

    def info(self, camera_id: str, source: str = "config", active: bool = True) -> CameraInfo:
        """The public part of the camera, as published in the registry."""
        return CameraInfo(camera_id, self.name, self.kab, self.lat, self.lon, self.group, active, source,
                          self.sub is not None)


@dataclass(frozen=True)
class CameraInfo:
    """What the dashboard knows about a camera (never a stream address): the registry's public part.

    `source` is "config" or the id of the listing feed it came from; `active` is the listing's flag
    (a camera flagged inactive is not pulled and shows as such)."""

    id: str
    name: str
    kab: str
    lat: float
    lon: float
    group: str
    active: bool = True
    source: str = "config"
    has_sub: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> CameraInfo:
        return cls(id=str(item["id"]), name=str(item["name"]), kab=str(item["kab"]), lat=float(item["lat"]),
                   lon=float(item["lon"]), group=str(item["group"]), active=bool(item.get("active", True)),
                   source=str(item.get("source") or "config"), has_sub=bool(item.get("has_sub", False)))


def encode_registry(cameras: Iterable[CameraInfo]) -> str:
    """The registry's public part as stored in Redis: one JSON list, in the registry's order."""
    return json.dumps([c.as_json() for c in cameras], ensure_ascii=False, separators=(",", ":"))


def decode_registry(text: str | bytes | None) -> dict[str, CameraInfo]:
    """The published registry by camera id (empty when none was published or it is unreadable)."""
    if not text:
        return {}
    try:
        items = json.loads(text)
        return {c.id: c for c in (CameraInfo.from_json(item) for item in items)}
    except (ValueError, KeyError, TypeError):
        return {}


def camera_list(configured: dict[str, CameraConfig], published: dict[str, CameraInfo]) -> dict[str, CameraInfo]:
    """Every known camera: config's (in config order; config wins on an id clash), then the published
    listing cameras in the order the gateway published them."""
    out = {cid: cam.info(cid) for cid, cam in configured.items()}
    out.update((cid, info) for cid, info in published.items() if cid not in out)
    return out


def redact_url(url: str) -> str:
    """An address fit for a log line: scheme, host, port and path; no user, password or query (tokens)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<address>"
    return f"{parts.scheme}://{host}{port}{parts.path}" if parts.scheme else "<address>"


class CameraListing(_Model):
    """A camera listing feed (e-CCTV) the video gateway reads for more cameras, beside config's.

    The gateway fetches the feed's `url` itself on the feed's `interval` and keeps the stream
    addresses in memory only; the feed's own ingest drops them (`drop_fields`)."""

    # The group of listed cameras that name none.
    group: str | None = None
    # Only the listed cameras of these groups join the registry (empty: every group).
    groups: list[str] = Field(default_factory=list)
    # Hosts the listed stream addresses may name (rtsp/rtsps/http/https only); empty: the listing's own host.
    hosts: list[str] = Field(default_factory=list)


class VideoSettings(_Model):
    """The video gateway: where it listens, which page origin may call it, health timings."""

    host: str = "127.0.0.1"
    port: int = Field(default=8889, gt=0, lt=65536)
    # The dashboard's origin (scheme://host:port); only it may call the gateway from a browser.
    allowed_origin: str = "http://127.0.0.1:8050"
    # No new frame for this long: the camera is stalled (seconds).
    stall_after: float = Field(default=2.0, gt=0, le=30)
    # A camera that cannot be opened or read is retried after a pause growing up to this.
    max_backoff: float = Field(default=30.0, gt=0)
    # A keyframe JPEG to Redis at most this often, kept this long.
    snapshot_every: float = Field(default=3.0, gt=0)
    snapshot_ttl: int = Field(default=60, gt=0)
    # The same picture for this long (seconds): the camera is frozen.
    frozen_after: float = Field(default=4.0, gt=0)
    # Packets queued for one viewer before it is dropped as too slow.
    viewer_queue: int = Field(default=120, ge=8, le=2000)
    # How long a stream keeps being pulled after its last viewer left (seconds).
    linger: float = Field(default=10.0, ge=0)
    # Simulated cameras for the demo (GStreamer RTSP server on this port); off for a real site.
    demo_cameras: int = Field(default=0, ge=0, le=16)
    demo_rtsp_port: int = Field(default=8554, gt=0, lt=65536)
    # Camera listing feeds whose cameras join the registry: `[feed_id]` or `{feed_id: {group, groups}}`.
    listings: dict[str, CameraListing] = Field(default_factory=dict)
    # Several gateways may share the cameras: each is owned (pulled, judged, relayed) by one of them,
    # chosen by rendezvous hashing over the named gateways alive in Redis. A gateway shares once it has
    # a `name` (unset: it relays every camera it knows, as a single gateway does); `advertise` is where
    # the dashboard reaches it (default: from host and port, a wildcard address on loopback).
    name: str = ""
    advertise: str = ""
    # A gateway that has not said it is alive for this long is taken to be dead; its cameras move.
    alive_for: float = Field(default=2.0, gt=0.5, le=60)
    # The dashboard's credential for the gateway (WHEP, camera list, snapshots). Unset: a random one
    # generated under ingest.secrets_dir; set it (${ENV}) when the gateway runs on another machine.
    internal_token: str | None = None

    @field_validator("internal_token", mode="before")
    @classmethod
    def _token(cls, v):
        if v in ("", None):
            return None
        if len(str(v)) < 16:
            raise ValueError("needs at least 16 characters")
        return str(v)

    @field_validator("listings", mode="before")
    @classmethod
    def _listing_ids(cls, v):
        if isinstance(v, list):
            return {str(feed_id): {} for feed_id in v}
        return {k: ({} if val is None else val) for k, val in v.items()} if isinstance(v, dict) else v

    @field_validator("allowed_origin")
    @classmethod
    def _origin(cls, v):
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ValueError("must be an origin like http://host:port (no path)")
        return v.rstrip("/")


def check_camera_ids(cameras: dict, groups: dict) -> list[tuple[str, str]]:
    """(YAML path, message) for bad camera ids and cameras naming an unknown group."""
    problems = [(f"cameras.{cid}", "not a valid id (lower case letters, digits, - and _)")
                for cid in cameras if not re.match(_IDENT, cid)]
    problems += [(f"camera_groups.{gid}", "not a valid id (lower case letters, digits, - and _)")
                 for gid in groups if not re.match(_IDENT, gid)]
    problems += [(f"cameras.{cid}.group", f"unknown camera group '{cam.group}'")
                 for cid, cam in cameras.items() if cam.group not in groups]
    return problems


def check_listings(video: VideoSettings, feeds: dict, groups: dict) -> list[tuple[str, str]]:
    """(YAML path, message) for listings naming an unknown feed, a feed without a URL, or unknown groups."""
    problems = []
    for feed_id, listing in video.listings.items():
        path = f"video.listings.{feed_id}"
        feed = feeds.get(feed_id)
        if feed is None:
            problems.append((path, f"unknown feed '{feed_id}'"))
        elif not feed.options.get("url"):
            problems.append((path, f"feed '{feed_id}' has no url to read the listing from"))
        if listing.group is not None and listing.group not in groups:
            problems.append((f"{path}.group", f"unknown camera group '{listing.group}'"))
        problems += [(f"{path}.groups", f"unknown camera group '{g}'") for g in listing.groups if g not in groups]
    return problems


def visible_cameras(cameras: dict[str, CameraConfig], groups: dict[str, CameraGroup], role: str) -> list[str]:
    """Ids of the cameras a role may watch, in configured order."""
    return [cid for cid, cam in cameras.items() if cam.group in groups and role in groups[cam.group].roles]


def reachable_base(settings: VideoSettings) -> str:
    """Where the dashboard reaches a gateway: `advertise`, else its listen address (a wildcard on loopback)."""
    if settings.advertise:
        return settings.advertise.rstrip("/")
    host = settings.host
    host = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    return f"http://{host}:{settings.port}"


def gateway_name(settings: VideoSettings) -> str:
    """This gateway's name among the others: configured, else (a gateway that does not share) the host
    and port it is reached at."""
    return settings.name or urlsplit(reachable_base(settings)).netloc
