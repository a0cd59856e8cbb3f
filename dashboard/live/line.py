"""One open page's end of the live push, and the open pages of this process.

The router (dashboard/app.py) builds a page once and puts what it built in `wall-meta`: the page's
path, query, language and an id of this page load. The one live push callback receives that meta
with its request (as input when the router sets it, as state when Dash restarts it after a
reconnect), so it knows at once which page it serves; the user is the WebSocket's. It starts that
page's push and nothing else. A restart after a reconnect takes the page's line over: the push still
running on the old connection sees its line closed and ends.

A page's own callbacks (the governor's map mode) reach its push through `OpenPages.ask`: the push
waits on `line.changed` instead of asking the browser.

Every tab of a browser shares one WebSocket (Dash's SharedWorker), so a closed tab does not close
it: one task per process asks every open page every ALIVE_EVERY_S whether it is still there, and
closes the line of a page that is not.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from dash import set_props

from dashboard.live.signal import Signal, first_of

ALIVE_EVERY_S = 5.0


@dataclass
class Line:
    """Where one open page's push sends its changes, and what the page asked of it since it opened."""

    meta: dict
    is_shutdown: Callable[[], bool]
    send: Callable[[str, dict[str, Any]], None] = set_props
    asked: dict[str, Any] = field(default_factory=dict)
    changed: Signal = field(default_factory=Signal)
    taken_over: bool = False

    def closed(self) -> bool:
        return self.taken_over or self.is_shutdown()


class OpenPages:
    """The lines of the pages open on this process, by page-load id."""

    def __init__(self) -> None:
        self._lines: dict[str, Line] = {}
        self._sockets: dict[str, Any] = {}  # page-load id -> the WebSocket its push runs on
        self._sweeper: asyncio.Task | None = None

    def __len__(self) -> int:
        return len(self._lines)

    async def run(self, line: Line, push: Callable[[Line], Awaitable[None]], ws=None) -> None:
        """Run a page's push on `line` until its connection closes, its page is gone (asked on `ws`),
        or a newer line takes the page over."""
        page_id = str(line.meta.get("id") or "")
        old = self._lines.get(page_id)
        if old is not None:
            old.taken_over = True
            line.asked.update(old.asked)
            old.changed.bump()
        self._lines[page_id] = line
        if ws is not None:
            self._sockets[page_id] = ws
            if self._sweeper is None or self._sweeper.done():
                self._sweeper = asyncio.get_running_loop().create_task(self._sweep(), name="open-pages-sweep")
        try:
            await push(line)
        finally:
            if self._lines.get(page_id) is line:
                del self._lines[page_id]
                self._sockets.pop(page_id, None)

    async def _sweep(self) -> None:
        """Close the lines of pages that no longer answer with their own id (their tab was closed);
        ends when no page with a socket is open."""
        while self._sockets:
            await asyncio.sleep(ALIVE_EVERY_S)
            asked = list(self._sockets.items())
            answers = await asyncio.gather(*(_meta_of(ws) for _, ws in asked))
            for (page_id, _), meta in zip(asked, answers, strict=True):
                line = self._lines.get(page_id)
                if line is not None and (meta or {}).get("id") != page_id:
                    line.taken_over = True
                    line.changed.bump()
                    self._sockets.pop(page_id, None)

    def ask(self, page_id: Any, **values: Any) -> bool:
        """Hand values to an open page's push (it redraws); False when no push of that page runs here."""
        line = self._lines.get(str(page_id or ""))
        if line is None:
            return False
        line.asked.update(values)
        line.changed.bump()
        return True


async def _meta_of(ws) -> dict | None:
    """The page's `wall-meta`, or None when it does not answer (a timeout) or its socket went."""
    with contextlib.suppress(Exception):
        return await ws.get_prop("wall-meta", "data", timeout=5)
    return None


async def move_on(line: Line, store_id: str, signals: list[Signal], every: float = 5.0,
                  rate: float | None = None) -> None:
    """Keep a page whose callbacks read for themselves current: move its clock store `store_id` (an
    input of those callbacks) whenever one of `signals` moves, at most `rate` times a second. A
    change after a quiet spell goes out at once; changes that come faster ride along with the next
    move (the callbacks read the data as it is then), so a busy day costs each open page no more
    than `rate` re-runs a second. `every` only bounds how late the push of a closed page ends."""
    ticks, moved_at = 0, -math.inf
    while not line.closed():
        versions = [s.version for s in signals]
        waits = [s.wait(v, every) for s, v in zip(signals, versions, strict=True)]
        await first_of([*waits, line.changed.wait(line.changed.version, every)], every + 0.05)
        if any(s.version != v for s, v in zip(signals, versions, strict=True)):
            if rate:
                await asyncio.sleep(max(0.0, moved_at + 1 / rate - time.monotonic()))
                if line.closed():
                    return
            ticks += 1
            line.send(store_id, {"data": ticks})
            moved_at = time.monotonic()
