"""The public portal's complaint handling kept as running state equals a recount, over random histories.

Complaints are set, replaced, moved between kab/kota and removed while the clock moves on without
any of them changing (the window's start passes resolved complaints that are still kept), and the
figures of every kab/kota and the province must equal a count from scratch at each moment.
"""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.complaints import DONE
from core.regions import PROVINCE_CODE
from ingest.derive.incremental.complaint_handling import ComplaintHandling
from tests.support.recount import START, handling

HISTORIES_RUN = 1_000
REGIONS = ["3601", "3673", PROVINCE_CODE]
STATUSES = ["diterima", "diproses", "selesai", "ditutup"]


def row_of(rng: random.Random, now) -> dict:
    created = now - timedelta(hours=rng.randint(0, 12 * 24))
    closed = created + timedelta(hours=rng.choice([0, 12, 24, 120, 121, 200]))
    status = rng.choice(STATUSES)
    row = {"status": status, "created_at": rng.choice([created.isoformat(), None, "bukan tanggal",
                                                       created.replace(tzinfo=None).isoformat()]),
           "updated_at": closed.isoformat()}
    if rng.random() < 0.9:
        row["_t"] = (closed if status in DONE else now).isoformat()
    return row


@settings(max_examples=HISTORIES_RUN, deadline=None, database=None)
@given(seed=st.integers(0, 2**63), length=st.integers(1, 40))
def test_complaint_handling_equals_a_recount(seed, length):
    rng, now = random.Random(seed), START
    kept = ComplaintHandling(resolution_days=5)
    rows: dict[str, tuple[str, dict]] = {}
    for _ in range(length):
        kind, key = rng.random(), f"LPR-{rng.randint(0, 8)}"
        if kind < 0.6:
            rows[key] = (rng.choice(REGIONS), row_of(rng, now))
            kept.set(key, *rows[key])
        elif kind < 0.75:
            rows.pop(key, None)
            kept.set(key, "3601", None)
        else:
            now += rng.choice([timedelta(minutes=30), timedelta(hours=7), timedelta(days=1), timedelta(days=3)])
        for region in REGIONS:
            own = [r for reg, r in rows.values() if region in (reg, PROVINCE_CODE)]
            assert kept.figures(region, now) == handling(own, now), (seed, length, region)
