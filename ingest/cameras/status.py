"""Camera health and snapshots into Redis: status hashes, the state-change stream, JPEG keys with a TTL.

Redis being away must never stop the video: writes that fail are logged once and retried on the
next round.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

import redis
import redis.asyncio

from core import streams
from core.redis import REDIS_ERRORS, OutageLog
from core.streams import to_iso, utc_now
from ingest.cameras.hub import CameraHub
from ingest.cameras.snapshot import PictureVerdict

log = logging.getLogger("video.status")

EVENTS_MAXLEN = 10_000
TICK = 0.25       # stall detection resolution
REFRESH = 1.0     # fps/bitrate refresh of every status hash


class CameraStatusWriter:
    """Keeps `cc:camera:status:<id>` current and appends every state change to `cc:camera-events`."""

    def __init__(self, hub: CameraHub, client: redis.asyncio.Redis, snapshot_ttl: int):
        self.hub = hub
        self.client = client
        self.snapshot_ttl = snapshot_ttl
        self.snapshots: dict[str, tuple[bytes, float]] = {}  # latest JPEG per camera, for the gateway
        self._outage = OutageLog(log, "Redis unavailable ({error}): camera status not written; video continues",
                                 "Redis reachable again; camera status resumes")

    def picture(self, verdict: PictureVerdict) -> None:
        """A snapshot worker verdict (in the loop's thread): health, and the JPEG to Redis."""
        if verdict.camera_id not in self.hub.health:  # removed from the registry meanwhile
            return
        self.hub.picture(verdict.camera_id, verdict.frozen, verdict.black, verdict.damage)
        if verdict.jpeg:
            self.snapshots[verdict.camera_id] = (verdict.jpeg, verdict.taken_at)
            asyncio.get_running_loop().create_task(self._store_snapshot(verdict))

    async def _store_snapshot(self, verdict: PictureVerdict) -> None:
        cid = verdict.camera_id
        taken = to_iso(datetime.fromtimestamp(verdict.taken_at, UTC))
        await self._write(lambda p: (p.set(streams.camera_snapshot(cid), verdict.jpeg, ex=self.snapshot_ttl),
                                     p.set(streams.camera_snapshot_time(cid), taken, ex=self.snapshot_ttl)))

    async def run(self, stop: asyncio.Event) -> None:
        """Tick the health, write transitions at once and every status once a second, until stop."""
        last_refresh = 0.0
        while not stop.is_set():
            self.hub.tick()
            changed, self.hub.changed = self.hub.changed, set()
            removed, self.hub.removed = self.hub.removed, set()
            if removed:
                await self.forget(removed)
            now = time.monotonic()
            refresh = now - last_refresh >= REFRESH
            if changed or refresh:
                ids = list(self.hub.health) if refresh else sorted(changed)
                await self._write(lambda p, ids=ids, changed=changed: self._fill(p, ids, changed))
                if refresh:
                    last_refresh = now
            try:
                await asyncio.wait_for(stop.wait(), TICK)
            except TimeoutError:
                pass

    async def forget(self, removed: set[str]) -> None:
        """Cameras gone from the registry: their status and snapshot keys go, and an event says so."""
        for cid in removed:
            self.snapshots.pop(cid, None)

        def fill(pipe) -> None:
            for cid in sorted(removed):
                pipe.delete(streams.camera_status(cid), streams.camera_snapshot(cid), streams.camera_snapshot_time(cid))
                pipe.xadd(streams.camera_events(), {"camera": cid, "state": "removed", "reason": "not in the listing",
                                                    "at": to_iso(utc_now())}, maxlen=EVENTS_MAXLEN, approximate=True)
        await self._write(fill)

    def _fill(self, pipe, ids, changed) -> None:
        for cid in ids:
            fields = self.hub.health[cid].as_fields()
            pipe.hset(streams.camera_status(cid), mapping=fields)
            if cid in changed:
                pipe.xadd(streams.camera_events(), {"camera": cid, "state": fields["state"],
                                                    "reason": fields["reason"], "at": to_iso(utc_now())},
                          maxlen=EVENTS_MAXLEN, approximate=True)

    async def _write(self, fill) -> None:
        try:
            async with self.client.pipeline(transaction=False) as pipe:
                fill(pipe)
                await pipe.execute()
            self._outage.worked()
        except REDIS_ERRORS as exc:
            self._outage.failed(exc)
