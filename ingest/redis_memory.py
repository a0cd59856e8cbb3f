"""Redis memory against its limit: an alert on the walls before writes start being refused.

Redis runs with `maxmemory` and `noeviction` (core/redis.py): when full it refuses writes (senders
are answered 503 and retry; polled feeds retry) instead of evicting records, sessions or the audit
trail. So the limit must be seen coming: above `redis.memory_alert` of it, one critical alert goes
to the alert strip, and one when memory is back under it. A server of the site's own that may evict
(any other `maxmemory-policy`) is reported too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis
import redis.asyncio

from core.streams import ALERTS, to_iso, utc_now

log = logging.getLogger("ingest.redis_memory")
_ALERTS_KEEP = 10_000


@dataclass(frozen=True)
class MemoryState:
    used: int
    limit: int  # 0: no limit
    policy: str
    near_limit: bool

    @property
    def share(self) -> float | None:
        return self.used / self.limit if self.limit else None

    def as_json(self) -> dict:
        return {"used_bytes": self.used, "maxmemory_bytes": self.limit, "policy": self.policy,
                "used_pct": round(self.share * 100, 1) if self.share is not None else None,
                "near_limit": self.near_limit}


def _size(n: int) -> str:
    """Bytes as people read them here: 2,0 GB, 512 MB."""
    if n >= 1024 ** 3:
        return f"{n / 1024 ** 3:.1f}".replace(".", ",") + " GB"
    return f"{n / 1024 ** 2:.0f} MB"


class MemoryWatch:
    """Reads INFO memory; raises the alert when crossing `alert_share` of maxmemory, and resolves it."""

    def __init__(self, client: redis.asyncio.Redis, alert_share: float):
        self.client = client
        self.alert_share = alert_share
        self.alerting = False
        self._told_policy = False

    async def check(self) -> MemoryState:
        info = await self.client.info("memory")
        used, limit = int(info.get("used_memory", 0)), int(info.get("maxmemory", 0))
        policy = str(info.get("maxmemory_policy", ""))
        state = MemoryState(used, limit, policy, bool(limit) and used >= self.alert_share * limit)
        if limit and policy != "noeviction" and not self._told_policy:
            self._told_policy = True
            log.warning("Redis maxmemory-policy is %s: when full it deletes keys (records, sessions); "
                        "set noeviction", policy)
        if state.near_limit != self.alerting:
            await self._alert(state)
        return state

    async def _alert(self, state: MemoryState) -> None:
        pct = f"{state.share * 100:.0f} %"
        if state.near_limit:
            severity = "critical"
            message = (f"Memori Redis hampir penuh: {pct} dari {_size(state.limit)} terpakai. Saat penuh, data baru "
                       "ditolak (tidak ada yang dihapus): kurangi retensi atau naikkan redis.maxmemory")
        else:
            severity, message = "info", f"Memori Redis kembali normal ({pct} dari {_size(state.limit)})"
        try:
            await self.client.xadd(ALERTS, {"severity": severity, "message": message, "source": "redis",
                                            "kind": "redis_memory", "at": to_iso(utc_now())},
                                   maxlen=_ALERTS_KEEP, approximate=True)
        except redis.ResponseError as exc:  # full already (OOM): the log and /healthz still say it
            log.error("Redis memory alert not written: %s", exc)
        log.log(logging.ERROR if state.near_limit else logging.INFO, "%s", message)
        self.alerting = state.near_limit
