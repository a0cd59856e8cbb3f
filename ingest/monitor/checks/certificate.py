"""A server certificate's expiry, read from a TLS connection (DER, so unverified ones too)."""

from __future__ import annotations

import asyncio
import ssl
from datetime import datetime

from cryptography import x509


def expiry(ssl_object: ssl.SSLObject | ssl.SSLSocket | None) -> datetime | None:
    """The peer certificate's notAfter (UTC), or None without one."""
    if ssl_object is None:
        return None
    der = ssl_object.getpeercert(binary_form=True)
    return x509.load_der_x509_certificate(der).not_valid_after_utc if der else None


def client_context(verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def days_left(expires: datetime, now: datetime) -> float:
    return (expires - now).total_seconds() / 86400


async def peer_expiry(host: str, port: int, verify: bool, timeout: float) -> tuple[datetime | None, float]:
    """Open a TLS connection and read the certificate's expiry; also the seconds the handshake took."""
    from core.clock import monotonic

    started = monotonic()
    _, writer = await asyncio.wait_for(
        asyncio.open_connection(host, port, ssl=client_context(verify), server_hostname=host), timeout)
    took = monotonic() - started
    expires = expiry(writer.get_extra_info("ssl_object"))
    writer.close()
    return expires, took
