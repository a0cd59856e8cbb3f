"""Fixtures of the simulated agency tests: the demo on free ports, a fake ingest, a hand-moved clock."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.demo import FakeClock, FakeIngest, start_demo


@pytest.fixture
async def ingest():
    """A fake ingest webhook receiver on a free port."""
    receiver = await FakeIngest().start()
    yield receiver
    await receiver.stop()


@pytest.fixture
async def demo(ingest):
    """All seven simulated services at speed x100, pushing complaints to the fake ingest."""
    run, stop, task = await start_demo(ingest.port)
    yield run
    stop.set()
    await asyncio.wait_for(task, 5)
    await run.session.close()


@pytest.fixture
def clock() -> FakeClock:
    """A clock at a fixed Friday afternoon that the test moves by hand."""
    return FakeClock()
