"""The camera registry as configured: cameras, the groups and who may see them, the video gateway.

Both halves import this: the gateway reads the stream addresses, the dashboard only ids, names,
places and groups (`public_view`). Stream addresses carry credentials (${ENV}); they never leave
the gateway process.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.regions import KABKOTA

Role = Literal["public", "operator", "analyst", "executive", "admin"]
Protocol = Literal["rtsp", "whep", "hls"]
StreamVariant = Literal["main", "sub"]

# Which URL schemes each protocol may be pulled from.
_SCHEMES = {"rtsp": ("rtsp", "rtsps"), "whep": ("http", "https"), "hls": ("http", "https", "file")}
_IDENT = r"^[a-z0-9][a-z0-9_-]*$"


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


def visible_cameras(cameras: dict[str, CameraConfig], groups: dict[str, CameraGroup], role: str) -> list[str]:
    """Ids of the cameras a role may watch, in configured order."""
    return [cid for cid, cam in cameras.items() if cam.group in groups and role in groups[cam.group].roles]
