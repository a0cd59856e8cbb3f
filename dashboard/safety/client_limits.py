"""Per-client limits on what costs the dashboard work: callbacks (over HTTP and WebSocket messages),
WHEP offers (each one starts a video session at the gateway) and open-data downloads.

A client is its session when signed in (people behind one office address do not share a budget),
else its address. Token buckets in this process (core/ratelimit.py): no Redis key per stranger, and
idle clients are forgotten beyond a fixed number.
"""

from __future__ import annotations

from core.config import DashboardLimits
from core.ratelimit import TokenBuckets

CALLBACKS, WHEP, OPENDATA = "callbacks", "whep_offers", "opendata"


class ClientLimits:
    def __init__(self, limits: DashboardLimits):
        self.limits = limits
        self._buckets = {kind: TokenBuckets(getattr(limits, kind).per_second, getattr(limits, kind).burst)
                         for kind in (CALLBACKS, WHEP, OPENDATA)}

    def wait(self, kind: str, client: str) -> float:
        """0 when `client` may go ahead with one more `kind` request; else seconds until it may."""
        return self._buckets[kind].take(client)


def client_key(session_id: str | None, address: str) -> str:
    return f"s:{session_id}" if session_id else f"a:{address}"


def kind_of(method: str, path: str) -> str | None:
    """Which limit an HTTP request counts against, if any."""
    if method == "POST" and path == "/_dash-update-component":
        return CALLBACKS
    if method == "POST" and path.startswith("/whep/"):
        return WHEP
    if path.startswith("/opendata/") and method in ("GET", "HEAD"):
        return OPENDATA
    return None
