"""e-LPSE's running sums per satker on a real Redis equal a recount of the record level, over random histories.

Tenders are announced, change stage and status, move between satker and kab/kota, get schedules
(before or after their tender) and results, arrive late; the clock passes stage ends; the processor
restarts. After each step every satker's figures (`app_units`) must equal a recount from scratch
over its tenders (`app_records`; money summed exactly, math.fsum), and the active stage-overdue
alerts must be exactly the open tenders past the end of their stage at that moment.
"""

from __future__ import annotations

import json
import math
import random
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.streams import Record, active_alerts, app_records, app_units
from ingest.derive.application import number
from ingest.derive.lpse import OPEN, SUMS
from ingest.normalize import parse_time
from tests.support.figures_helpers import CONFIG
from tests.support.figures_replay import HISTORIES_RUN, ON_REDIS, replay
from tests.support.recount import START

REGIONS = ["3602", "3673"]
SATKER = ["Dinas PUPR", "Dinas Kesehatan", None]
STAGES = [("PENGUMUMAN", "Pengumuman"), ("EVALUASI", "Evaluasi"), ("KONTRAK", "Penandatanganan Kontrak")]
MONEY = [0, 1e9, 2.5e8, 0.1, 0.2, 123456789.01, None, "15.000"]
TICKS = [timedelta(minutes=30), timedelta(hours=6), timedelta(days=1), timedelta(days=1, seconds=1)]
GRACE = timedelta(seconds=float(CONFIG.alerts.tender_stage_overdue.grace))


def steps_of(seed: int, length: int) -> list[tuple]:
    rng = random.Random(seed)
    steps = []
    for _ in range(length):
        kind, code, minutes = rng.random(), f"T{rng.randint(0, 4)}", rng.randint(-600, 0)
        if kind < 0.4:
            steps.append(("tender", code, minutes, rng.choice(REGIONS), rng.choice(SATKER),
                          rng.choice([OPEN, OPEN, "Selesai"]), rng.choice(STAGES)[1], rng.choice(MONEY),
                          rng.choice(MONEY)))
        elif kind < 0.6:
            steps.append(("jadwal", code, minutes, rng.choice(REGIONS), rng.choice(STAGES),
                          rng.choice([-30, -1, 0, 1, 2, 5]) * 24 * 60 + rng.choice([0, 59, 600])))
        elif kind < 0.75:
            steps.append(("hasil", code, minutes, rng.choice(REGIONS), rng.choice(MONEY)))
        elif kind < 0.93:
            steps.append(("tick", rng.choice(TICKS)))
        else:
            steps.append(("restart",))
    return steps


def record_of(step: tuple, now: datetime, serial: int) -> Record:
    kind, code, minutes, region = step[:4]
    when = now + timedelta(minutes=minutes)
    payload = {"record_type": kind, "kd_tender": code, "tgl_update": when.isoformat()}
    if kind == "tender":
        satker, status, stage, hps, pagu = step[4:]
        payload.update(nama_paket=f"Paket {code}", nama_satker=satker, status_tender=status, nama_tahapan=stage,
                       hps=hps, pagu=pagu)
    elif kind == "jadwal":
        (kd, name), end_minutes = step[4:]
        payload.update(kd_tahapan=kd, nama_tahapan=name, tgl_awal=(now - timedelta(days=40)).isoformat(),
                       tgl_akhir=(START + timedelta(minutes=end_minutes)).isoformat())
    else:
        payload["nilai_kontrak"] = step[4]
    return Record("lpse_spse", "e-lpse", f"{code}-{serial}", when, now, payload, region)


def overdue(row: dict, now: datetime) -> dict | None:
    if row.get("status_tender") != OPEN or not row.get("nama_tahapan"):
        return None
    current = str(row["nama_tahapan"]).strip().lower()
    for stage in (row.get("jadwal") or {}).values():
        if str(stage.get("nama_tahapan") or "").strip().lower() == current:
            return stage if parse_time(stage["tgl_akhir"]) + GRACE < now else None
    return None


def recount(satker: str, region: str, rows: list[dict], now: datetime) -> dict:
    """A satker's figures from all its tenders."""
    hps = [number(r.get("hps")) or 0.0 for r in rows]
    contract = [number(r.get("nilai_kontrak")) for r in rows]
    is_open = [r.get("status_tender") == OPEN for r in rows]
    out = {"paket": len(rows), "aktif": sum(is_open),
           "pagu": math.fsum(number(r.get("pagu")) or 0.0 for r in rows), "hps": math.fsum(hps),
           "hps_aktif": math.fsum(h for h, o in zip(hps, is_open) if o),
           "hps_selesai": math.fsum(h for h, c in zip(hps, contract) if c is not None),
           "nilai_kontrak": math.fsum(c for c in contract if c is not None),
           "selisih": math.fsum((h - c if h else 0.0) for h, c in zip(hps, contract) if c is not None),
           "terlambat": sum(overdue(r, now) is not None for r in rows)}
    stages: dict[str, int] = {}
    for row, o in zip(rows, is_open):
        if o:
            stage = str(row.get("nama_tahapan") or "-")
            stages[stage] = stages.get(stage, 0) + 1
    out = {k: out[k] for k in SUMS}
    out["by_tahap"] = stages
    out["hemat_pct"] = round(out["selisih"] / out["hps_selesai"] * 100, 2) if out["hps_selesai"] else None
    return out | {"name": satker, "unit": satker, "region": region, "updated": max(r["_i"] for r in rows)}


async def check(client, now: datetime) -> None:
    late = set()
    for region in (*REGIONS, "36"):
        shown = {k: json.loads(v) for k, v in (await client.hgetall(app_units("e-lpse", region))).items()}
        expected = {}
        for satker in shown.keys() | {"Dinas PUPR", "Dinas Kesehatan", "Tanpa satker"}:
            rows = [json.loads(v) for v in (await client.hgetall(app_records("e-lpse", region, satker))).values()]
            if rows:
                expected[satker] = recount(satker, region, rows, now)
                late |= {f"tender_stage_overdue:{r['kd_tender']}:{s.get('kd_tahapan') or s.get('nama_tahapan')}"
                         for r in rows if (s := overdue(r, now))}
        assert shown == expected
    assert {a for a in await client.hkeys(active_alerts()) if a.startswith("tender_stage_overdue:")} == late


@settings(ON_REDIS, max_examples=HISTORIES_RUN)
@given(history=st.tuples(st.integers(0, 2**63), st.integers(1, 25)))
def test_tender_sums_equal_a_recount(redis_server, history):
    replay(redis_server.url, steps_of(*history), record_of, lambda client, now, step: check(client, now))
