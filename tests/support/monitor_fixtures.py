"""Fixtures of the monitor tests: the simulated OPD systems and the notification receivers, on free ports."""

from __future__ import annotations

import pytest
import pytest_asyncio
from aiosmtpd.controller import Controller

from core.redis import free_port
from tests.support.monitor import Mailbox, Receiver, start_systems


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


@pytest.fixture
def smtp():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, box
    controller.stop()
