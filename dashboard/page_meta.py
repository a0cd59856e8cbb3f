"""What a page's persistent WebSocket callback learns first: which page it runs on.

Dash starts every persistent callback (those without inputs) on every page load and again after a
reconnect; each looks at the page's `wall-meta` (set by the router with the page it built) and ends
at once when the page is not its own. The walls' stream in dashboard/app.py does the same inline.
"""

from __future__ import annotations

import asyncio
import time

META_WAIT_S = 10.0  # how long a stream waits for the router to have rendered its page


async def page_meta(ws, wait_s: float = META_WAIT_S) -> dict | None:
    """The page's meta once the router has set it; None when it never does (or the socket closed)."""
    deadline = time.monotonic() + wait_s
    while not ws.is_shutdown and time.monotonic() < deadline:
        meta = await ws.get_prop("wall-meta", "data", timeout=5)
        if meta:
            return meta
        await asyncio.sleep(0.05)
    return None
