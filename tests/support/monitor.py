"""What the monitor tests share: settings from plain dicts, the simulated OPD systems on free ports,
and local receivers that speak the Telegram Bot API's and a WhatsApp gateway's shape."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from core.monitors import MonitorSettings
from core.redis import free_port
from ingest.demo import opd_systems


def settings(opds: dict[str, Any], **top: Any) -> MonitorSettings:
    return MonitorSettings.model_validate({"opds": opds, **top})


@dataclass
class Systems:
    systems: opd_systems.OpdSystems
    runner: web.AppRunner
    http_port: int
    https_port: int

    def url(self, path: str, tls: bool = False) -> str:
        return f"https://127.0.0.1:{self.https_port}/{path}" if tls else f"http://127.0.0.1:{self.http_port}/{path}"

    def force(self, path: str, mode: str | None) -> None:
        if mode is None:
            self.systems.forced.pop(path, None)
        else:
            self.systems.forced[path] = mode


async def start_systems(tmp_path) -> Systems:
    systems = opd_systems.OpdSystems(follow_clock=False)
    http_port, https_port = free_port(), free_port()
    runner = await opd_systems.start(systems, "127.0.0.1", http_port, https_port, tmp_path / "tls")
    return Systems(systems, runner, http_port, https_port)


@dataclass
class Receiver:
    """A local HTTP server that records what is posted to it: Bot API sendMessage and WhatsApp webhooks."""

    port: int = 0
    telegram: list[dict] = field(default_factory=list)
    whatsapp: list[dict] = field(default_factory=list)
    runner: web.AppRunner | None = None

    async def start(self) -> Receiver:
        async def send_message(request: web.Request) -> web.Response:
            body = await request.json()
            if request.match_info["token"] != "123456:demo-token":
                return web.json_response({"ok": False, "description": "Unauthorized"}, status=401)
            self.telegram.append(body)
            return web.json_response({"ok": True, "result": {"message_id": len(self.telegram)}})

        async def gateway(request: web.Request) -> web.Response:
            self.whatsapp.append({"auth": request.headers.get("Authorization"), **json.loads(await request.text())})
            return web.json_response({"queued": True})

        app = web.Application()
        app.add_routes([web.post("/bot{token}/sendMessage", send_message), web.post("/wa/send", gateway)])
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        self.port = free_port()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        await self.runner.cleanup()


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", errors="replace"))
        return "250 OK"
