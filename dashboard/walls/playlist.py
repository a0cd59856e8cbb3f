"""Wall playlists: one wall URL rotating through screens, paced by the server's clock.

A playlist is a file in `layouts/` with `kind: playlist`; it is served at `/wall/<name>` like a
screen, so a wall PC's start page never changes when the rotation does:

    kind: playlist
    title: Putaran Command Center
    items:
      - {screen: command-center, seconds: 60}
      - {screen: harga-pangan, seconds: 30}

Where a playlist stands is computed, not stored: the hash `playlist_state(name)` in Redis holds an
anchor (the server time, Unix seconds, at which item 0 of a cycle began), and whether it is paused
at an offset into the cycle. Every wall computes the same position from the same state and the
server clock, so all walls showing a playlist agree, and a reloaded wall resumes at the right
place. With no state in Redis the anchor is the Unix epoch. The remote control (`/remote`) changes
the state, and audits the change in the same transaction; the live hub reads the audit stream and
moves its playlists channel, on which `PlaylistStates` reads each dashboard process's copy again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidationError

from core.audit import entry as audit_entry
from core.clock import timestamp
from core.config import Model, problems_from_validation
from core.redis import REDIS_ERRORS, OutageLog, connect_async
from core.streams import AUDIT, AUDIT_MAXLEN, decoded, playlist_state, to_iso, utc_now
from dashboard.live.signal import Signal

log = logging.getLogger("dashboard.walls.playlist")

POLL_S = 0.25  # without a hub channel (a bare process): how often the states are read again
UNANNOUNCED_S = 5.0  # with one: a state written without its audit entry (by hand) still shows this soon
RETRY_S = 2.0  # while Redis is away: walls keep rotating on the last state they read
ACTIONS = ("pause", "resume", "next", "previous", "jump")


class Item(Model):
    screen: str
    # Long enough to be read from across the room; short ones are for tests.
    seconds: float = Field(ge=2, le=86400)
    # What the wall's page indicator and the remote call it (default: the screen's title).
    label: str | None = None
    label_en: str | None = None


class PlaylistFile(Model):
    kind: Literal["playlist"]
    title: str
    title_en: str | None = None
    items: list[Item] = Field(min_length=1)


@dataclass(frozen=True)
class Playlist:
    """One validated playlist: its screens in order and how long each stays."""

    name: str
    title: str
    title_en: str | None
    items: tuple[Item, ...]
    file: str = ""

    @property
    def path(self) -> str:
        return f"/wall/{self.name}"

    @property
    def cycle(self) -> float:
        return sum(i.seconds for i in self.items)

    @property
    def screens(self) -> tuple[str, ...]:
        """The screens it shows, each once, in order of first appearance."""
        return tuple(dict.fromkeys(i.screen for i in self.items))

    def title_in(self, lang: str) -> str:
        return (self.title_en if lang == "en" and self.title_en else None) or self.title

    def start_of(self, index: int) -> float:
        """Seconds from the start of a cycle to the start of item `index`."""
        return sum(i.seconds for i in self.items[:index])


def parse_playlist(name: str, data: dict, screens: set[str]) -> tuple[Playlist | None, list[tuple[str, str]]]:
    """A Playlist from a parsed file, or the problems as (dotted path, message); every screen it
    names must be one of `screens`."""
    try:
        model = PlaylistFile.model_validate(data)
    except ValidationError as err:
        return None, [(p.path, p.message) for p in problems_from_validation(err)]
    problems = [(f"items[{i}].screen", f"unknown screen '{item.screen}'")
                for i, item in enumerate(model.items) if item.screen not in screens]
    if problems:
        return None, problems
    return Playlist(name, model.title, model.title_en, tuple(model.items)), []


# ---- where a playlist stands ----------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """The rotation as the remote control left it; the default runs from the Unix epoch."""

    anchor: float = 0.0     # Unix seconds (server clock) at which item 0 of a cycle began
    paused: bool = False
    offset: float = 0.0     # seconds into the cycle where it is paused
    by: str = ""            # who changed it last, and when (shown on the remote)
    at: str = ""

    def encode(self) -> dict[str, str]:
        return {"anchor": repr(self.anchor), "paused": "1" if self.paused else "0", "offset": repr(self.offset),
                "by": self.by, "at": self.at}

    @classmethod
    def decode(cls, fields: dict | None) -> State:
        f = decoded(fields)
        try:
            return cls(float(f.get("anchor") or 0), f.get("paused") == "1", float(f.get("offset") or 0),
                       f.get("by", ""), f.get("at", ""))
        except ValueError:
            return cls()  # a hand-edited, unreadable hash: rotate from the epoch rather than stop


@dataclass(frozen=True)
class Position:
    """Which item a playlist shows at a moment, how far into it, and when it changes."""

    index: int
    elapsed: float
    seconds: float
    paused: bool
    offset: float  # into the cycle
    started_at: float | None = None  # Unix time the item came on screen; None while paused

    @property
    def remaining(self) -> float:
        return max(0.0, self.seconds - self.elapsed)

    @property
    def ends_at(self) -> float | None:
        """Unix time of the next switch; None while paused."""
        return None if self.started_at is None else self.started_at + self.seconds


def position(playlist: Playlist, state: State, now: float) -> Position:
    """Where `playlist` stands at Unix time `now` (server clock)."""
    cycle = playlist.cycle
    cycles, offset = divmod(state.offset if state.paused else now - state.anchor, cycle)
    start = 0.0
    for index, item in enumerate(playlist.items):
        if offset < start + item.seconds or index == len(playlist.items) - 1:
            # Computed from the anchor, not from `now`: the same every frame of the item.
            started = None if state.paused else state.anchor + cycles * cycle + start
            return Position(index, min(offset - start, item.seconds), item.seconds, state.paused, offset, started)
        start += item.seconds
    raise AssertionError("unreachable: a playlist has at least one item")


def command(playlist: Playlist, state: State, action: str, now: float, index: int | None = None,
            who: str = "") -> State:
    """The state after a remote control action: pause, resume, next, previous, jump (to `index`)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown playlist action {action!r}")
    here = position(playlist, state, now)
    stamp = {"by": who, "at": to_iso(utc_now())}
    if action == "pause":
        return State(state.anchor, True, here.offset, **stamp)
    if action == "resume":
        return State(now - here.offset, False, 0.0, **stamp)
    n = len(playlist.items)
    if action == "jump":
        if index is None or not 0 <= index < n:
            raise ValueError(f"no item {index} in playlist {playlist.name!r}")
        target = index
    else:
        target = (here.index + (1 if action == "next" else -1)) % n
    start = playlist.start_of(target)
    if state.paused:
        return State(state.anchor, True, start, **stamp)
    return State(now - start, False, 0.0, **stamp)


def read_state(client, name: str) -> State:
    """A playlist's state from Redis with a sync client (the remote control)."""
    return State.decode(client.hgetall(playlist_state(name)))


def apply(client, playlist: Playlist, action: str, index: int | None = None, who: str = "") -> State:
    """Carry out a remote control action in Redis, with its line in the audit trail (which also tells
    every dashboard process: the walls follow at once)."""
    new = command(playlist, read_state(client, playlist.name), action, timestamp(), index, who)
    detail = action if index is None else f"{action} {index + 1}: {playlist.items[index].screen}"
    with client.pipeline(transaction=True) as pipe:
        pipe.hset(playlist_state(playlist.name), mapping=new.encode())
        pipe.xadd(AUDIT, audit_entry(who, "screen_control", target=f"playlist:{playlist.name}", detail=detail),
                  maxlen=AUDIT_MAXLEN, approximate=True)
        pipe.execute()
    return new


# ---- each process's copy of the states -------------------------------------------------------------


class PlaylistStates:
    """The states of every playlist, read again by one task per process when `moved` (the live hub's
    playlists channel) moves, or every POLL_S where there is no hub."""

    def __init__(self, redis_url: str, playlists: dict[str, Playlist], moved: Callable[[], Signal] | None = None):
        self.redis_url = redis_url
        self.moved = moved
        self.playlists = playlists  # the live dict (replaced in place when layouts/ change)
        self.states: dict[str, State] = {}
        self.changed = Signal()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._client = None
        self._outage = OutageLog(log, "cannot read playlist states ({error}); walls rotate on the last state read",
                                 "playlist states readable again")

    def get(self, name: str) -> State:
        return self.states.get(name, State())

    async def start(self) -> None:
        """Start polling on the running loop (once; again after the loop changed)."""
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        self._loop = loop
        self._client = connect_async(self.redis_url, socket_timeout=2)
        try:
            await asyncio.wait_for(self.read(), 1.0)  # the first page already starts in the right place
        except (TimeoutError, *REDIS_ERRORS):
            pass
        self._task = loop.create_task(self._poll(), name="playlist-states")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task], timeout=1)
        if self._client is not None:
            await self._client.aclose()
        self._client = None
        self._loop = None

    async def read(self) -> None:
        names = list(self.playlists)
        if not names:
            return
        async with self._client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.hgetall(playlist_state(name))
            replies = await pipe.execute()
        states = {name: State.decode(fields) for name, fields in zip(names, replies)}
        if states != self.states:
            self.states = states
            self.changed.bump()

    async def _poll(self) -> None:
        while True:
            try:
                signal = self.moved() if self.moved is not None else None
                version = signal.version if signal is not None else 0
                await self.read()
                self._outage.worked()
                if signal is None:
                    await asyncio.sleep(POLL_S)
                else:
                    await signal.wait(version, UNANNOUNCED_S)
            except asyncio.CancelledError:
                raise
            except REDIS_ERRORS as exc:
                self._outage.failed(exc)
                await asyncio.sleep(RETRY_S)
            except Exception:  # noqa: BLE001 - the poller must outlive a bad hash
                log.exception("reading playlist states failed")
                await asyncio.sleep(RETRY_S)


def item_label(playlist: Playlist, index: int, screens: dict[str, Any], lang: str) -> str:
    """What an item is called: its own label, else its screen's title."""
    item = playlist.items[index]
    own = (item.label_en if lang == "en" and item.label_en else None) or item.label
    if own:
        return own
    screen = screens.get(item.screen)
    return screen.title_in(lang) if screen is not None else item.screen
