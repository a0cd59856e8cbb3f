"""e-Pormas's running counts on a real Redis equal a recount of the record level, over random histories.

Complaints change status, move between categories and kab/kota, arrive late and out of order; the
clock passes their service levels (working days included) and lets closed ones go; the processor
restarts. After each step, every category's figures as the page reads them (`app_units`) must equal
a recount from scratch over that category's records (`app_records`), the active alerts must be
exactly the service levels missed at that moment, and each kab/kota's and the province's handling
over the last days (what the public portal shows) must equal a recount over their records.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.complaints import DONE, RECEIVED
from core.regions import PROVINCE_CODE
from core.streams import Record, active_alerts, app_records, app_regions, app_units, to_iso
from ingest.derive.pormas import KEEP_CLOSED, add_working_days
from ingest.normalize import parse_time
from tests.support.figures_helpers import CONFIG
from tests.support.figures_replay import HISTORIES_RUN, ON_REDIS, replay
from tests.support.recount import handling

STATUSES = ["diterima", "diverifikasi", "diproses", "selesai", "ditutup"]
REGIONS = ["3601", "3673"]
# Whole hours and days land the clock exactly on deadlines too (a service level is missed only after it).
TICKS = [timedelta(minutes=1), timedelta(hours=1), timedelta(hours=20), timedelta(days=1), timedelta(days=2, hours=3),
         timedelta(days=5), timedelta(days=8)]


def steps_of(seed: int, length: int) -> list[tuple]:
    rng = random.Random(seed)
    steps = []
    for _ in range(length):
        kind = rng.random()
        if kind < 0.75:
            steps.append(("record", rng.randint(0, 5), rng.choice(STATUSES), rng.choice(["Banjir", "Jalan", None]),
                          rng.choice(REGIONS), rng.choice(["Dinas PU", "BPBD", None]), rng.choice(["app", "sms"]),
                          rng.randint(-10 * 24, 0), rng.randint(-120, 0)))
        elif kind < 0.93:
            steps.append(("tick", rng.choice(TICKS)))
        else:
            steps.append(("restart",))
    return steps


def complaint(step: tuple, now: datetime, serial: int = 0) -> Record:
    _, tid, status, category, region, opd, via, created_hours, updated_minutes = step
    updated = now + timedelta(minutes=updated_minutes)
    payload = {"tracking_id": f"LPR-{tid}", "status": status, "category": category, "via": via, "opd_tujuan": opd,
               "created_at": (now + timedelta(hours=created_hours)).isoformat(), "updated_at": updated.isoformat()}
    return Record("lapor_banten", "e-pormas", f"LPR-{tid}-{status}", updated, now, payload, region)


def missed(row: dict, now: datetime) -> list[str]:
    """The service levels an open complaint has missed, counted afresh."""
    if row["status"] in DONE or not row.get("created_at"):
        return []
    created, rule = parse_time(row["created_at"]), CONFIG.alerts.complaint_sla
    out = []
    if row["status"] == RECEIVED and now > add_working_days(created, rule.verification_working_days):
        out.append("verifikasi")
    if now > created + timedelta(days=rule.resolution_days):
        out.append("penyelesaian")
    return out


def recount(category: str, rows: list[dict], now: datetime) -> dict:
    """A category's figures from all its records."""
    open_rows = [r for r in rows if r["status"] not in DONE]
    by_opd: dict[str, dict[str, int]] = {}
    for row in open_rows:
        opd = by_opd.setdefault(row.get("opd_tujuan") or "Belum didisposisi", {"open": 0, "sla_breach": 0})
        opd["open"] += 1
        opd["sla_breach"] += bool(missed(row, now))
    return {"name": category, "open": len(open_rows), "closed": len(rows) - len(open_rows),
            "sla_breach": sum(bool(missed(r, now)) for r in open_rows),
            "sla_verifikasi": sum("verifikasi" in missed(r, now) for r in open_rows),
            "sla_penyelesaian": sum("penyelesaian" in missed(r, now) for r in open_rows),
            "by_status": dict(Counter(r["status"] for r in rows)),
            "by_via": dict(Counter(str(r.get("via") or "-") for r in open_rows)), "by_opd": by_opd,
            "unit": category, "updated": max(r["_i"] for r in rows)}


async def check(client, now: datetime, swept: bool) -> None:
    breaching, everything = set(), []
    regions = {k: json.loads(v) for k, v in (await client.hgetall(app_regions("e-pormas"))).items()}
    for region in REGIONS:
        shown = {k: json.loads(v) for k, v in (await client.hgetall(app_units("e-pormas", region))).items()}
        expected = {}
        for category in shown.keys() | {"Banjir", "Jalan", "Lainnya"}:
            rows = [json.loads(v) for v in (await client.hgetall(app_records("e-pormas", region, category))).values()]
            if swept:  # closed complaints leave the record level once kept long enough
                assert not [r for r in rows if r["status"] in DONE and r["_t"] < to_iso(now - KEEP_CLOSED)]
            if rows:
                expected[category] = recount(category, rows, now) | {"region": region}
                everything += [(region, r) for r in rows]
                breaching |= {f"complaint_sla:{r['tracking_id']}:{m}" for r in rows for m in missed(r, now)}
        assert shown == expected
        if expected:
            assert regions[region]["penanganan"] == handling([r for c, r in everything if c == region], now)
    if everything:
        assert regions[PROVINCE_CODE]["penanganan"] == handling([r for _, r in everything], now)
    assert set(await client.hkeys(active_alerts())) == breaching


@settings(ON_REDIS, max_examples=HISTORIES_RUN)
@given(history=st.tuples(st.integers(0, 2**63), st.integers(1, 25)))
def test_complaint_counts_equal_a_recount(redis_server, history):
    replay(redis_server.url, steps_of(*history), complaint,
           lambda client, now, step: check(client, now, swept=step[0] == "tick"))
