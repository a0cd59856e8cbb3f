"""Walls as WebSocket clients speaking Dash's protocol, as a wall's renderer does: each starts its page's
live push with the page's meta, answers the push's questions, and notes the time of every value a
chosen component is sent. Many of them cost little CPU, so they stand for walls on their own PCs."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable

from tests.support.app import SESSION_COOKIE, login


def stream_callback(app) -> str:
    """The live push's callback id, as Dash restarts it after a reconnect: no inputs, the meta as state."""
    return next(k for k, v in app.callback_map.items() if v.get("no_output") and not v["inputs"])


class ProtocolWalls:
    """`count` walls on `wall`, in a thread of their own; `seen[i]` maps each value the component
    `value_id` was sent to wall i to the moment it arrived (by `clock`)."""

    def __init__(self, app, base: str, count: int, value_id: str, wall: str = "command-center",
                 role: str = "executive", clock: Callable[[], float] = time.monotonic):
        self.url = base.replace("http://", "ws://") + "/_dash-ws-callback"
        self.callback = stream_callback(app)
        self.cookie = {"Cookie": f"{SESSION_COOKIE}={login(base, role)}"}
        self.count, self.value_id, self.wall, self.clock = count, value_id, wall, clock
        self.seen: list[dict[str, float]] = [{} for _ in range(count)]
        self.arrivals: list[list[float]] = [[] for _ in range(count)]
        self.ready, self._stop = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._all()), daemon=True)

    def __enter__(self) -> ProtocolWalls:
        self._thread.start()
        assert self.ready.wait(20), "the walls did not connect"
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(10)

    def _meta(self, i: int) -> dict:
        return {"wall": self.wall, "lang": "id", "path": f"/wall/{self.wall}", "id": f"protocol-wall-{i}"}

    async def _one(self, i: int) -> None:
        import websockets

        async with websockets.connect(self.url, max_size=None, additional_headers=self.cookie,
                                      origin=self.url.replace("ws://", "http://").split("/_dash")[0]) as ws:
            await ws.send(json.dumps({"type": "callback_request", "requestId": f"q{i}", "rendererId": f"r{i}",
                                      "payload": {"output": self.callback, "outputs": [], "inputs": [],
                                                  "state": [{"id": "wall-meta", "property": "data",
                                                             "value": self._meta(i)}],
                                                  "changedPropIds": []}}))
            while not self._stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), 0.5)
                except TimeoutError:
                    continue
                now = self.clock()
                batch = json.loads(raw)
                for msg in batch if isinstance(batch, list) else [batch]:
                    if msg.get("type") == "get_props_request":
                        await ws.send(json.dumps({"type": "get_props_response", "requestId": msg["requestId"],
                                                  "rendererId": msg["rendererId"], "payload": {"data": self._meta(i)}}))
                    elif msg.get("type") == "set_props" and msg["payload"]["componentId"] == self.value_id:
                        value = msg["payload"]["props"].get("children")
                        if value is not None:
                            self.seen[i].setdefault(str(value), now)
                            self.arrivals[i].append(now)

    async def _all(self) -> None:
        tasks = [asyncio.create_task(self._one(i)) for i in range(self.count)]
        await asyncio.sleep(2)
        self.ready.set()
        await asyncio.gather(*tasks)
