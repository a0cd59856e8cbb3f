"""Check kinds, one module each: `async def check(service_id, service, ctx) -> Outcome`."""

from __future__ import annotations

from types import ModuleType

from ingest.monitor.checks import dns, http, icmp, push, tcp, tls

KINDS: dict[str, ModuleType] = {"http": http, "tcp": tcp, "dns": dns, "tls": tls, "push": push, "icmp": icmp}
