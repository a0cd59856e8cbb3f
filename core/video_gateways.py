"""Which video gateway owns which camera, shared by the gateways and the dashboard.

Every gateway says it is alive in Redis once a second (its name, where the dashboard reaches it, and
until when it counts as alive, by Redis's own clock so that hosts' clocks need not agree). A camera
belongs to the alive gateway that ranks highest for it by rendezvous hashing: every reader computes
the same owner from the same list, with no coordinator; when a gateway dies only its own cameras
move, spread over the others, and when it comes back they return. The owner is the only one that
pulls the camera, so the camera gives one upstream stream however many viewers it has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from urllib.parse import urlsplit

from core.cameras import VideoSettings
from core.streams import PREFIX

ALIVE = f"{PREFIX}:video:gateways:alive"  # sorted set: gateway name -> alive until (ms, Redis clock)
ADDRESSES = f"{PREFIX}:video:gateways:address"  # hash: gateway name -> base URL for the dashboard

# Say alive, forget the long-dead, and answer who is alive now: one round trip, on Redis's clock.
_HEARTBEAT = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ms - 3600000)
for _, name in ipairs(gone) do
  redis.call('ZREM', KEYS[1], name)
  redis.call('HDEL', KEYS[2], name)
end
return redis.call('ZRANGEBYSCORE', KEYS[1], ms, '+inf')
"""
_ALIVE = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local names = redis.call('ZRANGEBYSCORE', KEYS[1], ms, '+inf')
local out = {}
for _, name in ipairs(names) do
  table.insert(out, name)
  table.insert(out, redis.call('HGET', KEYS[2], name) or '')
end
return out
"""
# A gateway that stops cleanly leaves at once: its cameras move without waiting for it to count as dead.
_LEAVE = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
"""


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def reachable_base(settings: VideoSettings) -> str:
    """Where the dashboard reaches a gateway: `advertise`, else its listen address (a wildcard on loopback)."""
    if settings.advertise:
        return settings.advertise.rstrip("/")
    host = settings.host
    host = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    return f"http://{host}:{settings.port}"


def gateway_name(settings: VideoSettings) -> str:
    """This gateway's name among the others: configured, else the host and port it is reached at."""
    return settings.name or urlsplit(reachable_base(settings)).netloc


def owner(camera_id: str, gateways: Iterable[str]) -> str | None:
    """The gateway that owns the camera among `gateways` (rendezvous hashing: highest score wins)."""
    def score(gateway: str) -> bytes:
        return hashlib.blake2b(f"{gateway}\0{camera_id}".encode(), digest_size=8).digest()
    return max(gateways, key=score, default=None)


def ranked(camera_id: str, gateways: Iterable[str]) -> list[str]:
    """The gateways in the order that would own the camera: the owner first, then who takes over."""
    rest = list(gateways)
    out = []
    while rest:
        best = owner(camera_id, rest)
        out.append(best)
        rest.remove(best)
    return out


async def heartbeat(client, name: str, base: str, alive_for: float) -> list[str]:
    """Say this gateway is alive for `alive_for` seconds; the names of every gateway alive now."""
    names = await client.eval(_HEARTBEAT, 2, ALIVE, ADDRESSES, name, base, int(alive_for * 1000))
    return sorted(_text(n) for n in names)


async def leave(client, name: str) -> None:
    await client.eval(_LEAVE, 2, ALIVE, ADDRESSES, name)


async def alive(client) -> dict[str, str]:
    """Every gateway alive now: name -> the base URL the dashboard reaches it at."""
    flat = await client.eval(_ALIVE, 2, ALIVE, ADDRESSES)
    return {_text(flat[i]): _text(flat[i + 1]) for i in range(0, len(flat), 2)}
