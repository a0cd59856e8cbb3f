"""Fixtures of the monitor tests: the simulated OPD systems and the notification receivers, on free ports."""

from __future__ import annotations

import pytest_asyncio

from tests.monitor.support import Receiver, start_systems


@pytest_asyncio.fixture
async def systems(tmp_path):
    running = await start_systems(tmp_path)
    yield running
    await running.runner.cleanup()


@pytest_asyncio.fixture
async def receiver():
    running = await Receiver().start()
    yield running
    await running.stop()
