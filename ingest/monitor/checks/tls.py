"""TLS certificate expiry: DOWN within `expiry_down_days`, flagged on the wall within `expiry_warn_days`."""

from __future__ import annotations

from urllib.parse import urlsplit

from core.clock import utc_now
from core.monitors import ServiceCheck
from ingest.monitor.checks.certificate import days_left, peer_expiry
from ingest.monitor.checks.context import CheckContext, describe
from ingest.monitor.result import Outcome


async def check(service_id: str, svc: ServiceCheck, ctx: CheckContext) -> Outcome:
    url = urlsplit(svc.target)
    host, port = url.hostname, url.port or 443
    try:
        expires, took = await peer_expiry(host, port, svc.verify_tls, svc.timeout)
    except Exception as exc:  # noqa: BLE001
        return Outcome(False, None, describe(exc))
    ms = round(took * 1000, 3)
    if expires is None:
        return Outcome(False, ms, "server tidak mengirim sertifikat")
    left = days_left(expires, utc_now())
    if left < svc.expiry_down_days or left < 0:
        return Outcome(False, ms, f"sertifikat berakhir {expires:%Y-%m-%d} ({left:.0f} hari)", expires)
    return Outcome(True, ms, "", expires)
