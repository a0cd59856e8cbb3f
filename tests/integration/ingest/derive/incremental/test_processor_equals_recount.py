"""The headline processor on a real Redis shows what a plain recount shows, over random histories.

Records go into the feed stream and through the consumer group; the figure compared is the one the
screens read (`cc:kpi:<metric>`). Restarts are new processors on the same Redis; some restarts first
lose the metric's stored state, which is then rebuilt from the stream.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import clock
from core.redis import connect_async
from core.streams import DERIVE_GROUP, KpiValue, feed_stream, kpi, metric_entities, metric_state
from ingest.derive.groups import drain
from ingest.derive.headline import CONSUMER, HeadlineProcessor
from tests.support.recount import (
    FEED,
    HISTORIES,
    START,
    config_of,
    record_of,
    recount,
    shown,
    spec_of,
    steps_of,
)

HISTORIES_RUN = 100  # in-process and cheap; three times a CI run (once, then in each date lane)


async def caught_up(client, processor: HeadlineProcessor) -> None:
    streams = [feed_stream(FEED)]
    await drain(client, DERIVE_GROUP, CONSUMER, streams, processor.process, pending=True)
    while await drain(client, DERIVE_GROUP, CONSUMER, streams, processor.process, pending=False):
        pass


async def replay(url: str, spec: dict, steps: list[tuple], lose_state: bool) -> None:
    client = connect_async(url, decode_responses=True)
    await client.flushdb()
    config = config_of(spec)
    processor = HeadlineProcessor(config, client)
    await processor.start()
    offered = []
    try:
        with clock.frozen(START) as advance:
            for serial, step in enumerate(steps):
                if step[0] == "record":
                    record = record_of(step, clock.utc_now(), serial)
                    offered.append(record)
                    await client.xadd(feed_stream(FEED), record.encode())
                    await caught_up(client, processor)
                elif step[0] == "tick":
                    advance(timedelta(seconds=step[1]))
                    await processor.sweep_windows()
                else:
                    if lose_state:
                        await client.delete(metric_entities("angka"), metric_state("angka"))
                    processor = HeadlineProcessor(config, client)
                    await processor.start()
                    await caught_up(client, processor)
                stored = KpiValue.decode("angka", await client.hgetall(kpi("angka")))
                expected = recount("angka", spec, offered, clock.utc_now())
                assert shown(stored) == shown(expected), (spec, steps[:serial + 1])
    finally:
        await client.aclose()


@settings(max_examples=HISTORIES_RUN, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(history=HISTORIES, lose_state=st.booleans())
def test_the_processor_on_redis_equals_a_recount(redis_server, history, lose_state):
    asyncio.run(replay(redis_server.url, spec_of(history[0]), steps_of(*history), lose_state))
