"""DNS: the name resolves (of the record type asked), optionally to an expected address."""

from __future__ import annotations

import dns.asyncresolver
import dns.exception
import dns.resolver

from core.clock import monotonic
from core.monitors import ServiceCheck
from ingest.monitor.checks.context import CheckContext, elapsed_ms
from ingest.monitor.result import Outcome


def resolver_for(svc: ServiceCheck) -> dns.asyncresolver.Resolver:
    if not svc.resolver:
        return dns.asyncresolver.Resolver()
    resolver = dns.asyncresolver.Resolver(configure=False)
    host, _, port = svc.resolver.partition(":")
    resolver.nameservers = [host]
    resolver.port = int(port or 53)
    return resolver


async def check(service_id: str, svc: ServiceCheck, ctx: CheckContext) -> Outcome:
    resolver = resolver_for(svc)
    started = monotonic()
    try:
        answer = await resolver.resolve(svc.target, svc.record, lifetime=svc.timeout)
    except dns.resolver.NXDOMAIN:
        return Outcome(False, None, f"nama {svc.target} tidak ada (NXDOMAIN)")
    except dns.resolver.NoAnswer:
        return Outcome(False, None, f"tidak ada rekaman {svc.record}")
    except dns.exception.Timeout:
        return Outcome(False, None, "waktu habis (timeout)")
    except Exception as exc:  # noqa: BLE001
        return Outcome(False, None, str(exc)[:200] or type(exc).__name__)
    ms = elapsed_ms(started, monotonic())
    values = [r.to_text().rstrip(".") for r in answer]
    if svc.expect and svc.expect.rstrip(".") not in values:
        return Outcome(False, ms, f"jawaban {', '.join(values)} tanpa {svc.expect}")
    return Outcome(True, ms)
