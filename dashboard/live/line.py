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
it: every ALIVE_EVERY_S the line asks the page whether it is still there, and closes when it is not.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from dash import set_props

from dashboard.live.signal import Signal

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
        alive = asyncio.ensure_future(_watch(line, ws)) if ws is not None else None
        try:
            await push(line)
        finally:
            if alive is not None:
                alive.cancel()
            if self._lines.get(page_id) is line:
                del self._lines[page_id]

    def ask(self, page_id: Any, **values: Any) -> bool:
        """Hand values to an open page's push (it redraws); False when no push of that page runs here."""
        line = self._lines.get(str(page_id or ""))
        if line is None:
            return False
        line.asked.update(values)
        line.changed.bump()
        return True


async def _watch(line: Line, ws) -> None:
    """Close the line once its page no longer answers with its own id (the tab was closed)."""
    while not line.closed():
        await asyncio.sleep(ALIVE_EVERY_S)
        meta = None
        with contextlib.suppress(Exception):  # no answer (a timeout) or the socket went: the page is gone
            meta = await ws.get_prop("wall-meta", "data", timeout=5)
        if (meta or {}).get("id") != line.meta.get("id"):
            line.taken_over = True
            line.changed.bump()
