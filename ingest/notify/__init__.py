"""Notification channels, one module each (email, telegram, whatsapp): `async def send(channel, message, session)`.

Anything that tells people (the monitor's incidents today) builds a `Message` and calls `deliver`.
"""

from __future__ import annotations

from types import ModuleType

import aiohttp

from ingest.notify import email, telegram, whatsapp
from ingest.notify.message import Message, NotifyError

KINDS: dict[str, ModuleType] = {"email": email, "telegram": telegram, "whatsapp": whatsapp}


async def deliver(channel, message: Message, session: aiohttp.ClientSession) -> None:
    """Send one message on one configured channel; raises NotifyError with the reason."""
    await KINDS[channel.kind].send(channel, message, session)


__all__ = ["KINDS", "Message", "NotifyError", "deliver"]
