"""Demo time: the project's clock in WIB, with simulated activity running `speed` times faster.

Timestamps stay on the project's clock (core/clock.py) so that event times, freshness checks and
"last 24 h" windows downstream behave as with a real agency, and so that the history replay
(backfill.py) can set it to past days; only the pace of live events (how often a bed fills, a
tender moves on) is scaled by `demo.speed`.
"""

from __future__ import annotations

import asyncio
import random
from datetime import date, datetime, timedelta

from core.clock import WIB, monotonic, utc_now

SEED = "banten-command-center-demo"


class DemoClock:
    """The wall clock in WIB and a pace factor for simulated events."""

    def __init__(self, speed: float = 1.0, start: datetime | None = None):
        if speed <= 0:
            raise ValueError("speed must be > 0")
        self.speed = speed
        # A fixed start lets tests replay the same day; time still moves on from it.
        self._offset = start - utc_now() if start else timedelta(0)
        self._mono0 = monotonic()

    def now(self) -> datetime:
        """The current time in WIB."""
        return (utc_now() + self._offset).astimezone(WIB)

    def elapsed(self) -> float:
        """Simulated seconds since the clock started: real seconds times `speed`."""
        return (monotonic() - self._mono0) * self.speed

    def today(self) -> date:
        """Today's date in WIB."""
        return self.now().date()

    async def sleep(self, sim_seconds: float, stop: asyncio.Event) -> bool:
        """Wait `sim_seconds` of demo activity (shorter when sped up); True once `stop` is set."""
        try:
            await asyncio.wait_for(stop.wait(), timeout=max(sim_seconds / self.speed, 0.001))
        except TimeoutError:
            return False
        return True


def iso(t: datetime) -> str:
    """ISO 8601 in WIB to the second, as the agencies write it ('2026-11-28T13:05:00+07:00')."""
    return t.astimezone(WIB).isoformat(timespec="seconds")


def service_rng(application: str, seed: str = SEED) -> random.Random:
    """A random generator of one simulated service: the same seed gives the same data."""
    # String seeds are hashed with SHA-512 by `random`, so this does not depend on PYTHONHASHSEED.
    return random.Random(f"{seed}:{application}")
