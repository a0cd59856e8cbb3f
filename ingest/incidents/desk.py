"""The incident desk of the derive role: turns new alerts into incidents, escalates what nobody has
acknowledged, and makes the morning report, every `incidents.tick` seconds (so a level is reached
within its wait + one tick)."""

from __future__ import annotations

import asyncio

import aiohttp

from core.config import Config
from core.redis import connect
from ingest.incidents.escalation import Escalator
from ingest.incidents.intake import AlertIntake
from ingest.incidents.morning import MorningReporter


class IncidentDesk:
    def __init__(self, config: Config, redis_url: str):
        self.config = config
        self.redis_url = redis_url

    async def run(self, stop: asyncio.Event) -> None:
        client = connect(self.redis_url)
        intake = AlertIntake(self.config, client)
        try:
            async with aiohttp.ClientSession() as session:
                escalator = Escalator(self.config, client, session)
                reporter = MorningReporter(self.config, client, session)
                while not stop.is_set():
                    while await asyncio.to_thread(intake.step):
                        pass
                    await asyncio.to_thread(intake.services_down)
                    await escalator.tick()
                    await reporter.tick()
                    try:
                        await asyncio.wait_for(stop.wait(), self.config.incidents.tick)
                    except TimeoutError:
                        pass
        finally:
            client.close()
