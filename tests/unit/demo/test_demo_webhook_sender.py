"""WebhookSender: a bounded backlog while the receiver refuses, one log line each way, order kept."""

from __future__ import annotations

import asyncio
import logging

from ingest.demo.webhook_sender import WebhookSender
from tests.support.demo import FakeIngest, wait_for


async def test_refusals_keep_the_newest_records_and_delivery_resumes_in_order(caplog):
    caplog.set_level(logging.INFO, logger="ingest.demo.webhook_sender")
    receiver = await FakeIngest(status=503).start()
    sender = WebhookSender(f"http://127.0.0.1:{receiver.port}/ingest/lapor_banten", "a-long-test-token",
                           backlog=5, retry=0.05, max_backoff=0.1)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    try:
        for n in range(8):
            sender.send({"n": n})
        await wait_for(lambda: receiver.refused >= 3)
        assert sender.dropped == 3 and len(sender.outbox) == 5
        receiver.status = 202
        await wait_for(lambda: len(receiver.records) == 5)
        assert [r["n"] for r in receiver.records] == [3, 4, 5, 6, 7]
        assert receiver.requests[0][0] == "Bearer a-long-test-token"
        sender.send({"n": 8})
        await wait_for(lambda: len(receiver.records) == 6)
        assert receiver.requests[-1][1] == {"n": 8}  # a single record goes as an object, not a list
    finally:
        stop.set()
        await asyncio.wait_for(task, 3)
        await receiver.stop()
    messages = [r.getMessage() for r in caplog.records]
    assert sum("cannot deliver" in m for m in messages) == 1
    assert sum("delivering again" in m and "3 records dropped" in m for m in messages) == 1


async def test_a_failure_after_deliveries_is_a_warning():
    receiver = await FakeIngest().start()
    sender = WebhookSender(f"http://127.0.0.1:{receiver.port}/ingest/lapor_banten", "a-long-test-token",
                           retry=0.05)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    try:
        sender.send({"n": 1})
        await wait_for(lambda: len(receiver.records) == 1)
        receiver.status = 401
        sender.send({"n": 2})
        await wait_for(lambda: sender.failing_since is not None)
    finally:
        stop.set()
        await asyncio.wait_for(task, 3)
        await receiver.stop()
    assert sender.outbox and sender.outbox[0][1] == {"n": 2}
