"""This gateway's share of the cameras when several gateways run: those it owns by rendezvous hashing
over the gateways alive in Redis (core/roster.py), kept as gateways come and go.

A camera that moves to another gateway is let go here (its pull stopped, its viewers hung up so that
their players reconnect through the dashboard to the new owner) without being forgotten in Redis:
its status and snapshot stay until the new owner writes its own."""

from __future__ import annotations

import asyncio
import logging

import redis

from core.cameras import CameraConfig, VideoSettings, gateway_name, reachable_base
from core.roster import VIDEO, heartbeat, leave, owner

log = logging.getLogger("video.sharing")


class CameraSharing:
    """The registry's cameras, and which of them this gateway owns among the alive gateways."""

    def __init__(self, client, settings: VideoSettings):
        self.client = client
        self.settings = settings
        self.name = gateway_name(settings)
        self.base = reachable_base(settings)
        self.alive: list[str] = [self.name]
        self.cameras: dict[str, CameraConfig] = {}
        self.inactive: set[str] = set()
        self.gateway = None  # the VideoGateway whose hub pulls what this gateway owns

    def owns(self, camera_id: str) -> bool:
        return owner(camera_id, self.alive) == self.name

    def owner_of(self, camera_id: str) -> str | None:
        return owner(camera_id, self.alive)

    def share(self, cameras: dict[str, CameraConfig], inactive: set[str]) -> tuple[dict[str, CameraConfig], set[str]]:
        """Take the registry's cameras; what this gateway pulls of them now."""
        self.cameras, self.inactive = dict(cameras), set(inactive)
        owned = {cid: camera for cid, camera in self.cameras.items() if self.owns(cid)}
        return owned, self.inactive & set(owned)

    def apply_registry(self, cameras: dict[str, CameraConfig], inactive: set[str]) -> None:
        """The registry changed (a listing) or the alive gateways did: pull this gateway's share."""
        owned, owned_inactive = self.share(cameras, inactive)
        hub = self.gateway.hub
        held = set(hub.cameras)
        self.gateway.apply_registry(owned, owned_inactive)
        # Moved to another gateway, not gone from the registry: keep its status for the new owner.
        hub.removed -= (held - set(owned)) & set(self.cameras)

    @property
    def shared(self) -> bool:
        """Only a gateway given a `video.name` shares: one without it relays every camera it knows
        (a single gateway, or one relaying another's cameras on the same Redis)."""
        return bool(self.settings.name)

    async def join(self) -> None:
        """Say alive once before pulling anything, so the first share already counts the others."""
        if not self.shared:
            return
        try:
            self.alive = await heartbeat(self.client, VIDEO, self.name, self.base, self.settings.alive_for)
        except redis.RedisError as exc:
            log.warning("video gateway %s: Redis unreachable (%s); owning every camera until it answers",
                        self.name, exc)

    async def run(self, stop: asyncio.Event) -> None:
        """Say alive three times per `alive_for`; follow the alive gateways. Leave at a clean stop."""
        if not self.shared:
            await stop.wait()
            return
        try:
            while not stop.is_set():
                try:
                    names = await heartbeat(self.client, VIDEO, self.name, self.base, self.settings.alive_for)
                except redis.RedisError:
                    names = self.alive  # Redis away: keep the share we have rather than drop cameras
                if self.name not in names:
                    names = sorted([*names, self.name])
                if names != self.alive:
                    log.info("video gateways alive: %s (was %s)", ", ".join(names), ", ".join(self.alive))
                    self.alive = names
                    if self.gateway is not None:
                        self.apply_registry(self.cameras, self.inactive)
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.settings.alive_for / 3)
                except TimeoutError:
                    pass
        finally:
            try:
                await leave(self.client, VIDEO, self.name)
            except redis.RedisError:
                pass
