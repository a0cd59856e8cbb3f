"""WhatsApp through a gateway's webhook: POST <url> {"to": number, "message": text}, one per number."""

from __future__ import annotations

import aiohttp

from ingest.notify.message import Message, NotifyError

TIMEOUT = aiohttp.ClientTimeout(total=15)


async def send(channel, message: Message, session: aiohttp.ClientSession) -> None:
    headers = {"Authorization": f"Bearer {channel.token}"} if channel.token else {}
    for number in channel.to:
        try:
            async with session.post(channel.url, json={"to": number, "message": message.full()}, headers=headers,
                                    timeout=TIMEOUT) as resp:
                if resp.status >= 300:
                    raise NotifyError(f"WhatsApp gateway: HTTP {resp.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise NotifyError(f"WhatsApp gateway: {type(exc).__name__}") from None
