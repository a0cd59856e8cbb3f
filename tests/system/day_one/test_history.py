"""The demo's past on the whole system: `run.py all` on an empty store replays 61 days through the real
feeds, webhook and derive, then the screens have trends, comparisons and a price week to read.

Nothing is seeded: the records come from the simulated agencies over HTTP, and every figure checked
here is counted again from the feed streams, day by day, as it stood at the end of that WIB day.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from statistics import mean

from core.clock import WIB, wib_today
from core.complaints import DONE
from core.config import APPLICATIONS
from core.streams import DEMO_HISTORY, Record, app_trend, feed_stream
from tests.support.system import DAY_ONE_DAYS as DAYS
from tests.support.system import wait_until_governor_filled


def records(r, feed_id: str) -> list[Record]:
    """Every record of a feed's stream, in stream order."""
    return [Record.decode(fields) for _, fields in r.xrange(feed_stream(feed_id))]


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=WIB)


def as_of(rows: list[Record], day: date, key) -> dict:
    """The latest record of each entity among those whose event time falls on or before `day` (WIB)."""
    latest: dict = {}
    for record in rows:
        if record.event_time <= end_of(day):
            k = key(record.payload)
            if k not in latest or latest[k].event_time <= record.event_time:
                latest[k] = record
    return latest


def test_the_history_went_through_the_streams_and_every_trend_has_sixty_days(system, r):
    marker = r.hgetall(DEMO_HISTORY)
    assert int(marker["days"]) == DAYS and int(marker["records"]) > 10_000
    first = min(rec.event_time for rec in records(r, "yankes_tempat_tidur"))
    assert first.astimezone(WIB).date() <= wib_today() - timedelta(days=60)
    short = {}
    for key in r.scan_iter(app_trend("*", "*")):
        for name, series in r.hgetall(key).items():
            if len(json.loads(series)) < 60:
                short[f"{key} {name}"] = len(json.loads(series))
    assert short == {}
    for app in APPLICATIONS:
        assert r.hlen(app_trend(app, "36")), app


def test_each_day_of_the_trend_is_the_recount_of_the_streams_at_the_end_of_that_day(r):
    """Beds, open complaints, cameras and bansos progress, each day as it stood at that day's end."""
    beds = records(r, "yankes_tempat_tidur")
    complaints = records(r, "lapor_banten")
    cameras = records(r, "cctv_kamera")
    payouts = records(r, "bansos_tahap")
    occupancy = json.loads(r.hget(app_trend("e-yankes", "36"), "keterisian_pct"))
    open_complaints = json.loads(r.hget(app_trend("e-pormas", "36"), "open"))
    active_cameras = json.loads(r.hget(app_trend("e-cctv", "36"), "aktif"))
    progress = json.loads(r.hget(app_trend("e-bansos", "36"), "progress_pct"))
    # Every past day, a week apart and the last few (today is still moving).
    days = sorted({wib_today() - timedelta(days=n) for n in (*range(1, 60, 7), 1, 2, 3)})
    for day in days:
        wards = as_of(beds, day, lambda p: (p["kode_rs"], p["kode_ruang"])).values()
        pct = round(sum(w.payload["terisi"] for w in wards) / sum(w.payload["kapasitas"] for w in wards) * 100, 1)
        assert occupancy[day.isoformat()] == pct, day
        states = as_of(complaints, day, lambda p: p["tracking_id"]).values()
        assert open_complaints[day.isoformat()] == sum(1 for c in states if c.payload["status"] not in DONE), day
        checks = as_of(cameras, day, lambda p: p["id"]).values()
        assert active_cameras[day.isoformat()] == sum(1 for c in checks if c.payload["is_active"] is True), day
        # Bansos: each kab/kota's programme counts with its newest tahap.
        newest: dict = {}
        for row in as_of(payouts, day, lambda p: (p["kode_kab"], p["program"], p["tahun"], p["tahap"])).values():
            key, stage = (row.payload["kode_kab"], row.payload["program"]), (row.payload["tahun"], row.payload["tahap"])
            if key not in newest or newest[key][0] < stage:
                newest[key] = (stage, row.payload)
        paid = sum(p["kpm_tersalur"] for _, p in newest.values())
        target = sum(p["target_kpm"] for _, p in newest.values())
        assert progress[day.isoformat()] == round(paid / target * 100, 1), day


def test_the_governor_compares_every_figure_with_yesterday_and_last_week(system, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(f"{system.dashboard}/screen/governor")
        wait_until_governor_filled(page, 60_000)
        for app in APPLICATIONS:
            for which, words in (("day", "kemarin"), ("week", "minggu lalu")):
                text = page.locator(f"#gov-app-{app}-{which}").inner_text()
                assert re.match(rf"^(▲|▼) \d+(\.\d+)*,\d+ (%|poin) dari {words}$|^= sama dengan {words}$",
                                text), (app, which, text)
    finally:
        page.close()


def test_the_price_history_of_e_disikap_shows_its_weekly_pattern(system, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(f"{system.dashboard}/app/e-disikap")
        page.wait_for_function("""() => {
            const g = document.querySelector('#app-trend .js-plotly-plot');
            return g && g.data && g.data.length && g.data[0].x.length > 1;
        }""", timeout=60_000)
        page.locator("#app-trend").screenshot(path=str(tmp_path / "e-disikap-trend.png"))
        lines = page.evaluate("""() => document.querySelector('#app-trend .js-plotly-plot').data
            .map(t => ({name: t.name, x: t.x, y: t.y}))""")
    finally:
        page.close()
    assert (tmp_path / "e-disikap-trend.png").stat().st_size > 10_000
    assert all(len(line["x"]) >= 60 for line in lines), [(line["name"], len(line["x"])) for line in lines]
    shallot = next(line for line in lines if line["name"] == "Harga bawang_merah")
    # Each day against its centred week: the weekend market is dearer than midweek, week after week.
    by_weekday = defaultdict(list)
    for i in range(3, len(shallot["y"]) - 3):
        week = mean(shallot["y"][i - 3:i + 4])
        by_weekday[date.fromisoformat(shallot["x"][i][:10]).weekday()].append(shallot["y"][i] / week - 1)
    weekend = mean(by_weekday[5] + by_weekday[6])
    midweek = mean(by_weekday[1] + by_weekday[2] + by_weekday[3])
    assert weekend - midweek > 0.03, (weekend, midweek)
