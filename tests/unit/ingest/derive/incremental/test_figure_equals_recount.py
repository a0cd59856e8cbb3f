"""Running headline figures equal a plain recount to the last digit, over random histories.

Each history mixes late and out-of-order records, newer versions of the same entities, `where`
fields switching on and off, the clock (core/clock.py) moving entities out of their window, and
restarts (the running state thrown away and read back from the stored entities, as from Redis).
7 aggregates x 1,430 histories = 10,010 random sequences per run.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from core import clock
from ingest.derive.incremental.figure import RunningFigure
from tests.support.recount import (
    AGGREGATES,
    HISTORIES,
    START,
    config_of,
    record_of,
    recount,
    shown,
    spec_of,
    steps_of,
)

HISTORIES_PER_AGGREGATE = 1_430


def restarted(figure: RunningFigure) -> RunningFigure:
    """A new process: the entities and the `seen` flag as Redis holds them, nothing else."""
    fresh = RunningFigure(figure.id, figure.spec)
    for key, entity in list(figure.entities.items()):
        fresh.put(key, entity)
    fresh.seen = figure.seen
    return fresh


@pytest.mark.parametrize("aggregate", AGGREGATES)
def test_running_figure_equals_a_recount(aggregate):
    @settings(max_examples=HISTORIES_PER_AGGREGATE, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(history=HISTORIES)
    def history(history):
        spec, steps = spec_of(history[0], aggregate), steps_of(*history)
        config = config_of(spec)
        figure = RunningFigure("angka", config.metrics["angka"])
        offered = []
        with clock.frozen(START) as advance:
            for serial, step in enumerate(steps):
                if step[0] == "record":
                    record = record_of(step, clock.utc_now(), serial)
                    offered.append(record)
                    figure.offer(record)
                elif step[0] == "tick":
                    advance(timedelta(seconds=step[1]))
                else:
                    figure.expire(clock.utc_now())  # what the processor deletes from Redis before a restart
                    figure = restarted(figure)
                now = clock.utc_now()
                assert shown(figure.figure(now)) == shown(recount("angka", spec, offered, now)), (spec, history,
                                                                                                  steps[:serial + 1])

    history()
