"""A simulated agency's price panel over real HTTP (`GET /api/panel-harga`): the test changes its answer
and counts the polls it answered."""

from __future__ import annotations

from aiohttp import web

from core.redis import free_port
from tests.support.paths import PAYLOADS


class PricePanel:
    """The panel answering `body` with `status`; `polls` counts the requests it answered."""

    def __init__(self):
        self.body = (PAYLOADS / "panel_harga.json").read_bytes()
        self.status = 200
        self.polls = 0
        self.port = free_port()

    async def handle(self, request):
        self.polls += 1
        return web.Response(body=self.body, status=self.status, content_type="application/json")

    async def __aenter__(self):
        app = web.Application()
        app.router.add_get("/api/panel-harga", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc):
        await self.runner.cleanup()
