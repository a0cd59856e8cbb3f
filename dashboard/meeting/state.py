"""A meeting room's shared view: what the presenter puts in front of everyone, kept in Redis.

One hash per room (`core.streams.meeting_room`): the topic (an application, a kab/kota's overview
or a camera), the region, the spotlit tile, the prepared-view list and step, and a version that
every change bumps. The presenter's page writes it; every screen of the room (the projector, the
presenter's own preview, a second dashboard in another process) redraws when the change's audit
entry, written in the same transaction, reaches its dashboard's live hub. Redis, not the dashboard
process, holds it: several dashboard workers, or a restarted one, show the same room.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Any

import redis

from core.audit import entry as audit_entry
from core.config import APPLICATIONS, Config
from core.regions import KABKOTA, PROVINCE_CODE
from core.streams import AUDIT, AUDIT_MAXLEN, decoded, meeting_room, to_iso, utc_now

DEFAULT_ROOM = "utama"
OVERVIEW = "wilayah"  # the topic "one kab/kota (or the province): every application's figures"
CAMERA = "kamera"
TILES = ("angka", "peta", "tren", "peringatan", "kamera")
_ROOM = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_RETRIES = 20


def room_name(text: str | None) -> str:
    """A room from the URL (`?ruang=rapat-2`): lower-case letters, digits and dashes, else the default."""
    name = (text or "").strip().lower()
    return name if _ROOM.match(name) else DEFAULT_ROOM


def topic_kind(topic: str) -> str:
    """"app", "wilayah", "kamera", or "" while nothing is chosen."""
    if topic in APPLICATIONS:
        return "app"
    return topic if topic in (OVERVIEW, CAMERA) else ""


def tiles_of(topic: str) -> tuple[str, ...]:
    """The tiles the stage shows for a kind of topic."""
    return {"app": ("angka", "peta", "tren", "peringatan"),
            OVERVIEW: ("angka", "peta", "peringatan"),
            CAMERA: ("kamera", "peta", "angka", "peringatan")}.get(topic_kind(topic), ())


SHOWN = ("topic", "region", "camera", "spotlight", "plan", "step")


@dataclass(frozen=True)
class RoomView:
    """What a room shows now. `version` grows by one with every change."""

    topic: str = ""  # an application (e-yankes), "wilayah" or "kamera"; "" before the first choice
    region: str = PROVINCE_CODE  # "36" or a kab/kota code
    camera: str = ""  # the camera of a "kamera" topic
    spotlight: str = ""  # the tile shown large, "" for all alike
    plan: str = ""  # the prepared-view list in use (layouts/meeting/<plan>.yaml)
    step: int = -1  # its step last shown, -1 before the first
    version: int = 0
    updated: str = ""  # UTC ISO time of the last change
    by: str = ""  # who made it (a user name), "" when unknown

    @property
    def kind(self) -> str:
        return topic_kind(self.topic)

    @property
    def tiles(self) -> tuple[str, ...]:
        return tiles_of(self.topic)

    def shown(self) -> tuple:  # in the order of SHOWN
        """What the screens show: a change of anything else (who, when) alone is no change."""
        return self.topic, self.region, self.camera, self.spotlight, self.plan, self.step

    def encode(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}

    @classmethod
    def decode(cls, fields: dict[Any, Any] | None) -> RoomView:
        f = decoded(fields)

        def number(key: str, default: int) -> int:
            try:
                return int(f.get(key, default))
            except (TypeError, ValueError):
                return default

        return cls(topic=f.get("topic", ""), region=f.get("region") or PROVINCE_CODE,
                   camera=f.get("camera", ""),
                   spotlight=f.get("spotlight", ""), plan=f.get("plan", ""), step=number("step", -1),
                   version=number("version", 0), updated=f.get("updated", ""), by=f.get("by", ""))


def sane(view: RoomView, config: Config) -> RoomView:
    """The view with what does not fit dropped: an unknown topic, region or camera, a spotlight on a
    tile the topic does not show. A camera topic is at its camera's kab/kota."""
    topic = view.topic if topic_kind(view.topic) else ""
    region = view.region if view.region in KABKOTA or view.region == PROVINCE_CODE else PROVINCE_CODE
    camera = view.camera if topic == CAMERA and view.camera in config.cameras else ""
    if topic == CAMERA and not camera:
        topic = ""
    if camera:
        region = config.cameras[camera].kab
    spotlight = view.spotlight if view.spotlight in tiles_of(topic) else ""
    return replace(view, topic=topic, region=region, camera=camera, spotlight=spotlight)


def read_view(client: redis.Redis, room: str) -> RoomView:
    return RoomView.decode(client.hgetall(meeting_room(room)))


def read_version(client: redis.Redis, room: str) -> int:
    """The room's version alone: what a following screen polls."""
    v = client.hget(meeting_room(room), "version")
    try:
        return int(v) if v is not None else 0
    except (TypeError, ValueError):
        return 0


def change(client: redis.Redis, room: str, config: Config, who: str = "", **fields: Any) -> RoomView:
    """Set some of the room's fields; the version moves only when what the screens show changed.
    Two presenters at once: the later write wins, neither is lost halfway (WATCH/MULTI)."""
    key = meeting_room(room)
    for _ in range(_RETRIES):
        with client.pipeline(transaction=True) as pipe:
            try:
                pipe.watch(key)
                current = RoomView.decode(pipe.hgetall(key))
                wanted = sane(replace(current, **fields), config)
                if wanted.shown() == current.shown():
                    pipe.unwatch()
                    return current
                new = replace(wanted, version=current.version + 1, updated=to_iso(utc_now()), by=who)
                pipe.multi()
                pipe.hset(key, mapping=new.encode())
                # Who moved the room's screen to what, in the same transaction (the remote does too).
                shown = " ".join(f"{k}={v}" for k, v in zip(SHOWN, new.shown(), strict=True) if v not in ("", None, -1))
                pipe.xadd(AUDIT, audit_entry(who, "screen_control", target=f"meeting:{room}", detail=shown),
                          maxlen=AUDIT_MAXLEN, approximate=True)
                pipe.execute()
                return new
            except redis.WatchError:
                continue
    raise RuntimeError(f"meeting room {room}: too many concurrent changes")
