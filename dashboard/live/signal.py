"""A version number to wait on: the hub's channels, the layouts, the playlists and each open page."""

from __future__ import annotations

import asyncio


class Signal:
    """A version number and a way to wait for it to change (several waiters, no lost wake-ups)."""

    def __init__(self) -> None:
        self.version = 0
        self._event: asyncio.Event | None = None

    def bump(self) -> None:
        self.version += 1
        if self._event is not None:
            event, self._event = self._event, None
            event.set()

    async def wait(self, version: int, timeout: float) -> None:
        """Return when the version differs from `version`, or after `timeout` seconds."""
        if self.version != version or timeout <= 0:
            return
        if self._event is None:
            self._event = asyncio.Event()
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            pass


async def first_of(waits: list, timeout: float) -> None:
    """Wait for the first of several waits, at most `timeout` seconds; cancel the rest."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
