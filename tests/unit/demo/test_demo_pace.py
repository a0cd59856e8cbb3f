"""The history's rhythms, without the network: the simulated agencies moved through four past weeks."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from statistics import mean

from core.clock import WIB, frozen
from core.regions import KABKOTA
from ingest.demo import build_services
from ingest.demo.calendar import HOLIDAYS, feast_run_up, is_working_day
from ingest.demo.clock import DemoClock, service_rng
from ingest.demo.disikap import COMMODITIES
from ingest.demo.pace import Pace
from tests.support.demo import demo_config

START = datetime(2026, 11, 2, tzinfo=WIB)  # a Monday


def lived(weeks: int = 4):
    """The seven services built at START and moved through `weeks` weeks, twelve hours at a time."""
    config = demo_config(8071, 8060)
    with frozen(START) as advance:
        services = build_services(config.model_copy(update={"feeds": {}}), DemoClock())
        pace = Pace(services, service_rng("history-test"))
        moment = START
        while moment < START + timedelta(weeks=weeks):
            advance(timedelta(hours=12))
            pace.move(moment, moment + timedelta(hours=12))
            moment += timedelta(hours=12)
    return services


def test_complaints_come_on_working_days_and_tenders_are_announced_in_office_hours():
    services = lived()
    created = Counter(c.created_at.date() for c in services["e-pormas"].complaints.values()
                      if c.created_at >= START)
    working = [n for day, n in created.items() if is_working_day(day)]
    off = [n for day, n in created.items() if not is_working_day(day)]
    assert len(working) == 20 and mean(working) > 2 * mean(off), created
    announced = [t.announced for t in services["e-lpse"].tenders.values() if t.announced >= START]
    assert announced and all(is_working_day(a.date()) and 8 <= a.hour < 17 for a in announced)
    # Every complaint moved on through the flow: most of the first week's are closed by the fourth.
    first_week = [c for c in services["e-pormas"].complaints.values() if c.created_at < START + timedelta(days=5)]
    assert sum(c.status == "selesai" for c in first_week) > 0.8 * len(first_week)


def test_produce_is_dearer_at_the_weekend_and_before_a_feast():
    with frozen(START):
        disikap = build_services(demo_config(8071, 8060).model_copy(update={"feeds": {}}), DemoClock())["e-disikap"]
    produce = [c for c in COMMODITIES if not c.staple]

    def province(day) -> float:
        return mean(disikap.daily_price(city, c, day) / c.base for city in KABKOTA for c in produce)

    weeks = [START.date() + timedelta(weeks=w) for w in range(8)]
    weekend = mean(province(monday + timedelta(days=d)) for monday in weeks for d in (5, 6))
    midweek = mean(province(monday + timedelta(days=d)) for monday in weeks for d in (1, 2, 3))
    assert weekend > midweek * 1.03
    christmas = next(d for d, name in HOLIDAYS.items() if name == "Natal" and d > START.date())
    assert feast_run_up(christmas - timedelta(days=1)) > 0.05 and feast_run_up(christmas - timedelta(days=20)) == 0
    eve = mean(province(christmas - timedelta(days=n)) for n in (1, 2, 3))
    month_before = mean(province(christmas - timedelta(days=n)) for n in range(28, 35))
    assert eve > month_before * 1.03
