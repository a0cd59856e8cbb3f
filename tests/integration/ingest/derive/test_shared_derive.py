"""Several derive processes share the derive parts, and the figures stay true when one is killed.

Two real derive processes (`run_derive`, as `run.py derive` runs it) on one Redis: the parts (headline,
incidents, each application's figures) spread over them, each run by exactly one. The one that runs
e-Yankes' figures is killed with SIGKILL while records arrive; the other takes the part over, and the
figures it leaves equal a recount of the same stream by one fresh processor."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import yaml

from core.apps import APPLICATIONS
from core.redis import connect_async
from core.roster import DERIVE, holder, owner
from core.streams import FIGURES_GROUP, app_regions, app_units, feed_stream
from ingest.derive.figures_processor import FiguresProcessor
from tests.support.figures_helpers import CONFIG, catch_up, records_of, store
from tests.support.paths import ROOT

PARTS = ["headline", "incidents", *(f"figures:{app}" for app in APPLICATIONS)]
KABKOTA = ("3601", "3602", "3603", "3604", "3671", "3672", "3673", "3674")
CHILD = """
import asyncio, sys
from core.config import load_config
from ingest.service import run_derive
asyncio.run(run_derive(load_config(sys.argv[1]), sys.argv[2], asyncio.Event()))
"""


def beds(updates: range) -> list[dict]:
    """Ward occupancy as e-Yankes reports it: 8 kab/kota x 3 hospitals x 4 wards, one row per update."""
    start = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
    rows = []
    for n in updates:
        for k, kab in enumerate(KABKOTA):
            for h in range(3):
                for w in range(4):
                    capacity = 4 + w
                    rows.append({
                        "kode_rs": f"{kab}{h:03d}", "nama_rs": f"RS {kab}-{h}", "kode_kab": kab,
                        "kode_ruang": f"R{w:02d}", "nama_ruang": f"Ruang {w}", "kelas_rawat": "Kelas 3",
                        "kapasitas": capacity, "terisi": (n + k + h + w) % (capacity + 1),
                        "updated_at": (start + timedelta(minutes=n)).isoformat()})
    return rows


def processed(client, stream: str):
    async def check() -> bool:
        groups = {g["name"]: g for g in await client.xinfo_groups(stream)}
        group = groups.get(FIGURES_GROUP)
        return group is not None and group["pending"] == 0 and group["lag"] == 0
    return check


async def until(predicate, timeout: float, what: str) -> float:
    started = time.monotonic()
    while not await predicate():
        assert time.monotonic() - started < timeout, f"not within {timeout} s: {what}"
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def figures_of(client, app: str) -> dict:
    regions = {k: json.loads(v) for k, v in (await client.hgetall(app_regions(app))).items()}
    units = {r: {k: json.loads(v) for k, v in (await client.hgetall(app_units(app, r))).items()} for r in regions}
    return {"regions": regions, "units": units}


async def test_derive_parts_spread_and_a_killed_process_loses_no_figure(redis_url, tmp_path):
    settings = yaml.safe_load((ROOT / "config.yaml").read_text())
    settings.setdefault("ingest", {})["hold"] = 1.5
    config_path = tmp_path / "config.yaml"
    config_path.write_text(yaml.safe_dump(settings))
    client = connect_async(redis_url, decode_responses=True)
    stream = feed_stream("yankes_ruang")
    now = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    workers = [subprocess.Popen([sys.executable, "-c", CHILD, str(config_path), redis_url], cwd=ROOT,
                                env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL,
                                stderr=(tmp_path / f"derive-{i}.log").open("w"))
               for i in range(2)]
    try:
        names = {w.pid: None for w in workers}

        async def spread() -> bool:
            held = {part: await holder(client, DERIVE, part) for part in PARTS}
            alive = sorted({h for h in held.values() if h})
            return len(alive) == 2 and all(held[p] == owner(p, alive) for p in PARTS)
        await until(spread, 20, "every part held by its owner among two derive processes")
        for part in PARTS:
            name = await holder(client, DERIVE, part)
            names[int(name.rsplit(":", 1)[1])] = name
        assert all(names.values()), "each process holds parts of its own"

        await store(client, records_of("yankes_ruang", beds(range(0, 10)), now))
        await until(processed(client, stream), 30, "the first records processed")

        # The process running e-Yankes' figures dies while the rest arrives.
        victim_name = await holder(client, DERIVE, "figures:e-yankes")
        victim = next(w for w in workers if names[w.pid] == victim_name)
        survivor = next(names[w.pid] for w in workers if w is not victim)
        writing = asyncio.create_task(store(client, records_of("yankes_ruang", beds(range(10, 30)), now)))
        await asyncio.sleep(0.05)
        victim.kill()
        victim.wait()
        await writing

        async def taken_over() -> bool:
            return all([await holder(client, DERIVE, part) == survivor for part in PARTS])
        took = await until(taken_over, 10, "every part taken over by the survivor")
        await until(processed(client, stream), 30, "every record processed after the takeover")
        shared = await figures_of(client, "e-yankes")
        assert shared["regions"]["36"]["ruang"] == len(KABKOTA) * 3 * 4
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=10)

    # A recount: the derived figures and the group thrown away, the whole stream through one processor.
    derived = [k async for k in client.scan_iter("cc:app:e-yankes*")]
    await client.delete(*derived)
    await client.xgroup_destroy(stream, FIGURES_GROUP)
    await catch_up(client, FiguresProcessor(CONFIG, client, applications={"e-yankes"}), now)
    recount = await figures_of(client, "e-yankes")
    assert shared == recount
    await client.aclose()
    print(f"\nderive part taken over {took:.1f} s after its process was killed (hold 1.5 s)")
