"""The morning report's delivery: once a day, at `incidents.report_at` WIB (07.00), make the report,
keep it (the dashboard lists it under /laporan) and send its message on `incidents.report_notify`."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import aiohttp
import redis

from core.clock import utc_now, wib_today
from core.config import Config
from core.incidents.report import lines, make_report, report_moment, store
from core.streams import incident_notifications, incident_reports, to_iso
from ingest.incidents.escalation import NOTIFICATIONS_MAXLEN
from ingest.notify import Message, NotifyError, deliver

log = logging.getLogger("incidents.report")


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
        for channel_id in self.config.incidents.report_notify:
            error = ""
            try:
                await deliver(self.config.monitors.channels[channel_id], message, self.session)
            except NotifyError as exc:
                error = str(exc)
                log.warning("morning report on %s failed: %s", channel_id, error)
            await asyncio.to_thread(self.client.xadd, incident_notifications(), {
                "incident": "", "level": "", "report": report.day, "channel": channel_id, "subject": message.subject,
                "ok": "0" if error else "1", "error": error, "at": to_iso(utc_now())},
                maxlen=NOTIFICATIONS_MAXLEN, approximate=True)
        return report.day
