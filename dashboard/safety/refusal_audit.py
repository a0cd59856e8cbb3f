"""Refusals in the audit trail without burying it: per source and minute, the first few one by one,
then one entry with how many more there were.

A person who mistypes or opens a page outside their role is seen at once, with the page. Someone
sending 10,000 requests for unknown walls writes `each` entries and one "9,990 more" entry per
minute, not 10,000 (a signed-in user, named and limited per session, gets `each_user`): the trail stays readable and
its trimming keeps the real history. A source is
who (a username, or "-") with the address; beyond MAX_SOURCES sources in a minute the rest are
counted together under "many sources", so random addresses cannot grow this either. The name a
stranger types (a sign-in's username) is written in their entries but does not make a new source.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.clock import timestamp

MAX_SOURCES = 10_000
MANY = ("*", "*")  # every source past MAX_SOURCES in one minute
SHOWN_TARGETS = 5

Write = Callable[..., Awaitable[None]]  # (who, action, target, outcome, detail, ip) as keywords


@dataclass
class _Minute:
    minute: int
    count: int = 0
    actions: Counter = field(default_factory=Counter)
    targets: list[str] = field(default_factory=list)


class RefusalAudit:
    def __init__(self, write: Write, each: int, each_user: int | None = None):
        self.write = write
        self.each = each
        self.each_user = each_user or each
        self._sources: dict[tuple[str, str], _Minute] = {}
        self._timer: asyncio.TimerHandle | None = None

    async def refused(self, who: str, action: str, target: str, detail: str, ip: str, signed_in: bool) -> None:
        """Count one refusal; write it when it is among its source's first `each` this minute."""
        minute = int(timestamp() // 60)
        source = (who if signed_in and who else "-", ip or "-")
        await self._close_minutes(minute)
        if source not in self._sources and len(self._sources) >= MAX_SOURCES:
            source = MANY
        seen = self._sources.setdefault(source, _Minute(minute))
        seen.count += 1
        if seen.count <= self._each(source) and source != MANY:
            await self.write(who=who, action=action, target=target, outcome="refused", detail=detail, ip=ip)
            return
        seen.actions[action] += 1
        if len(seen.targets) < SHOWN_TARGETS and target not in seen.targets:
            seen.targets.append(target[:100])
        self._flush_later(minute)

    def _each(self, source: tuple[str, str]) -> int:
        return self.each if source[0] == "-" else self.each_user

    def _flush_later(self, minute: int) -> None:
        """Write the minute's totals soon after it ends, also when no further refusal comes."""
        if self._timer is None:
            delay = max(0.5, (minute + 1) * 60 - timestamp() + 0.5)
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(delay, lambda: loop.create_task(self._on_timer()))

    async def _on_timer(self) -> None:
        self._timer = None
        await self.flush()

    async def _close_minutes(self, minute: int) -> None:
        if any(seen.minute < minute for seen in self._sources.values()):
            await self.flush(before=minute)

    async def flush(self, before: int | None = None) -> None:
        """For every minute before `before` (default: the current one), one entry per source that had
        more refusals than were written one by one."""
        before = int(timestamp() // 60) if before is None else before
        ended = [(s, m) for s, m in self._sources.items() if m.minute < before]
        for source, seen in ended:
            del self._sources[source]
            more = seen.count - (0 if source == MANY else self._each(source))
            if more <= 0:
                continue
            who, ip = ("-", "many sources") if source == MANY else source
            actions = ", ".join(f"{a} {n}" for a, n in seen.actions.most_common())
            at = datetime.fromtimestamp(seen.minute * 60, UTC).strftime("%H:%M UTC")
            await self.write(who=who, action="refused", target=", ".join(seen.targets), outcome="refused",
                             ip=ip if source != MANY else "",
                             detail=f"{more} more refusals in the minute {at} ({actions})" if source != MANY else
                             f"{more} refusals from many sources in the minute {at} ({actions})")
