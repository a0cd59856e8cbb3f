"""Hundreds of checks in one process on time: start times spread over each interval, at most
`concurrency` checks at once, the next run planned from the planned time (no drift), sooner after
a failure (`retry_interval`). Lateness of every start is kept for the benchmark and /healthz."""

from __future__ import annotations

import asyncio
import heapq
from collections import deque
from collections.abc import Awaitable, Callable

from core.clock import monotonic
from core.monitors import ServiceCheck

LATENESS_KEPT = 20_000


class Scheduler:
    def __init__(self, services: dict[str, ServiceCheck], run: Callable[[str], Awaitable[bool]], concurrency: int):
        self.services = services
        self.run_check = run  # returns whether the check succeeded (a failure is retried sooner)
        self.limit = asyncio.Semaphore(concurrency)
        self.lateness: deque[float] = deque(maxlen=LATENESS_KEPT)
        self.started = 0
        self._heap: list[tuple[float, int, str]] = []
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()
        self._seq = 0

    def _plan(self, due: float, service: str) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (due, self._seq, service))
        self._wake.set()

    async def _one(self, due: float, service: str) -> None:
        svc = self.services[service]
        ok = False
        async with self.limit:
            self.lateness.append(monotonic() - due)
            self.started += 1
            try:
                ok = await self.run_check(service)
            except Exception:
                import logging

                logging.getLogger("monitor.scheduler").exception("check %s failed to run", service)
        step = svc.interval if ok else min(svc.interval, svc.retry_every)
        self._plan(max(due + step, monotonic()), service)

    async def run(self, stop: asyncio.Event) -> None:
        start = monotonic()
        ordered = sorted(self.services)
        for i, service in enumerate(ordered):
            # Spread: the i-th of n services starts i/n into its interval, so checks never bunch.
            self._plan(start + self.services[service].interval * i / max(1, len(ordered)), service)
        try:
            while not stop.is_set():
                self._wake.clear()
                if not self._heap:
                    await _wait(stop, self._wake, 1.0)
                    continue
                due = self._heap[0][0]
                delay = due - monotonic()
                if delay > 0:
                    await _wait(stop, self._wake, delay)
                    continue
                _, _, service = heapq.heappop(self._heap)
                task = asyncio.create_task(self._one(due, service))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        finally:
            for task in list(self._tasks):
                task.cancel()
            if self._tasks:
                await asyncio.wait(self._tasks, timeout=2)


async def _wait(stop: asyncio.Event, wake: asyncio.Event, timeout: float) -> None:
    waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
