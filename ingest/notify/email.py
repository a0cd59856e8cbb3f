"""E-mail over SMTP (STARTTLS and login when configured), sent off the event loop."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage

from core.clock import wib_now
from ingest.notify.message import Message, NotifyError

TIMEOUT_S = 15


def _send(channel, message: Message) -> None:
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = message.subject, channel.sender, ", ".join(channel.to)
    mail["Date"] = wib_now().strftime("%a, %d %b %Y %H:%M:%S %z")
    mail.set_content(message.text)
    with smtplib.SMTP(channel.host, channel.port, timeout=TIMEOUT_S) as smtp:
        if channel.starttls:
            smtp.starttls()
        if channel.username:
            smtp.login(channel.username, channel.password or "")
        smtp.send_message(mail)


async def send(channel, message: Message, session=None) -> None:
    try:
        await asyncio.to_thread(_send, channel, message)
    except (OSError, smtplib.SMTPException) as exc:
        raise NotifyError(f"SMTP {channel.host}:{channel.port}: {exc}") from None
