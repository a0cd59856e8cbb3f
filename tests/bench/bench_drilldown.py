"""Benchmark: the application pages' drill-down callback latency (p50, p95) with a year of data for all seven apps.

    .venv/bin/python -m tests.bench.bench_drilldown [requests_per_level=40]

The data: ~120 hospitals x 5 wards, 600 tenders (~40 satker), 500 cameras, 10,000 complaints
(created over a year, all still at the record level: open, or closed in the last 7 days),
10 commodities x 8 kab/kota x 5 markets (8 days of prices), bansos 2 programmes x 4 tahap x 8
kab/kota, 10 BPS indicators x 9 regions x 10 years; every trend series 365 days long (derive keeps
92: this is the worst case). The figures are computed by the real derive classes (the figures
processor over synthetic Records), so the hashes have exactly the shapes a site has; the trend
hashes are then written directly. Each request is a POST /_dash-update-component for the drill
callback, as the browser sends it (over HTTP; a browser normally uses the WebSocket), timed at the client.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from core.config import load_config
from core.redis import EmbeddedRedis, connect, connect_async
from core.regions import KABKOTA, PROVINCE_CODE
from core.streams import Record, app_records, app_regions, app_trend, app_units, feed_stream
from dashboard.app import create_app
from dashboard.applications.page import OUTPUTS, SPECS
from ingest.derive.figures_processor import FiguresProcessor
from tests.support.app import ROOT, SESSION_COOKIE, login, serve, with_test_users, write_test_users
from tests.support.figures_helpers import catch_up

NOW = datetime.now(UTC).replace(microsecond=0)
CODES = list(KABKOTA)
rng = random.Random(7)


def synthetic_records() -> list[Record]:
    out: list[Record] = []

    def rec(feed, app, sid, payload, region, at=NOW):
        out.append(Record(feed, app, sid, at, at, payload, region))

    for h in range(120):  # hospitals x 5 wards
        region = CODES[h % 8]
        for w in range(5):
            cap = rng.randint(10, 40)
            rec("yankes_ruang", "e-yankes", f"rs{h}-{w}", {"kode_rs": f"RS{h:03d}", "nama_rs": f"RS Umum {h}",
                "kelas": "BC"[h % 2], "kode_ruang": f"R{w}", "nama_ruang": f"Ruang {w}", "kelas_rawat": "Kelas 3",
                "kapasitas": cap, "terisi": rng.randint(0, cap)}, region)
    for t in range(600):  # tenders
        region = (CODES + [PROVINCE_CODE])[t % 9]
        hps = rng.randint(100, 20_000) * 1_000_000
        done = t % 3 == 0
        p = {"record_type": "tender", "kd_tender": str(10_000_000 + t), "nama_paket": f"Paket pekerjaan {t}",
             "pagu": hps * 1.05, "hps": hps, "status_tender": "Selesai" if done else "Aktif",
             "nama_tahapan": "Kontrak" if done else "Evaluasi", "nama_satker": f"Satker {t % 40}",
             "tahun_anggaran": 2026, "tgl_update": (NOW - timedelta(days=t % 365)).isoformat()}
        if done:
            p.update(nilai_kontrak=hps * 0.97, nama_penyedia=f"PT Penyedia {t}")
        rec("lpse_spse", "e-lpse", f"t{t}", p, region)
    for c in range(500):  # cameras
        rec("cctv_kamera", "e-cctv", f"c{c}", {"id": f"cctv-{c:04d}", "nama_lokasi": f"Simpang {c}",
            "kecamatan": f"Kec {c % 30}", "latitude": -6.2 + rng.random() * 0.4,
            "longitude": 106.0 + rng.random() * 0.7,
            "is_active": c % 7 != 0}, CODES[c % 8])
    categories = ["Infrastruktur", "Kesehatan", "Pendidikan", "Lingkungan", "Sosial", "Perhubungan", "Kependudukan",
                  "Ketertiban", "Air bersih", "Penerangan"]
    for n in range(10_000):  # complaints over a year: open, or closed within the week
        created = NOW - timedelta(days=rng.randint(0, 364), minutes=rng.randint(0, 1440))
        closed = n % 5 < 3
        updated = NOW - timedelta(days=rng.randint(0, 6)) if closed else created + (NOW - created) / 2
        rec("pormas_laporan", "e-pormas", f"l{n}", {"tracking_id": f"LPR-{n:05d}",
            "status": "selesai" if closed else ("diterima" if n % 5 == 3 else "didisposisi"),
            "category": categories[n % 10], "via": "app", "judul": f"Laporan warga nomor {n}",
            "opd_tujuan": f"Dinas {n % 12}", "created_at": created.isoformat(), "updated_at": updated.isoformat()},
            CODES[n % 8], updated)
    for day in range(8):  # prices: 10 commodities x 8 kab/kota x 5 markets, 8 days
        d = (NOW - timedelta(days=7 - day)).date().isoformat()
        for region in CODES:
            for m in range(5):
                for k in range(10):
                    rec("harga_pihps", "e-disikap", f"p{d}{region}{m}{k}", {"commodity_key": f"komoditas_{k}",
                        "commodity": f"Komoditas {k}", "harga": 10_000 + k * 5_000 + rng.randint(-500, 500),
                        "tanggal": d, "pasar": f"Pasar {region}-{m}"}, region)
    for region in CODES:  # bansos
        for prog in ("PKH", "BPNT"):
            for tahap in range(1, 5):
                rec("bansos_tahap", "e-bansos", f"b{region}{prog}{tahap}", {"program": prog, "tahun": 2026,
                    "tahap": tahap, "status": "Sudah Tersalur", "target_kpm": 40_000,
                    "kpm_tersalur": 40_000 - rng.randint(0, 5000), "nominal": 40_000 * 750_000}, region)
    for region in CODES + [PROVINCE_CODE]:  # statistik
        for i in range(10):
            for year in range(2016, 2026):
                rec("bps_webapi", "e-statistik", f"s{region}{i}{year}", {"indikator": f"ind_{i}",
                    "indikator_label": f"Indikator {i}", "satuan": "%", "tahun": year, "nilai": rng.random() * 100},
                    region)
    return out


async def fill(redis_url: str, config) -> None:
    client = connect_async(redis_url, decode_responses=True)
    records = synthetic_records()
    for start in range(0, len(records), 1000):
        async with client.pipeline(transaction=False) as pipe:
            for r in records[start:start + 1000]:
                pipe.xadd(feed_stream(r.feed_id), r.encode())
            await pipe.execute()
    await catch_up(client, FiguresProcessor(config, client), NOW)
    # A year of daily values for every series the processor started today.
    days = [(NOW - timedelta(days=i)).date().isoformat() for i in range(365)]
    for app in SPECS:
        for region in [PROVINCE_CODE] + CODES:
            names = await client.hkeys(app_trend(app, region))
            if names:
                await client.hset(app_trend(app, region), mapping={
                    n: json.dumps({d: round(rng.random() * 100, 2) for d in days}) for n in names})
    await client.aclose()


def views(r, per_level: int) -> dict[str, list[tuple[str, str]]]:
    """Sample URLs per level: province, kab/kota, unit, record, across all seven applications."""
    out: dict[str, list[tuple[str, str]]] = {"provinsi": [], "wilayah": [], "unit": [], "rekaman": []}
    for app in SPECS:
        regions = [c for c in r.hkeys(app_regions(app)) if c != PROVINCE_CODE] or [PROVINCE_CODE]
        for _ in range(per_level):
            region = rng.choice(regions)
            units = r.hkeys(app_units(app, region)) or ["-"]
            unit = rng.choice(units)
            keys = r.hkeys(app_records(app, region, unit)) or ["-"]
            q = {"wilayah": region, "unit": unit, "rekaman": rng.choice(keys)}

            out["provinsi"].append((app, ""))
            out["wilayah"].append((app, "?" + urlencode({"wilayah": region})))
            out["unit"].append((app, "?" + urlencode({"wilayah": region, "unit": unit})))
            out["rekaman"].append((app, "?" + urlencode(q)))
    return out


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main() -> None:
    per_level = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    config = load_config(ROOT / "config.yaml")
    geojson = config.dashboard.geojson
    folder = Path(tempfile.mkdtemp())
    config = with_test_users(config, write_test_users(folder / "users.yaml"))  # the pages need an analyst
    server = EmbeddedRedis(folder)
    server.start()
    try:
        t0 = time.perf_counter()
        asyncio.run(fill(server.url, config))
        r = connect(server.url, decode_responses=True)
        info = r.info("memory")
        print(f"data: {r.dbsize()} keys, {info['used_memory_human']} in Redis, filled in "
              f"{time.perf_counter() - t0:.1f} s (map: {'polygons' if geojson else 'seats'})")
        app = create_app(config, server.url)
        output = next(k for k in app.callback_map if k.startswith("..app-page.data-level"))
        outputs = [{"id": o.component_id, "property": o.component_property} for o in OUTPUTS]
        samples = views(r, per_level)
        with serve(app) as base:
            host, port = base.split("//")[1].split(":")
            conn = http.client.HTTPConnection(host, int(port))
            headers = {"Content-Type": "application/json", "Cookie": f"{SESSION_COOKIE}={login(base, 'analyst')}"}

            def call(app_id: str, search: str) -> tuple[float, int]:
                body = json.dumps({"output": output, "outputs": outputs, "changedPropIds": ["app-loc.search"],
                                   "inputs": [{"id": "app-loc", "property": "pathname", "value": f"/app/{app_id}"},
                                              {"id": "app-loc", "property": "search", "value": search}],
                                   "state": []})
                start = time.perf_counter()
                conn.request("POST", "/_dash-update-component", body, headers)
                resp = conn.getresponse()
                data = resp.read()
                elapsed = (time.perf_counter() - start) * 1000
                if resp.status != 200:
                    raise RuntimeError(f"{resp.status}: {data[:300]!r}")
                return elapsed, len(data)

            for app_id in SPECS:  # warm up
                call(app_id, "")
            everything: list[float] = []
            print(f"{'level':10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'resp KB p95':>12}")
            for level, items in samples.items():
                times, sizes = [], []
                for app_id, search in items:
                    ms, size = call(app_id, search)
                    times.append(ms)
                    sizes.append(size)
                everything += times
                print(f"{level:10} {len(times):>5} {statistics.median(times):>8.1f} {pct(times, 95):>8.1f} "
                      f"{max(times):>8.1f} {pct(sizes, 95) / 1024:>12.1f}")
            per_app: dict[str, list[float]] = {}
            for items in samples.values():
                for app_id, search in items[: len(items)]:
                    per_app.setdefault(app_id, []).append(call(app_id, search)[0])
            for app_id, times in per_app.items():
                print(f"  {app_id:12} p50 {statistics.median(times):6.1f} ms  p95 {pct(times, 95):6.1f} ms")
            print(f"ALL        {len(everything):>5} {statistics.median(everything):>8.1f} {pct(everything, 95):>8.1f} "
                  f"{max(everything):>8.1f}   target p95 < 150 ms")
            conn.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
