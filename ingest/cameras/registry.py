"""The camera registry of the video gateway: config's cameras plus the cameras of each camera listing.

A listing (the e-CCTV listing feed, named in `video.listings`) is fetched by the gateway itself,
over HTTP on the feed's interval, because its items carry stream addresses with credentials: those
stay in this process's memory. Redis gets the public part only (`core.cameras.CameraInfo` under
`cc:camera:registry`), which the dashboard reads for its camera grids and map.

Rules: config wins on an id clash; a listed camera flagged inactive stays in the registry but is
not pulled; a camera gone from a listing that answered leaves the registry (its viewers are hung
up); a listing that cannot be read keeps its last cameras, so an outage of the listing service
does not take cameras off the wall. No log line holds a stream address or the listing's
credentials (`redact_url`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import redis
import redis.asyncio
from pydantic import ValidationError

from core.cameras import (
    STREAM_FIELDS,
    SUBSTREAM_FIELDS,
    CameraConfig,
    CameraGroup,
    CameraInfo,
    CameraListing,
    Protocol,
    encode_registry,
    redact_url,
)
from core.config import Config, FeedConfig, parse_duration
from core.redis import REDIS_ERRORS
from core.regions import KABKOTA, normalize_region
from core.streams import camera_events, camera_registry, to_iso, utc_now
from ingest.feeds.base import FetchError, fetch_bounded
from ingest.feeds.http_json import parse_json, records_at
from ingest.normalize import parse_boolean, parse_number

log = logging.getLogger("video.registry")

EVENTS_MAXLEN = 10_000
_IDENT = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class SkipCamera(ValueError):
    """A listed camera that cannot join the registry; the message never holds its address."""


@dataclass(frozen=True)
class Entry:
    """One camera of the registry: its config (addresses included), whether it is pulled, where it came from."""

    camera: CameraConfig
    active: bool = True
    source: str = "config"

    def info(self, camera_id: str) -> CameraInfo:
        return self.camera.info(camera_id, self.source, self.active)


def camera_id(value: Any) -> str:
    """A registry id from a listing's id: lower case, other characters turned into '-'."""
    text = re.sub(r"[^a-z0-9_-]+", "-", str(value or "").strip().lower()).strip("-_")
    if not text or not _IDENT.match(text):
        raise SkipCamera("no usable id")
    return text


# A listing is another system's answer: its stream addresses may only be network streams, on hosts
# config allows (`video.listings.<feed>.hosts`, by default the listing's own host). Otherwise a
# listing could make the gateway read its own files (file:) or fetch from any internal address.
LISTED_SCHEMES = ("rtsp", "rtsps", "http", "https")


def check_address(url: str, hosts: set[str]) -> None:
    """SkipCamera when a listed stream address is not a network stream on an allowed host."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise SkipCamera("stream address unreadable") from None
    if parts.scheme not in LISTED_SCHEMES:
        raise SkipCamera(f"stream address scheme '{parts.scheme or 'none'}' is not allowed in a listing "
                         f"({', '.join(LISTED_SCHEMES)})")
    if host not in hosts:
        raise SkipCamera("stream address on a host the listing may not name (video.listings.<feed>.hosts)")


def protocol_of(url: str, stated: Any = None) -> Protocol:
    """The protocol of a stream address: the listing's own `protocol`, else read from the address."""
    if stated in ("rtsp", "rtsp_udp", "whep", "hls"):
        return stated
    try:
        parts = urlsplit(url)
    except ValueError:
        raise SkipCamera("stream address unreadable") from None
    if parts.scheme in ("rtsp", "rtsps"):
        return "rtsp"
    if parts.scheme in ("http", "https"):
        if parts.path.endswith(".m3u8"):
            return "hls"
        if "whep" in parts.path.lower():
            return "whep"
    raise SkipCamera(f"stream address of an unknown kind ({parts.scheme or 'no scheme'})")


def _first(item: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def listed_camera(item: Any, listing: CameraListing, groups: dict[str, CameraGroup],
                  hosts: set[str] | None = None) -> tuple[str, CameraConfig, bool] | None:
    """(id, camera, active) of one listing item; None when the listing's group filter leaves it out.
    `hosts`: where its stream addresses may point (None: anywhere, for config's own cameras only)."""
    if not isinstance(item, dict):
        raise SkipCamera("not an object")
    cid = camera_id(item.get("id"))
    group = str(item.get("group") or listing.group or "")
    if not group:
        raise SkipCamera(f"{cid}: no group (set video.listings.<feed>.group)")
    if listing.groups and group not in listing.groups:
        return None
    if group not in groups:
        # Nobody could be allowed to watch it: which roles see a group is config's to say.
        raise SkipCamera(f"{cid}: unknown camera group '{group}'")
    main = _first(item, STREAM_FIELDS)
    if main is None:
        raise SkipCamera(f"{cid}: no stream address")
    if hosts is not None:
        for address in filter(None, (main, _first(item, SUBSTREAM_FIELDS))):
            try:
                check_address(address, hosts)
            except SkipCamera as exc:
                raise SkipCamera(f"{cid}: {exc}") from None
    kab = normalize_region(item.get("kode_kab", item.get("kab")))
    if kab not in KABKOTA:
        raise SkipCamera(f"{cid}: no kab/kota code of Banten")
    try:
        lat = parse_number(item.get("latitude", item.get("lat")))
        lon = parse_number(item.get("longitude", item.get("lon")))
        active = parse_boolean(item.get("is_active", True))
    except (ValueError, TypeError) as exc:
        raise SkipCamera(f"{cid}: {exc}") from None
    try:
        protocol = protocol_of(main, item.get("protocol"))
    except SkipCamera as exc:
        raise SkipCamera(f"{cid}: {exc}") from None
    try:
        camera = CameraConfig(name=str(item.get("nama_lokasi") or item.get("name") or "").strip(), kab=kab,
                              lat=lat, lon=lon, group=group, protocol=protocol,
                              main=main, sub=_first(item, SUBSTREAM_FIELDS))
    except ValidationError as exc:
        # Pydantic's own text repeats the input, i.e. the address: only the field and the reason.
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'camera'}: {e['msg']}" for e in exc.errors())
        raise SkipCamera(f"{cid}: {reasons}") from None
    return cid, camera, active


def parse_listing(raw: bytes, records: str, listing: CameraListing, groups: dict[str, CameraGroup],
                  hosts: set[str] | None = None) -> tuple[dict[str, tuple[CameraConfig, bool]], list[str]]:
    """The cameras of one listing answer by id, and why the others were left out."""
    cameras: dict[str, tuple[CameraConfig, bool]] = {}
    skipped: list[str] = []
    for item in records_at(parse_json(raw), records):
        try:
            found = listed_camera(item, listing, groups, hosts)
        except SkipCamera as exc:
            skipped.append(str(exc))
            continue
        if found is not None:
            cid, camera, active = found
            if cid in cameras:
                skipped.append(f"{cid}: listed twice; the first is kept")
                continue
            cameras[cid] = (camera, active)
    return cameras, skipped


class ListingSource:
    """One listing feed as the gateway reads it: its URL, headers, records path and interval."""

    def __init__(self, feed_id: str, feed: FeedConfig, listing: CameraListing, groups: dict[str, CameraGroup]):
        options = feed.options
        self.feed_id = feed_id
        self.listing = listing
        self.groups = groups
        self.url = str(options["url"])
        self.records = str(options.get("records", "data"))
        self.headers = {str(k): str(v) for k, v in (options.get("headers") or {}).items()}
        self.interval = parse_duration(options.get("interval", 60))
        self.timeout = parse_duration(options.get("timeout", 15))
        self.max_bytes = int(options.get("max_bytes", 16 * 1024 * 1024))
        # Where the listed stream addresses may point: config's list, else the listing's own host.
        self.hosts = {h.lower() for h in listing.hosts} or {(urlsplit(self.url).hostname or "").lower()}
        self.cameras: dict[str, tuple[CameraConfig, bool]] = {}  # the last good answer
        self.ok: bool | None = None  # None until the first answer
        self._told: set[str] = set()  # skip reasons already logged

    @property
    def where(self) -> str:
        """The listing's address for logs: no credentials, no query (it may hold a token)."""
        return redact_url(self.url)

    async def read(self, session: aiohttp.ClientSession) -> bool:
        """Fetch and parse the listing; True when its cameras changed. A failure keeps the last cameras."""
        try:
            body = await fetch_bounded(session, self.url, None, self.headers, self.timeout, self.max_bytes)
            cameras, skipped = parse_listing(body, self.records, self.listing, self.groups, self.hosts)
        except (TimeoutError, FetchError, aiohttp.ClientError, OSError, ValueError) as exc:
            # Neither the exception's text (an aiohttp error can repeat the URL) nor the URL itself.
            reason = str(exc) if isinstance(exc, (ValueError, FetchError)) else type(exc).__name__
            if self.ok is not False:
                log.warning("camera listing %s (%s) unreadable: %s; keeping its %d cameras",
                            self.feed_id, self.where, reason, len(self.cameras))
            self.ok = False
            return False
        if self.ok is False:
            log.info("camera listing %s readable again", self.feed_id)
        self.ok = True
        new_reasons = set(skipped) - self._told
        for reason in sorted(new_reasons):
            log.warning("camera listing %s: camera left out: %s", self.feed_id, reason)
        self._told = set(skipped)
        changed = cameras != self.cameras
        self.cameras = cameras
        return changed


class CameraRegistry:
    """Config's cameras and every listing's, merged; publishes the public part to Redis."""

    def __init__(self, config: Config):
        self.configured = dict(config.cameras)
        self.sources = [ListingSource(fid, config.feeds[fid], listing, dict(config.camera_groups))
                        for fid, listing in config.video.listings.items() if fid in config.feeds]
        self.published: str | None = None
        self._clashes: set[str] = set()

    def entries(self) -> dict[str, Entry]:
        """The registry now: config's cameras first, then each listing's in its order."""
        out = {cid: Entry(camera) for cid, camera in self.configured.items()}
        for source in self.sources:
            for cid, (camera, active) in source.cameras.items():
                if cid in out:
                    if cid not in self._clashes:
                        self._clashes.add(cid)
                        log.info("camera %s of listing %s is also in config (or an earlier listing): "
                                 "that one is kept", cid, source.feed_id)
                    continue
                out[cid] = Entry(camera, active, source.feed_id)
        return out

    def cameras(self) -> tuple[dict[str, CameraConfig], set[str]]:
        """(every camera by id, the ids flagged inactive), for the hub."""
        entries = self.entries()
        return {cid: e.camera for cid, e in entries.items()}, {cid for cid, e in entries.items() if not e.active}

    def public(self) -> list[CameraInfo]:
        """What the dashboard may know: ids, names, places, groups, active flags and sources."""
        return [entry.info(cid) for cid, entry in self.entries().items()]

    async def read_all(self, session: aiohttp.ClientSession) -> bool:
        """Read every listing once; True when the registry changed."""
        changed = await asyncio.gather(*(s.read(session) for s in self.sources))
        return any(changed)

    async def publish(self, client: redis.asyncio.Redis, before: dict[str, CameraInfo] | None = None) -> bool:
        """Put the public part in Redis (and an event per camera added or removed); False while Redis is away."""
        cameras = self.public()
        encoded = encode_registry(cameras)
        now = to_iso(utc_now())
        events = []
        if before is not None:
            after = {c.id: c for c in cameras}
            events = [{"camera": cid, "state": "added", "reason": f"listed by {after[cid].source}", "at": now}
                      for cid in after if cid not in before]
            events += [{"camera": cid, "state": "removed", "reason": "not in the listing", "at": now}
                       for cid in before if cid not in after]
        try:
            async with client.pipeline(transaction=True) as pipe:
                pipe.set(camera_registry(), encoded)
                for event in events:
                    pipe.xadd(camera_events(), event, maxlen=EVENTS_MAXLEN, approximate=True)
                if encoded != self.published and not events:
                    # Wakes the dashboards' readers (flags or names changed, no camera came or went).
                    pipe.xadd(camera_events(), {"camera": "", "state": "registry", "reason": "", "at": now},
                              maxlen=EVENTS_MAXLEN, approximate=True)
                await pipe.execute()
        except REDIS_ERRORS:
            return False  # the status writer already says Redis is away; retried next round
        self.published = encoded
        return True

    async def run(self, client: redis.asyncio.Redis, stop: asyncio.Event,
                  apply: Callable[[dict[str, CameraConfig], set[str]], None]) -> None:
        """Publish, then read each listing on its interval until `stop`; `apply` gets every change."""
        await self.publish(client)
        if not self.sources:
            return
        interval = min(s.interval for s in self.sources)
        async with aiohttp.ClientSession() as session:
            while not stop.is_set():
                before = {c.id: c for c in self.public()}
                if await self.read_all(session):
                    apply(*self.cameras())
                    log.info("camera registry: %d cameras (%d from listings)", len(self.entries()),
                             sum(len(s.cameras) for s in self.sources))
                # Every round, not only on change: a Redis that lost its data gets the registry back.
                await self.publish(client, before)
                try:
                    await asyncio.wait_for(stop.wait(), interval)
                except TimeoutError:
                    pass
