"""The governor's figures: trend against yesterday and last week, the alerts, the map status, freshness.

The comparison is what a governor reads on the screen ("▲ 5,0 poin dari kemarin"), so the tests
assert the words and numbers; the data comes from the real figures processor (app_seed) plus a
daily history written as the derive processor writes it (ingest/derive/trend.py).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.alerts import Alert
from core.health import FeedHealth
from core.streams import active_alerts, utc_now
from dashboard.figures import province_summary as ps
from dashboard.tiles.map import BAD, GOOD, load_geometry
from tests.support.app_seed import seed_with_history

pytestmark = pytest.mark.usefixtures("payload_day")  # seeds the saved payloads

TODAY = date(2026, 11, 28)


def day(n: int) -> str:
    """The WIB day `n` days before TODAY."""
    return (TODAY - timedelta(days=n)).isoformat()


def test_the_value_of_a_day_is_the_last_point_on_or_before_it():
    series = {day(9): 70.0, day(3): 75.0, day(0): 80.0}
    assert ps.value_on(series, TODAY - timedelta(days=1)) == 75.0  # no point yesterday: the day before holds
    assert ps.value_on(series, TODAY - timedelta(days=7)) == 70.0
    assert ps.value_on(series, TODAY - timedelta(days=10)) is None  # before the history starts
    assert ps.value_on({}, TODAY) is None and ps.value_on(None, TODAY) is None


def test_change_against_yesterday_and_last_week_in_indonesian():
    occupancy = {day(7): 84.0, day(1): 75.0, day(0): 80.0}
    yesterday = ps.change(occupancy, 80.0, TODAY, 1)
    week = ps.change(occupancy, 80.0, TODAY, 7)
    assert (yesterday.base, yesterday.delta) == (75.0, 5.0)
    # A share moves by percentage points, not by a % of itself.
    assert ps.change_text(yesterday, "percent", "id") == "▲ 5,0 poin dari kemarin"
    assert ps.change_text(week, "percent", "id") == "▼ 4,0 poin dari minggu lalu"
    assert ps.change_text(yesterday, "percent", "en") == "▲ 5.0 pts since yesterday"
    complaints = ps.change({day(1): 5, day(0): 4}, 4.0, TODAY, 1)
    assert complaints.relative_pct == pytest.approx(-20.0)
    assert ps.change_text(complaints, "count", "id") == "▼ 20,0 % dari kemarin"
    rice = ps.change({day(1): 13_000.0}, 13_416.0, TODAY, 1)
    assert ps.change_text(rice, "rupiah", "id") == "▲ 3,2 % dari kemarin"
    tiny = ps.change({day(1): 13_300.0}, 13_305.0, TODAY, 1)  # 0,038 %: a real change never reads 0,0
    assert ps.change_text(tiny, "rupiah", "id") == "▲ 0,04 % dari kemarin"


def test_missing_history_says_so_instead_of_a_number():
    only_today = {day(0): 80.0}
    for days in (1, 7):
        c = ps.change(only_today, 80.0, TODAY, days)
        assert not c.comparable and c.delta is None
        assert ps.change_text(c, "percent", "id") == "belum ada pembanding"
        assert ps.change_tone(c, "up_bad") == "none"
    assert ps.change_text(ps.change(None, 4.0, TODAY, 1), "count", "en") == "no comparison yet"
    assert ps.change_text(ps.change({day(1): 4.0}, None, TODAY, 1), "count", "id") == "belum ada pembanding"


def test_no_change_and_a_change_from_zero():
    same = ps.change({day(1): 4.0}, 4.0, TODAY, 1)
    assert ps.change_text(same, "count", "id") == "= sama dengan kemarin"
    assert ps.change_tone(same, "up_bad") == "flat"
    from_zero = ps.change({day(7): 0.0}, 3.0, TODAY, 7)
    assert from_zero.relative_pct is None
    assert ps.change_text(from_zero, "count", "id") == "▲ 3 dari minggu lalu"  # the change itself, no ratio


def test_which_way_is_good_news():
    up = ps.change({day(1): 70.0}, 80.0, TODAY, 1)
    down = ps.change({day(1): 90.0}, 80.0, TODAY, 1)
    assert ps.change_tone(up, "up_bad") == "bad" and ps.change_tone(down, "up_bad") == "good"
    assert ps.change_tone(up, "up_good") == "good" and ps.change_tone(down, "up_good") == "bad"
    assert ps.change_tone(up, "neutral") == "neutral"


def test_the_seven_headlines_from_the_derived_state(redis_url, r):
    today = seed_with_history(redis_url, r)
    data = ps.read(r)
    figures = {app: ps.app_figure(data, app, today) for app in ps.HEADLINES}
    shown = {app: (f.label("id"), f.value_text("id")) for app, f in figures.items()}
    assert shown == {
        "e-bansos": ("Progres penyaluran", "45,5 %"),
        "e-pormas": ("Pengaduan terbuka", "4"),
        "e-cctv": ("Kamera aktif", "2"),
        "e-statistik": ("Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota", "5,70 %"),
        "e-yankes": ("Keterisian tempat tidur", "80,0 %"),
        "e-lpse": ("HPS tender aktif", "Rp 1,2 M"),
        "e-disikap": ("Harga Beras Medium", "Rp 13.300"),
    }
    assert figures["e-yankes"].change_text("yesterday", "id") == "▲ 5,0 poin dari kemarin"
    assert figures["e-yankes"].change_text("last_week", "id") == "▼ 4,0 poin dari minggu lalu"
    assert figures["e-yankes"].tone("yesterday") == "bad"  # fuller hospitals are bad news
    assert figures["e-pormas"].change_text("yesterday", "id") == "▼ 20,0 % dari kemarin"
    assert figures["e-pormas"].tone("yesterday") == "good"
    assert figures["e-pormas"].change_text("last_week", "id") == "belum ada pembanding"
    assert figures["e-bansos"].change_text("yesterday", "id") == "belum ada pembanding"  # only today's point
    assert figures["e-yankes"].detail("id") == "4 dari 5 tempat tidur terisi"
    assert figures["e-bansos"].detail("id") == "21.000 dari 46.200 KPM tersalur"


def test_a_kab_kota_has_its_own_headline_and_no_comparison_from_the_province(redis_url, r):
    today = seed_with_history(redis_url, r)
    data = ps.read(r, "3673")
    serang = ps.app_figure(data, "e-yankes", today)
    assert serang.value_text("id") == "80,0 %"  # Kota Serang's own figure
    # The province's history is not Kota Serang's own.
    assert serang.change_text("yesterday", "id") == "belum ada pembanding"
    assert ps.app_figure(data, "e-bansos", today).pick is None  # no e-Bansos figures for Kota Serang


def test_alerts_most_serious_first_each_linked_to_where_it_is(redis_url, r):
    seed_with_history(redis_url, r)
    beds = Alert("bed_occupancy:3673011", "bed_occupancy", "critical",
                 "Keterisian tempat tidur RSUD Banten di Kota Serang 95 %, di atas ambang 90 %", "e-yankes",
                 "3673", "3673011")
    r.hset(active_alerts(), beds.alert_id, beds.encode())
    alerts = ps.read(r).alerts
    assert alerts[0] == beds
    assert [a.severity for a in alerts] == ["critical", "warning", "warning", "warning"]
    assert ps.alert_href(beds) == "/app/e-yankes?wilayah=3673&unit=3673011"
    price = next(a for a in alerts if a.source == "e-disikap")
    assert price.message == ("Harga cabai rawit merah di Kota Tangerang Rp 64.250/kg, 12,7 % di atas harga "
                             "acuan Rp 57.000/kg")
    assert ps.alert_href(price, "en") == "/app/e-disikap?wilayah=3671&unit=panel-bapanas&lang=en"


def test_the_map_colours_each_kab_kota_by_its_alerts_and_a_tap_opens_the_worst(config, redis_url, r):
    seed_with_history(redis_url, r)
    beds = Alert("bed_occupancy:3673011", "bed_occupancy", "critical", "RSUD Banten penuh", "e-yankes",
                 "3673", "3673011")
    r.hset(active_alerts(), beds.alert_id, beds.encode())
    data = ps.read(r)
    geometry = load_geometry(config)
    paint = ps.status_paint(geometry, data, "id")
    colors = dict(zip(geometry.codes, paint.colors))
    labels = dict(zip(geometry.codes, paint.labels))
    red = "#" + "".join(f"{c:02x}" for c in BAD)
    green = "#" + "".join(f"{c:02x}" for c in GOOD)
    assert colors["3673"] == red  # a critical alert and two warnings
    assert colors["3601"] == green and labels["3601"] == "<b>Pandeglang</b>"
    assert colors["3671"] not in (red, green)  # one warning: between
    assert labels["3673"] == "<b>Kota Serang</b><br>3 peringatan"
    assert ps.region_app("3673", data) == "e-yankes"  # the most serious alert there
    assert ps.region_app("3671", data) == "e-disikap"
    assert ps.region_app("3602", data) == "e-lpse"  # no alert: the first application with figures there
    assert ps.app_href("e-lpse", "id", "3602") == "/app/e-lpse?wilayah=3602"


def test_freshness_from_the_newest_record_and_the_feeds_last_success(config):
    now = utc_now()
    hour_old = now - timedelta(hours=1)
    stale = ps.app_freshness("e-yankes", hour_old, {}, config, now)
    assert stale.stale and stale.age_s == pytest.approx(3600, abs=1)  # past the feeds' 2 min
    polled = {"yankes_ruang": FeedHealth("yankes_ruang", state="ok",
                                         last_success=now - timedelta(seconds=30))}
    fresh = ps.app_freshness("e-yankes", hour_old, polled, config, now)
    # The feed answered half a minute ago: the data is current, however old its newest record.
    assert not fresh.stale and fresh.age_s == pytest.approx(30, abs=1)
    assert ps.app_freshness("e-yankes", now, {}, config, now, redis_ok=False).stale
    assert ps.app_freshness("e-yankes", None, {}, config, now).stale
