"""Who is alive among the processes of one role, and which of them owns a piece of work.

Several processes of a role (video gateways, ingest, derive) share their work: cameras, feeds,
derive parts. Each says it is alive in Redis a few times per `alive_for` (its name, where it is
reached, and until when it counts as alive, by Redis's own clock so that hosts' clocks need not
agree). A piece of work belongs to the alive process that ranks highest for it by rendezvous hashing:
every reader computes the same owner from the same list, with no coordinator; when a process dies
only its own pieces move, spread over the others, and when it comes back they return.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from redis.exceptions import RedisError

from core.streams import PREFIX, as_text

# The roles that share work through the roster.
VIDEO, INGEST, DERIVE = "video", "ingest", "derive"


def _alive_key(role: str) -> str:
    """Sorted set: process name -> alive until (ms, Redis clock)."""
    return f"{PREFIX}:roster:{role}:alive"


def _address_key(role: str) -> str:
    """Hash: process name -> where it is reached (a video gateway's base URL for the dashboard)."""
    return f"{PREFIX}:roster:{role}:address"

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
# A process that stops cleanly leaves at once: its work moves without waiting for it to count as dead.
_LEAVE = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
"""


def owner(work: str, processes: Iterable[str]) -> str | None:
    """The process that owns a piece of work among `processes` (rendezvous hashing: highest score wins)."""
    def score(process: str) -> bytes:
        return hashlib.blake2b(f"{process}\0{work}".encode(), digest_size=8).digest()
    return max(processes, key=score, default=None)


def ranked(work: str, processes: Iterable[str]) -> list[str]:
    """The processes in the order that would own the work: the owner first, then who takes over."""
    rest = list(processes)
    out = []
    while rest:
        best = owner(work, rest)
        out.append(best)
        rest.remove(best)
    return out


async def heartbeat(client, role: str, name: str, address: str, alive_for: float) -> list[str]:
    """Say this process is alive for `alive_for` seconds; the names of every process of the role alive now."""
    names = await client.eval(_HEARTBEAT, 2, _alive_key(role), _address_key(role), name, address,
                              int(alive_for * 1000))
    return sorted(as_text(n) for n in names)


async def leave(client, role: str, name: str) -> None:
    await client.eval(_LEAVE, 2, _alive_key(role), _address_key(role), name)


async def alive(client, role: str) -> dict[str, str]:
    """Every process of the role alive now: name -> where it is reached."""
    flat = await client.eval(_ALIVE, 2, _alive_key(role), _address_key(role))
    return {as_text(flat[i]): as_text(flat[i + 1]) for i in range(0, len(flat), 2)}


def _hold_key(role: str, piece: str) -> str:
    """Which process does this piece of work now: a key that expires when its holder stops renewing."""
    return f"{PREFIX}:roster:{role}:hold:{piece}"


# Take the hold, or renew it when this process holds it already: one round trip, no race between the two.
_TAKE = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""
# Give the hold back, only if it is still ours.
_GIVE_BACK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


async def holder(client, role: str, piece: str) -> str | None:
    """The process that holds a piece of work now, if any."""
    value = await client.get(_hold_key(role, piece))
    return None if value is None else as_text(value)


class Share:
    """The pieces of work of one role that this process does now.

    The owner of a piece by rendezvous hashing is the one that should do it; the hold makes sure that
    only one does, also while the alive list changes: a process starts a piece only once it holds it,
    gives back the pieces that moved to another, and a dead process's holds lapse after `hold_s`.
    So a piece is done by exactly one process at a time, and by another within `hold_s` when its
    process dies (at once when it stops cleanly)."""

    def __init__(self, client, role: str, name: str, pieces: list[str], hold_s: float, address: str = ""):
        self.client = client
        self.role = role
        self.name = name
        self.pieces = list(pieces)
        self.hold_ms = max(1, int(hold_s * 1000))
        self.address = address
        self.alive: list[str] = [name]
        self.held: set[str] = set()

    @property
    def renew_every(self) -> float:
        """Three renewals per hold: one late renewal (a busy loop, a Redis failover) does not lose it."""
        return self.hold_ms / 1000 / 3

    async def _take(self, piece: str) -> bool:
        return bool(await self.client.eval(_TAKE, 1, _hold_key(self.role, piece), self.name, self.hold_ms))

    async def _give_back(self, piece: str) -> None:
        await self.client.eval(_GIVE_BACK, 1, _hold_key(self.role, piece), self.name)

    async def look(self) -> set[str]:
        """Say alive, renew or take what is ours, give back what moved; the pieces held now.

        With Redis away, the share stays as it was: the holds lapse by themselves if it is gone for
        longer than a hold, and the processes that reach it then take over."""
        try:
            alive = await heartbeat(self.client, self.role, self.name, self.address, self.hold_ms / 1000)
            self.alive = alive if self.name in alive else sorted([*alive, self.name])
            held = set()
            for piece in self.pieces:
                if owner(piece, self.alive) == self.name:
                    if await self._take(piece):
                        held.add(piece)
                elif piece in self.held:
                    await self._give_back(piece)
            self.held = held
        except RedisError:
            pass
        return set(self.held)

    async def leave(self) -> None:
        """A clean stop: every hold given back and the roster left, so others take over at once."""
        try:
            for piece in self.held:
                await self._give_back(piece)
            await leave(self.client, self.role, self.name)
        except RedisError:
            pass
        self.held = set()
