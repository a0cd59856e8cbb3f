"""What every check kind may use: one HTTP session for the process, Redis (push heartbeats), the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp


@dataclass
class CheckContext:
    session: aiohttp.ClientSession
    redis: Any = None  # redis.asyncio.Redis, for push heartbeats; None on a probe agent
    # (host, port) -> (monotonic time read, certificate expiry): an https check reads the
    # certificate on its own handshake once an hour, not on every check.
    certificates: dict[tuple[str, int], tuple[float, datetime | None]] = field(default_factory=dict)


def elapsed_ms(started: float, now: float) -> float:
    return round((now - started) * 1000, 3)


def describe(exc: BaseException) -> str:
    """A failure's reason as an operator reads it (no stack trace)."""
    import asyncio
    import ssl

    if isinstance(exc, asyncio.TimeoutError):
        return "waktu habis (timeout)"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        exc = exc.certificate_error
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"sertifikat TLS ditolak: {exc.verify_message}"
    if isinstance(exc, ConnectionRefusedError):
        return "koneksi ditolak (connection refused)"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"tidak dapat terhubung: {exc.os_error.strerror or exc.os_error}"
    text = str(exc) or type(exc).__name__
    return text[:200]
