"""An open page whose callbacks read for themselves is moved on when its data changes: at once after
a quiet spell, at most `rate` times a second on a busy day, and never left behind the last change."""

from __future__ import annotations

import asyncio
import time

from dashboard.live.line import Line, move_on
from dashboard.live.signal import Signal


def open_page(sent: list[float]) -> tuple[Line, list[bool]]:
    closed = [False]
    line = Line(meta={"id": "p1"}, is_shutdown=lambda: closed[0],
                send=lambda store, props: sent.append(time.monotonic()))
    return line, closed


def test_a_busy_day_moves_the_page_at_most_rate_times_a_second_and_the_last_change_is_shown():
    sent: list[float] = []
    line, closed = open_page(sent)
    figures = Signal()

    async def run() -> tuple[float, float]:
        push = asyncio.create_task(move_on(line, "clock", [figures], every=0.5, rate=4))
        await asyncio.sleep(0.05)
        first_change = time.monotonic()
        figures.bump()
        await asyncio.sleep(0.02)
        assert sent and sent[0] - first_change < 0.02  # after a quiet spell: at once
        started = time.monotonic()
        while time.monotonic() - started < 1.0:  # 100 changes a second for a second
            figures.bump()
            await asyncio.sleep(0.01)
        last_change = time.monotonic()
        await asyncio.sleep(0.4)
        closed[0] = True
        line.changed.bump()  # as a newer line taking the page over does
        await push
        return started, last_change

    started, last_change = asyncio.run(run())
    during = [t for t in sent if started <= t <= last_change]
    assert 3 <= len(during) <= 5, len(during)  # 4 a second, not 100
    assert all(b - a >= 0.24 for a, b in zip(sent, sent[1:])), sent
    assert sent[-1] >= last_change - 0.01  # the last change rode along with a move after it


def test_without_a_rate_every_change_moves_the_page():
    sent: list[float] = []
    line, closed = open_page(sent)
    figures = Signal()

    async def run():
        push = asyncio.create_task(move_on(line, "clock", [figures], every=0.5))
        for _ in range(5):
            await asyncio.sleep(0.02)
            figures.bump()
        await asyncio.sleep(0.02)
        closed[0] = True
        line.changed.bump()  # as a newer line taking the page over does
        await push

    asyncio.run(run())
    assert len(sent) == 5
