"""Pushing records to a webhook the way a careful agency system does: in order, with a backlog.

While the receiver is down or refuses, the most recent records wait in a bounded backlog and are
retried with backoff; the log says once that delivery stopped and once that it resumed, not on
every attempt (the Home Assistant coordinator's habit).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import deque
from typing import Any

import aiohttp

log = logging.getLogger(__name__)


class WebhookSender:
    """Delivers records to one webhook URL with a bearer token, keeping the latest `backlog` on failure."""

    def __init__(self, url: str, token: str, *, backlog: int = 500, batch: int = 100, timeout: float = 5.0,
                 retry: float = 1.0, max_backoff: float = 30.0):
        self.url = url
        self.token = token
        self.batch = batch
        self.timeout = timeout
        self.retry = retry
        self.max_backoff = max_backoff
        # (sequence number, record): the numbers tell which records a finished POST covered,
        # even when older ones fell off the left end of the backlog meanwhile.
        self.outbox: deque[tuple[int, dict[str, Any]]] = deque(maxlen=backlog)
        self.delivered = 0
        self.dropped = 0
        self.failing_since: float | None = None
        self._numbers = itertools.count()
        self._wake = asyncio.Event()

    def send(self, record: dict[str, Any]) -> None:
        """Queue a copy of a record for delivery; the oldest is dropped when the backlog is full."""
        if len(self.outbox) == self.outbox.maxlen:
            self.dropped += 1
        self.outbox.append((next(self._numbers), dict(record)))
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver queued records until `stop` is set, retrying with backoff while the receiver fails."""
        backoff = self.retry
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as session:
            while not stop.is_set():
                if not self.outbox:
                    self._wake.clear()
                    await _first(stop, self._wake)
                    continue
                batch = list(itertools.islice(self.outbox, self.batch))
                problem = await self._post(session, [record for _, record in batch])
                if problem is None:
                    last = batch[-1][0]
                    while self.outbox and self.outbox[0][0] <= last:
                        self.outbox.popleft()
                    self.delivered += len(batch)
                    self._recovered()
                    backoff = self.retry
                    continue
                self._failed(problem)
                # Wait out the backoff even when new records arrive, so a down receiver is not hammered.
                await _first(stop, timeout=backoff)
                backoff = min(backoff * 2, self.max_backoff)

    async def _post(self, session: aiohttp.ClientSession, records: list[dict[str, Any]]) -> str | None:
        """POST one record (or a list of them); None when the receiver took it, else why not."""
        body = records[0] if len(records) == 1 else records
        try:
            async with session.post(self.url, data=json.dumps(body, ensure_ascii=False).encode(),
                                    headers={"Authorization": f"Bearer {self.token}",
                                             "Content-Type": "application/json"}) as response:
                if 200 <= response.status < 300:
                    return None
                text = (await response.text())[:200]
                return f"HTTP {response.status}: {text}"
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__

    def _failed(self, problem: str) -> None:
        if self.failing_since is not None:
            return
        self.failing_since = time.monotonic()
        # Before the first delivery this is usually the ingest still starting up: say so calmly.
        level = logging.INFO if self.delivered == 0 else logging.WARNING
        log.log(level, "webhook %s: cannot deliver (%s); keeping up to %d records and retrying",
                self.url, problem, self.outbox.maxlen)

    def _recovered(self) -> None:
        if self.failing_since is None:
            return
        log.info("webhook %s: delivering again after %.0f s (%d records dropped from the backlog)",
                 self.url, time.monotonic() - self.failing_since, self.dropped)
        self.failing_since = None
        self.dropped = 0


async def _first(*events: asyncio.Event, timeout: float | None = None) -> None:
    """Wait until any of the events is set, or the timeout passes."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
