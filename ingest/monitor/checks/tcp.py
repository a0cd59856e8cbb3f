"""TCP: the port accepts a connection within the timeout."""

from __future__ import annotations

import asyncio

from core.clock import monotonic
from core.monitors import ServiceCheck
from ingest.monitor.checks.context import CheckContext, describe, elapsed_ms
from ingest.monitor.result import Outcome


def split(target: str) -> tuple[str, int]:
    host, port = target.rsplit(":", 1)
    return host, int(port)


async def connect(target: str, timeout: float) -> float:
    """Open and close a connection; the milliseconds it took (raises on failure)."""
    host, port = split(target)
    started = monotonic()
    _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    ms = elapsed_ms(started, monotonic())
    writer.close()
    try:
        await asyncio.wait_for(writer.wait_closed(), 1)
    except (TimeoutError, OSError):
        pass
    return ms


async def check(service_id: str, svc: ServiceCheck, ctx: CheckContext) -> Outcome:
    try:
        return Outcome(True, await connect(svc.target, svc.timeout))
    except Exception as exc:  # noqa: BLE001
        return Outcome(False, None, describe(exc))
