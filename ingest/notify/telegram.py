"""Telegram through the Bot API: POST <api_url>/bot<token>/sendMessage {chat_id, text}."""

from __future__ import annotations

import aiohttp

from ingest.notify.message import Message, NotifyError

TIMEOUT = aiohttp.ClientTimeout(total=15)
LIMIT = 4096  # the Bot API's longest message


async def send(channel, message: Message, session: aiohttp.ClientSession) -> None:
    url = f"{channel.api_url.rstrip('/')}/bot{channel.bot_token}/sendMessage"
    body = {"chat_id": channel.chat_id, "text": message.full()[:LIMIT], "disable_web_page_preview": True}
    try:
        async with session.post(url, json=body, timeout=TIMEOUT) as resp:
            answer = await resp.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise NotifyError(f"Telegram: {type(exc).__name__}") from None  # the URL holds the bot token
    if not isinstance(answer, dict) or not answer.get("ok"):
        why = answer.get("description", "not ok") if isinstance(answer, dict) else "not ok"
        raise NotifyError(f"Telegram: {why}")
