"""Dash's renderer served with one upstream React fix, so idle components stop pinning old store states.

dash-renderer 4.x bundles `useSyncExternalStoreWithSelector` (use-sync-external-store, React 18)
from before React PR #25968 (facebook/react#25967, reduxjs/react-redux#1981). When a store update
leaves a component's selection equal, the hook returns early and keeps, in its closure, the whole
store state of the last time that selection changed. Every Dash component selects from the store,
so each idle component pins the state (layout, layout hashes, paths) of its own last change. A
playlist wall pinned more and more of them: in a wall's soak test the JS heap crept by about
0.04 MB a minute, and a heap snapshot held 72 copies of the store's `layoutHashes` after 20
minutes where it had held 50 after 4.

The fix is that PR's one line: remember the new state in that early return too. The bundle is
read from the installed Dash package and patched once; a Dash whose bundle no longer has the old
code is served unchanged, with a warning in the log, and tests/browser/dashboard/test_renderer_fix.py fails:
then see whether that Dash still needs the fix, and how its build writes the line.
"""

from __future__ import annotations

import logging
import pkgutil
import re

log = logging.getLogger("dashboard.renderer_fix")

# The renderer's URL, with or without Dash's fingerprint (`dash_renderer.v4_4_1m1795882204.min.js`).
RENDERER_URL = re.compile(r"/_dash-component-suites/dash/dash-renderer/build/dash_renderer(?:\.v\w+)?\.(min|dev)\.js")
# The early return of `memoizedSelector`, as each build writes it, and the same with the fix.
FIXES = {
    "min": ("return void 0!==o&&o(e,r)?e:(u=t,a=r)", "return void 0!==o&&o(e,r)?(u=t,e):(u=t,a=r)"),
    "dev": ("if (isEqual !== undefined && isEqual(prevSelection, nextSelection)) {\n        return prevSelection;",
            "if (isEqual !== undefined && isEqual(prevSelection, nextSelection)) {\n"
            "        memoizedSnapshot = nextSnapshot;\n        return prevSelection;"),
}


def patched_renderer(build: str) -> bytes | None:
    """The `min` or `dev` renderer bundle with the fix, or None when it does not carry the old code."""
    source = (pkgutil.get_data("dash", f"dash-renderer/build/dash_renderer.{build}.js") or b"").decode()
    old, new = FIXES[build]
    if source.count(old) != 1:
        log.warning("dash_renderer.%s.js does not carry the known selector code: served as Dash ships it", build)
        return None
    return source.replace(old, new).encode()


class RendererFix:
    """Pure-ASGI middleware: answers GETs of the renderer bundle with the patched one."""

    def __init__(self, app):
        self.app = app
        self.bundles: dict[str, bytes | None] = {}

    async def __call__(self, scope, receive, send):
        match = RENDERER_URL.fullmatch(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        build = match.group(1)
        if build not in self.bundles:
            self.bundles[build] = patched_renderer(build)
        body = self.bundles[build]
        if body is None:
            return await self.app(scope, receive, send)
        # As Dash serves a fingerprinted bundle: the URL changes with Dash's version.
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/javascript"), (b"content-length", str(len(body)).encode()),
                                (b"cache-control", b"public, max-age=31536000")]})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})
