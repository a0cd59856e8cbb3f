"""Daily history for the analysts' page: past days added to the derived trend hashes the way the processor adds them.

The figures processor keeps one value per WIB day and series (ingest/derive/trend.py); a test run
only lives through one day, so the days before it are written with the processor's own `Trend`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.clock import wib_today
from core.streams import app_trend
from ingest.derive.trend import Trend


def days_back(now: datetime, *offsets: int) -> list[str]:
    """WIB days `offset` days before `now`'s (0 is today), as series keys."""
    today = wib_today(now)
    return [(today - timedelta(days=k)).isoformat() for k in offsets]


def add_days(client, app: str, region: str, name: str, values: dict[str, float]) -> None:
    """Record `values` ({WIB day: value}) into a region's series as the processor would, oldest first."""
    key = app_trend(app, region)
    trend = Trend.decode(client.hgetall(key))
    for day in sorted(values):
        changes = trend.record(day, {name: values[day]})
        if changes:
            client.hset(key, mapping=changes)


# Egg prices (Rp per kg) in Kota Tangerang and Kota Serang, six to one days ago (index 0 is six days ago).
EGGS = "harga:telur_ayam_ras_segar"
EGG_PRICES = {
    "3671": (29000, 29500, 29750, 30000, 30250, 30500),
    "3673": (28000, 28400, 28800, 29200, 29600, 30000),
}


def seed_egg_prices(client, now: datetime) -> list[str]:
    """Six past days of egg prices in 3671 and 3673 (today's, where any, is the processor's); returns the days."""
    days = days_back(now, 6, 5, 4, 3, 2, 1)
    for region, prices in EGG_PRICES.items():
        add_days(client, "e-disikap", region, EGGS, dict(zip(days, map(float, prices))))
    return days
