"""What every simulated agency service offers the runner: its HTTP routes and its evolving state."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from aiohttp import web

from ingest.demo.clock import DemoClock


class DemoService(Protocol):
    """One simulated agency system: routes to serve and a loop that moves its data on."""

    application: str

    def routes(self) -> list[web.RouteDef]:
        """The HTTP routes of this service."""
        ...

    async def run(self, stop: asyncio.Event) -> None:
        """Evolve the service's data until `stop` is set."""
        ...


async def repeat(clock: DemoClock, stop: asyncio.Event, interval: Callable[[], float],
                 step: Callable[[], object]) -> None:
    """Call `step` after every `interval()` simulated seconds until `stop` is set."""
    while not await clock.sleep(interval(), stop):
        step()


def bad_request(message: str) -> web.Response:
    """A 400 answer with a JSON reason, the way the agencies' APIs refuse a query."""
    return web.json_response({"error": message}, status=400)
