"""Do the derive processors keep up with 2,000 records/s of mixed feeds (all seven applications)?

    .venv/bin/python tests/bench/bench_derive_lag.py [--rate 2000] [--seconds 60]

Starts a private redis-server and the real `derive` role (run_derive: headline + figures, the
feeds of config.yaml) in its own process, then writes records in the adapters' shapes to eight
feed streams at the given rate. Prints the consumer-group lag (entries not yet delivered plus
delivered but not acknowledged) sampled every 0.5 s, the delay from XADD to the figure written
(the `cc:kpi-updates` entry whose batch covered the record, both times from the Redis clock), p50
and p95, and the CPU of the derive process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.config import load_config  # noqa: E402
from core.redis import EmbeddedRedis, connect_async  # noqa: E402
from core.streams import FIGURES_GROUP, KPI_UPDATES, Record, feed_stream, utc_now  # noqa: E402

CITIES = ["3601", "3602", "3603", "3604", "3671", "3672", "3673", "3674"]
COMMODITIES = ["beras_medium", "cabai_rawit_merah", "cabai_merah_besar", "bawang_merah", "bawang_putih",
               "daging_ayam", "telur_ayam", "minyak_goreng", "gula_pasir"]
CATEGORIES = ["Infrastruktur", "Sosial", "Kependudukan", "Pendidikan", "Kesehatan", "Lingkungan", "Perhubungan"]
SATKER = [f"Dinas {n}" for n in ("PUPR", "Kesehatan", "Pendidikan", "Perhubungan", "Sosial", "Pertanian")]
STAGES = ["Pengumuman", "Download Dokumen", "Pemberian Penjelasan", "Evaluasi", "Masa Sanggah", "Kontrak"]
STATUSES = ["diterima", "diverifikasi", "didisposisi", "ditindaklanjuti", "selesai"]

DERIVE_SCRIPT = """
import asyncio, signal, sys
sys.path.insert(0, sys.argv[1])
from core.config import load_config
from ingest.service import run_derive
async def main():
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await run_derive(load_config(sys.argv[1] + "/config.yaml"), sys.argv[2], stop)
asyncio.run(main())
"""


class MixedFeeds:
    """Records of all seven applications with realistic numbers of units, as the adapters emit them."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.serial = 0
        self.open: list[tuple[str, str, str, str]] = []  # (tracking_id, city, category, created)

    def record(self, now: datetime) -> Record:
        rng, city = self.rng, self.rng.choice(CITIES)
        kind = rng.randrange(8)
        self.serial += 1
        sid = str(self.serial)
        if kind == 0:  # e-Pormas: new complaints and status changes of earlier ones
            if self.open and rng.random() < 0.4:
                tid, city, category, created = rng.choice(self.open)
                status = rng.choice(STATUSES[1:])
            else:
                tid, category = f"LPR-{self.serial:07d}", rng.choice(CATEGORIES)
                created, status = now.isoformat(), "diterima"
                self.open.append((tid, city, category, created))
                self.open = self.open[-5000:]
            p = {"tracking_id": tid, "status": status, "category": category, "via": "app", "city_id": city,
                 "opd_tujuan": "Dinas PUPR" if status != "diterima" else None, "created_at": created,
                 "updated_at": now.isoformat()}
            return Record("pormas_laporan", "e-pormas", sid, now, now, p, city)
        if kind == 1:  # e-Disikap PIHPS: a revised week of prices per regency
            key = rng.choice(COMMODITIES)
            day = (now - timedelta(days=rng.randrange(7))).date().isoformat()
            p = {"commodity": key.replace("_", " ").title(), "commodity_key": key, "price_type_id": 1,
                 "kode_wilayah": city, "pasar": "semua", "tanggal": day, "harga": rng.randrange(12000, 90000, 50)}
            return Record("harga_pihps", "e-disikap", sid, now, now, p, city)
        if kind == 2:  # e-Disikap Bapanas panel
            key = rng.choice(COMMODITIES)
            p = {"date": now.date().isoformat(), "city_id": city, "commodity_id": key, "commodity_name": key,
                 "rata_rata_geometrik": rng.randrange(12000, 90000, 50), "hpp_hap": 40000, "status": "aman"}
            return Record("panel_bapanas", "e-disikap", sid, now, now, p, city)
        if kind == 3:  # e-Yankes: 119 hospitals x 8 wards
            rs = rng.randrange(119)
            cap = 10 + rs % 30
            p = {"kode_rs": f"RS{rs:03d}", "nama_rs": f"RSUD {rs}", "kode_ruang": f"R{rng.randrange(8)}",
                 "kapasitas": cap, "terisi": rng.randrange(cap + 1)}
            return Record("yankes_ruang", "e-yankes", sid, now, now, p, CITIES[rs % 8])
        if kind == 4:  # e-LPSE: 600 tenders, announcements, schedules and results
            t = rng.randrange(600)
            base = {"kd_tender": f"T{t:05d}", "kode_wilayah": CITIES[t % 8], "tgl_update": now.isoformat()}
            r = rng.random()
            if r < 0.6:
                p = dict(base, record_type="tender", nama_paket=f"Paket {t}", nama_satker=SATKER[t % 6],
                         pagu=2.1e9, hps=2e9, status_tender="Aktif" if t % 3 else "Selesai",
                         nama_tahapan=rng.choice(STAGES))
            elif r < 0.85:
                stage = rng.choice(STAGES)
                p = dict(base, record_type="jadwal", kd_tahapan=stage.upper(), nama_tahapan=stage,
                         tgl_awal=(now - timedelta(days=3)).isoformat(),
                         tgl_akhir=(now + timedelta(days=2)).isoformat())
            else:
                p = dict(base, record_type="hasil", nama_satker=SATKER[t % 6], hps=2e9, nilai_kontrak=1.95e9,
                         selisih=5e7)
            return Record("lpse_spse", "e-lpse", sid, now, now, p, CITIES[t % 8])
        if kind == 5:  # e-Bansos: programme x tahap per kab/kota
            target = 40000
            p = {"kode_kab": city, "program": rng.choice(["PKH", "BPNT"]), "tahun": 2026, "tahap": rng.randrange(1, 5),
                 "status": "SP2D", "status_urutan": 1, "target_kpm": target, "kpm_tersalur": rng.randrange(target)}
            return Record("bansos_tahap", "e-bansos", sid, now, now, p, city)
        if kind == 6:  # e-Statistik: 4 indicators x 5 years x 9 regions
            region = rng.choice(CITIES + ["36"])
            p = {"indikator": rng.choice(["kemiskinan", "pengangguran", "penduduk_miskin", "garis_kemiskinan"]),
                 "tahun": rng.randrange(2020, 2025), "periode": "Tahunan", "nilai": rng.random() * 10,
                 "kode_wilayah": region}
            return Record("bps_webapi", "e-statistik", sid, now, now, p, region)
        cam = rng.randrange(500)  # e-CCTV: 500 cameras
        p = {"id": f"cctv-{cam:04d}", "nama_lokasi": f"Simpang {cam}", "is_active": rng.random() > 0.1,
             "latitude": -6.1, "longitude": 106.1, "last_status_check": now.isoformat()}
        return Record("cctv_kamera", "e-cctv", sid, now, now, p, CITIES[cam % 8])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    if len(values) > 1:
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1]
    return values[0] if values else float("nan")


async def bench(url: str, rate: int, seconds: float, pid: int) -> None:
    client = connect_async(url, decode_responses=True)
    streams = sorted({feed_stream(f) for f in ("pormas_laporan", "harga_pihps", "panel_bapanas", "yankes_ruang",
                                                 "lpse_spse", "bansos_tahap", "bps_webapi", "cctv_kamera")})
    # Wait until the derive process has created its groups.
    for _ in range(200):
        try:
            if all(any(g["name"] == FIGURES_GROUP for g in await client.xinfo_groups(s)) for s in streams):
                break
        except Exception:  # noqa: BLE001 - the stream is not there yet
            pass
        await asyncio.sleep(0.05)
    feeds, written, updates, lags = MixedFeeds(), [], [], []
    done = asyncio.Event()

    async def read_updates():
        last = "$"
        reader = connect_async(url, decode_responses=True)
        while True:
            reply = await reader.xread({KPI_UPDATES: last}, block=500, count=1000)
            for _, entries in reply or []:
                for entry_id, f in entries:
                    last = entry_id
                    if f.get("through"):
                        updates.append((int(entry_id.split("-")[0]), f["through"]))
            if done.is_set() and not reply:
                break
        await reader.aclose()

    async def sample_lag():
        while not done.is_set():
            total = 0
            for s in streams:
                for g in await client.xinfo_groups(s):
                    if g["name"] == FIGURES_GROUP:
                        total += (g.get("lag") or 0) + g["pending"]
            lags.append(total)
            await asyncio.sleep(0.5)

    deadline = time.monotonic() + seconds
    reader_task, lag_task = asyncio.create_task(read_updates()), asyncio.create_task(sample_lag())
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    tick, per_tick = 0.05, max(1, int(rate * 0.05))
    next_tick = time.monotonic()
    while time.monotonic() < deadline:
        now = utc_now()
        async with client.pipeline(transaction=False) as pipe:
            for _ in range(per_tick):
                record = feeds.record(now)
                pipe.xadd(feed_stream(record.feed_id), record.encode(), maxlen=200_000, approximate=True)
            ids = await pipe.execute()
        written.extend(ids)
        next_tick += tick
        await asyncio.sleep(max(0.0, next_tick - time.monotonic()))
    elapsed_write = time.monotonic() - t0
    cpu_write = cpu_seconds(pid) - cpu0
    writing_lags = len(lags)
    # Let the processors finish what is behind (at most 30 s) before the delays are read.
    catch_up_until = time.monotonic() + 30
    while time.monotonic() < catch_up_until and (not lags or lags[-1] > 0 or len(lags) == writing_lags):
        await asyncio.sleep(0.25)
    caught_up_after = time.monotonic() - t0 - elapsed_write
    done.set()
    await lag_task
    await asyncio.wait_for(reader_task, timeout=60)
    # Delay: each record against the first figure update whose batch went through it.
    order = sorted(((int(i.split("-")[0]), int(i.split("-")[1])), i) for i in written)
    covered = sorted((tuple(map(int, through.split("-"))), at) for at, through in updates)
    delays, best = [], None
    suffix_min = [0] * len(covered)
    for k in range(len(covered) - 1, -1, -1):  # earliest update time among those covering at least this id
        best = covered[k][1] if best is None else min(best, covered[k][1])
        suffix_min[k] = best
    j = 0
    for key, _ in order:
        while j < len(covered) and covered[j][0] < key:
            j += 1
        if j < len(covered):
            delays.append(suffix_min[j] - key[0])
    during = lags[:writing_lags]
    behind = during[len(during) // 10:] or during
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"written: {len(written)} records in {elapsed_write:.1f} s = {len(written) / elapsed_write:,.0f}/s "
          f"(target {rate}/s), 8 feeds, 7 applications")
    print(f"consumer-group lag (entries behind, every 0.5 s): p50 {pct(behind, 50):.0f}, p95 {pct(behind, 95):.0f}, "
          f"max {max(during) if during else 0}, at the end of writing {during[-1] if during else 0}; "
          f"caught up {caught_up_after:.1f} s after writing stopped")
    print(f"XADD -> figure written: p50 {pct(delays, 50):.0f} ms, p95 {pct(delays, 95):.0f} ms, "
          f"max {max(delays) if delays else 0} ms ({len(delays)} of {len(written)} records seen in an update)")
    print(f"derive process CPU while writing: {cpu_write / elapsed_write * 100:.0f} % of one core")
    await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    load_config(ROOT / "config.yaml")  # fail here, not in the child, when the config is wrong
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp))
        server.start()
        derive = subprocess.Popen([sys.executable, "-c", DERIVE_SCRIPT, str(ROOT), server.url])
        try:
            asyncio.run(bench(server.url, args.rate, min(args.seconds, 600.0), derive.pid))
        finally:
            derive.send_signal(signal.SIGTERM)
            try:
                derive.wait(timeout=15)
            except subprocess.TimeoutExpired:
                derive.kill()
            server.stop()


if __name__ == "__main__":
    main()
