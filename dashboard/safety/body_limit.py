"""Request bodies and WebSocket messages bounded before anything reads them.

A body that announces more than its limit (Content-Length) is answered 413 unread; one that sends
more than it announced, or streams without a length, is cut off at the limit (the app sees the
client leave). A WebSocket message past the limit closes the socket (1009). The limit: what a
signed-in user's callback may carry (an operator's upload), else `dashboard.limits.body` for
everything and everyone else (callbacks of the public, sign-in forms, WHEP offers).
"""

from __future__ import annotations

from core.config import DashboardLimits

CALLBACK_PATH = "/_dash-update-component"
WEBSOCKET_PATH = "/_dash-ws-callback"


def body_limit(limits: DashboardLimits, path: str, signed_in: bool) -> int:
    if signed_in and path in (CALLBACK_PATH, WEBSOCKET_PATH):
        return limits.signed_in_body
    return limits.body


def too_large(scope: dict, most: int) -> bool:
    """Whether the request announces a body past `most` bytes (or a length that is no number)."""
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value) > most or int(value) < 0
            except ValueError:
                return True
    return False


def bounded_body(receive, most: int):
    """A receive that lets at most `most` body bytes through; past that the client is gone."""
    seen = 0

    async def bounded():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > most:
                return {"type": "http.disconnect"}
        return message

    return bounded


def bounded_messages(receive, send, most: int):
    """A WebSocket receive that closes the socket (1009, too big) on a message past `most` bytes."""

    async def bounded():
        message = await receive()
        if message["type"] == "websocket.receive":
            size = len(message.get("text") or "") + len(message.get("bytes") or b"")
            if size > most:
                await send({"type": "websocket.close", "code": 1009, "reason": "message too big"})
                return {"type": "websocket.disconnect", "code": 1009}
        return message

    return bounded
