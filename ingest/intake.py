"""One feed's way in: rows -> validated records -> stream, rejects -> dead letters, health kept."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from core.streams import utc_now
from ingest.health import HealthTracker
from ingest.records import RecordBuilder, Rejected
from ingest.writer import BATCH, StreamWriter, WriteResult

log = logging.getLogger("ingest.intake")


@dataclass
class IntakeResult:
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0

    def add(self, written: WriteResult) -> None:
        self.accepted += written.accepted
        self.duplicates += written.duplicates

    def as_json(self) -> dict[str, int]:
        return {"accepted": self.accepted, "rejected": self.rejected, "duplicates": self.duplicates}


class Intake:
    """Validates and writes the rows of one feed; nothing accepted is lost, nothing bad is silent."""

    def __init__(self, feed_id: str, builder: RecordBuilder, writer: StreamWriter, health: HealthTracker):
        self.feed_id = feed_id
        self.builder = builder
        self.writer = writer
        self.health = health

    async def take(self, rows: Iterable[Any]) -> IntakeResult:
        """Accept every valid row, dead-letter every invalid one, then mark the feed healthy."""
        now = utc_now()
        result = IntakeResult()
        newest = None
        in_flight: deque[asyncio.Task[WriteResult]] = deque()
        for chunk in _chunks(rows, BATCH):
            records = []
            for row in chunk:
                try:
                    records.append(self.builder.build(row, now))
                except Rejected as exc:
                    result.rejected += 1
                    await self.writer.reject(self.feed_id, str(exc), getattr(row, "raw", row))
            if records:
                newest = max([*records, newest] if newest else records, key=lambda r: r.event_time)
                in_flight.append(await self.writer.send(self.feed_id, records))
            # Two batches at most on the wire: Redis works on one while we validate the next.
            while len(in_flight) > 1 or (in_flight and in_flight[0].done()):
                result.add(await in_flight.popleft())
        while in_flight:
            result.add(await in_flight.popleft())
        lag = (now - newest.event_time).total_seconds() if newest else None
        await self.health.success(result.accepted, result.rejected, result.duplicates, lag)
        return result

    async def reject_payload(self, reason: str, raw: Any, feed_failed: bool = True) -> None:
        """A whole payload that could not be parsed: dead-letter it; a polled feed counts as failing."""
        await self.writer.reject(self.feed_id, reason, raw)
        if feed_failed:
            await self.health.failure(reason, rejected=1)
        else:
            await self.health.rejected(1)


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk
