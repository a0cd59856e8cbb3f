"""The morning report's delivery: once a day, at `incidents.report_at` WIB (07.00), make the report,
keep it (the dashboard lists it under /laporan) and send its message on `incidents.report_notify`."""

from __future__ import annotations

import asyncio
from datetime import datetime

import aiohttp
import redis

from core.clock import utc_now, wib_today
from core.config import Config
from core.incidents.report import lines, make_report, report_moment, store
from core.streams import incident_reports
from ingest.incidents.tell import tell
from ingest.notify import Message


class MorningReporter:
    def __init__(self, config: Config, client: redis.Redis, session: aiohttp.ClientSession):
        self.config = config
        self.client = client
        self.session = session

    async def tick(self, now: datetime | None = None) -> str | None:
        """Make and send today's report when its time has come and it is not made yet; its date, or None."""
        now = now or utc_now()
        day = wib_today(now)
        if now < report_moment(day, self.config.incidents.report_at):
            return None
        if await asyncio.to_thread(self.client.hexists, incident_reports(), day.isoformat()):
            return None
        report = await asyncio.to_thread(make_report, self.client, self.config, day)
        await asyncio.to_thread(store, self.client, report, self.config)
        head, *body = lines(report, self.config)
        message = Message(head, "\n".join(body) + f"\n\nPDF: /laporan/{report.day}.pdf")
        await tell(self.config, self.client, self.session, self.config.incidents.report_notify, message,
                   report=report.day)
        return report.day
