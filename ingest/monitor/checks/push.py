"""Push heartbeat: a system or cron job calls in (POST /monitor/push/<service> on the ingest API);
silence longer than the interval fails."""

from __future__ import annotations

from core.clock import utc_now
from core.monitors import ServiceCheck
from core.streams import as_text, from_iso, monitor_heartbeat
from ingest.monitor.checks.context import CheckContext
from ingest.monitor.result import Outcome


async def check(service_id: str, svc: ServiceCheck, ctx: CheckContext) -> Outcome:
    last = await ctx.redis.get(monitor_heartbeat(service_id)) if ctx.redis is not None else None
    if not last:
        return Outcome(False, None, "belum pernah melapor (tidak ada heartbeat)")
    last = from_iso(as_text(last))
    silent = (utc_now() - last).total_seconds()
    if silent > svc.interval:
        return Outcome(False, None, f"tidak ada heartbeat selama {silent:.0f} detik")
    return Outcome(True, None)
