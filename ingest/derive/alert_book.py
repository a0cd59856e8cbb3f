"""Raising each alert condition once, resolving it once when it ends: the active set in `cc:alerts:active`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import redis.asyncio

from core.alerts import ALERTS_KEEP, Alert, forget_acknowledgement
from core.streams import ALERTS, active_alerts

Scope = tuple[str, str, str]  # (application, region, unit): one unit's conditions are judged together


class AlertBook:
    """The alerts now active, by the unit whose figures raised them."""

    def __init__(self) -> None:
        self.active: dict[str, Alert] = {}
        self.by_scope: dict[Scope, set[str]] = defaultdict(set)

    async def load(self, client: redis.asyncio.Redis) -> None:
        """Read back the active alerts, so a restart does not raise them again."""
        for text in (await client.hgetall(active_alerts())).values():
            alert = Alert.decode(text)
            self.active[alert.alert_id] = alert
            self.by_scope[(alert.source, alert.region, alert.unit)].add(alert.alert_id)

    def judge(self, scope: Scope, holding: list[Alert], pipe: Any, among: set[str] | None = None) -> int:
        """Queue on `pipe` a raise for each new condition and a resolve for each that ended; count them.

        With `among`, only those alert ids of the scope are judged (the rows that changed), the rest stay."""
        now_ids = {a.alert_id: a for a in holding}
        held = self.by_scope.get(scope, set())
        before = held if among is None else held & among
        changes = 0
        for alert_id in before - now_ids.keys():
            alert = self.active.pop(alert_id)
            pipe.hdel(active_alerts(), alert_id)
            forget_acknowledgement(pipe, alert_id)  # raised again later, it is a new alert to acknowledge
            pipe.xadd(ALERTS, alert.entry("resolved", severity="info", message=f"Selesai: {alert.message}"),
                      maxlen=ALERTS_KEEP, approximate=True)
            changes += 1
        for alert_id, alert in now_ids.items():
            if alert_id in before:
                # The same condition still holds: keep the figures in its message current, say nothing.
                if self.active[alert_id].message != alert.message:
                    self.active[alert_id] = alert
                    pipe.hset(active_alerts(), alert_id, alert.encode())
                continue
            self.active[alert_id] = alert
            pipe.hset(active_alerts(), alert_id, alert.encode())
            pipe.xadd(ALERTS, alert.entry("raised"), maxlen=ALERTS_KEEP, approximate=True)
            changes += 1
        remaining = (held - before) | now_ids.keys()
        if remaining:
            self.by_scope[scope] = remaining
        else:
            self.by_scope.pop(scope, None)
        return changes
