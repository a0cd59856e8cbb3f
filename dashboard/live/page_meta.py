"""What a page's persistent WebSocket callback learns first: which page it runs on.

Dash starts every persistent callback (those without inputs) on every page load and again after a
reconnect; each looks at the page's `wall-meta` (set by the router with the page it built) and ends
at once when the page is not its own. The walls' stream in dashboard/app.py does the same inline.
"""

from __future__ import annotations

import asyncio
import time

META_WAIT_S = 10.0  # how long a stream waits for the router to have rendered its page


async def page_meta(ws, page: str, wait_s: float = META_WAIT_S) -> dict | None:
    """The meta of `page` once the router has set it; None when there is no socket (no SharedWorker),
    the page is another one, or the router never sets it (or the socket closed)."""
    if ws is None:
        return None
    meta = await _meta(ws, wait_s)
    return meta if (meta or {}).get("page") == page else None


async def _meta(ws, wait_s: float) -> dict | None:
    deadline = time.monotonic() + wait_s
    while not ws.is_shutdown and time.monotonic() < deadline:
        meta = await ws.get_prop("wall-meta", "data", timeout=5)
        if meta:
            return meta
        await asyncio.sleep(0.05)
    return None
