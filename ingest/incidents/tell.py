"""Telling people about incidents: one message on each named channel of the IT control center
(`monitors.channels`), each attempt kept on `cc:incident:notifications` (what went where, and why not)."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import redis

from core.clock import utc_now
from core.config import Config
from core.streams import incident_notifications, to_iso
from ingest.notify import Message, NotifyError, deliver

log = logging.getLogger("incidents.tell")
NOTIFICATIONS_MAXLEN = 20_000


async def tell(config: Config, client: redis.Redis, session: aiohttp.ClientSession, channels: list[str],
               message: Message, **about: str) -> None:
    """Send `message` on every channel; a failed channel is logged and kept, the others still go."""
    for channel_id in channels:
        error = ""
        try:
            await deliver(config.monitors.channels[channel_id], message, session)
        except NotifyError as exc:
            error = str(exc)
            log.warning("%s on %s failed: %s", message.subject, channel_id, error)
        await asyncio.to_thread(client.xadd, incident_notifications(), {
            **about, "channel": channel_id, "subject": message.subject, "ok": "0" if error else "1", "error": error,
            "at": to_iso(utc_now())}, maxlen=NOTIFICATIONS_MAXLEN, approximate=True)
