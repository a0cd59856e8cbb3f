"""The analysts' comparison from seeded trend hashes: the numbers, the table, the URL and the exports' content."""

from __future__ import annotations

import csv
import io
import json

from core.streams import app_regions
from dashboard.analyst.analysis import as_number, checked_rows, compare, measure_choices, table_columns, table_rows
from dashboard.analyst.page import OUTPUTS, View, csv_text, excel_bytes, parse_view, render
from tests.support.analyst_seed import add_days

DAYS = [f"2026-11-{d}" for d in range(22, 29)]  # a week of WIB days, 22 to 28 November


def seed_beds(r) -> None:
    """Bed occupancy (%) and occupied beds in Kota Tangerang and Kota Serang over a week; the province today."""
    add_days(r, "e-yankes", "3671", "keterisian_pct", dict(zip(DAYS, (62.5, 64.0, 66.7, 70.0, 71.4, 75.0, 77.8))))
    add_days(r, "e-yankes", "3673", "keterisian_pct", dict(zip(DAYS, (85.0, 83.3, 81.25, 80.0, 78.6, 79.0, 80.0))))
    add_days(r, "e-yankes", "3673", "terisi", dict(zip(DAYS, (1190, 1205, 1210, 1250, 1240, 1260, 1275))))
    add_days(r, "e-yankes", "36", "keterisian_pct", {DAYS[-1]: 76.0})


class Counting:
    """A Redis client that counts round trips: every pipeline's execute, and every direct command."""

    def __init__(self, client):
        self.client, self.trips, self.commands = client, 0, 0

    def pipeline(self, transaction=True):
        outer, pipe = self, self.client.pipeline(transaction=transaction)
        execute = pipe.execute

        def counted():
            outer.trips += 1
            outer.commands += len(pipe.command_stack)
            return execute()

        pipe.execute = counted
        return pipe

    def __getattr__(self, name):
        self.trips += 1
        return getattr(self.client, name)


def test_two_regions_over_a_range(r):
    seed_beds(r)
    counting = Counting(r)
    c = compare(counting, "e-yankes", "keterisian_pct", ["3673", "3671"], "2026-11-24", "2026-11-27")
    assert counting.trips == 1 and counting.commands == 3  # one field per region, plus the province's names
    assert c.regions == ("3671", "3673")  # the page's order, whatever order they were picked in
    assert c.days == ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]
    assert [c.value("3671", d) for d in c.days] == [66.7, 70.0, 71.4, 75.0]
    assert [c.value("3673", d) for d in c.days] == [81.25, 80.0, 78.6, 79.0]
    assert c.first("3671") == ("2026-11-24", 66.7) and c.last("3671") == ("2026-11-27", 75.0)
    assert round(c.change("3671"), 2) == 8.3 and round(c.change("3673"), 2) == -2.25
    assert (c.measure.key, c.measure.name.id, c.measure.name.en, c.measure.kind) == (
        "keterisian_pct", "Keterisian tempat tidur", "Bed occupancy", "percent")
    assert [(col.field, col.header) for col in table_columns(c.regions, c.measure, "id")] == [
        ("tanggal", "Tanggal"), ("w3671", "Kota Tangerang"), ("w3673", "Kota Serang")]
    assert table_rows(c)[0] == {"_id": "2026-11-24", "tanggal": "2026-11-24", "w3671": 66.7, "w3673": 81.25}


def test_open_ranges_missing_regions_and_reversed_days(r):
    seed_beds(r)
    everything = compare(r, "e-yankes", "keterisian_pct", ["3671", "36", "3601"])
    assert everything.days == DAYS
    assert everything.series["36"] == {"2026-11-28": 76.0}
    assert everything.change("36") is None  # one day: no change to speak of
    assert everything.last("3601") is None and everything.value("3601", DAYS[0]) is None  # no figures there
    since = compare(r, "e-yankes", "keterisian_pct", ["3673"], start="2026-11-27")
    assert since.series["3673"] == {"2026-11-27": 79.0, "2026-11-28": 80.0}
    swapped = compare(r, "e-yankes", "keterisian_pct", ["3673"], "2026-11-23", "2026-11-22")
    assert (swapped.start, swapped.end, swapped.days) == ("2026-11-22", "2026-11-23", DAYS[:2])
    later = compare(r, "e-yankes", "keterisian_pct", ["3673"], "2026-12-01", "2026-12-31")
    assert later.empty and table_rows(later) == []
    counts = compare(r, "e-yankes", "terisi", ["3673"], "2026-11-25", "2026-11-25")
    assert counts.series == {"3673": {"2026-11-25": 1250.0}} and counts.measure.kind == "count"


def test_measures_offered_and_the_default(r):
    seed_beds(r)
    choices = measure_choices(r, "e-yankes", ["3673"])
    assert [(m.key, m.kind) for m in choices] == [("keterisian_pct", "percent"), ("terisi", "count")]
    # Prices per commodity: named after the commodity as the province's figures call it.
    r.hset(app_regions("e-disikap"), "36", json.dumps({"commodities": {"beras_medium": {"name": "Beras Medium"}}}))
    add_days(r, "e-disikap", "36", "harga:beras_medium", {DAYS[-1]: 13300.0})
    add_days(r, "e-disikap", "3671", "harga:cabai_rawit_merah", {DAYS[-1]: 64250.0})
    labels = [(m.key, m.name("id"), m.name("en"), m.kind) for m in measure_choices(r, "e-disikap", ["3671"])]
    assert labels == [("harga:beras_medium", "Harga Beras Medium", "Price Beras Medium", "rupiah"),
                      ("harga:cabai_rawit_merah", "Harga cabai_rawit_merah", "Price cabai_rawit_merah", "rupiah")]
    assert measure_choices(r, "e-nothing") == []
    # No measure named (or one the application does not offer): its first one.
    assert compare(r, "e-yankes", None, ["3673"]).measure.key == "keterisian_pct"
    assert compare(r, "e-yankes", "nominal", ["3673"]).measure.key == "keterisian_pct"
    assert compare(r, "e-pormas", None, ["3673"]).measure is None  # nothing kept yet


def test_view_round_trips_through_the_url():
    view = parse_view("?app=e-yankes&ukuran=keterisian_pct&wilayah=3673,3671,9999&dari=2026-11-27"
                      "&sampai=2026-11-22&grafik=batang&lang=en")
    assert view == View("e-yankes", "keterisian_pct", ("3671", "3673"), "2026-11-22", "2026-11-27", "batang", "en")
    assert view.search() == ("?app=e-yankes&ukuran=keterisian_pct&wilayah=3671,3673&dari=2026-11-22"
                             "&sampai=2026-11-27&grafik=batang&lang=en")
    assert parse_view(view.search()) == view
    fresh = parse_view("")
    assert fresh.regions == ("3601", "3602", "3603", "3604", "3671", "3672", "3673", "3674") and fresh.lang == "id"
    assert parse_view("?wilayah=").regions == ()  # cleared on purpose, kept cleared
    assert parse_view("?app=<script>&grafik=pie&dari=kemarin").app == fresh.app
    assert parse_view("?measure=terisi&chart=batang").measure == "terisi"  # the English names work too


def props(r, search: str) -> dict:
    names = [f"{o.component_id}.{o.component_property}" for o in OUTPUTS]
    return dict(zip(names, render(r, parse_view(search))[0]))


def test_page_shows_regions_side_by_side_the_indonesian_way(r):
    seed_beds(r)
    shown = props(r, "?app=e-yankes&wilayah=3673,3671&dari=2026-11-24&sampai=2026-11-27")
    assert shown["ana-loc.search"] == ("?app=e-yankes&ukuran=keterisian_pct&wilayah=3671,3673"
                                       "&dari=2026-11-24&sampai=2026-11-27")
    cards = [[shown[f"ana-card-{part}-{i}.children"] for part in ("name", "value", "when", "change")]
             for i in range(2)]
    assert cards == [["Kota Tangerang", "75,0 %", "per 27 Nov 2026", "+8,30 poin sejak 24 Nov 2026"],
                     ["Kota Serang", "79,0 %", "per 27 Nov 2026", "-2,25 poin sejak 24 Nov 2026"]]
    assert shown["ana-card-2.className"] == "ana-card is-empty"
    bars = shown["ana-bars.figure"]["data"]
    assert [t["name"] for t in bars] == ["Awal rentang", "Akhir rentang"]
    assert bars[1]["x"] == ["Kota Tangerang", "Kota Serang"] and bars[1]["text"] == ["75,0 %", "79,0 %"]
    trend = shown["ana-trend.figure"]["data"]
    assert [(t["name"], t["type"], t["y"]) for t in trend] == [
        ("Kota Tangerang", "scatter", [66.7, 70.0, 71.4, 75.0]), ("Kota Serang", "scatter", [81.25, 80.0, 78.6, 79.0])]
    assert shown["ana-table-count.children"] == "4 hari"
    assert shown["ana-bars-title.children"] == "Keterisian tempat tidur: awal dan akhir rentang"

    english = props(r, "?app=e-yankes&ukuran=terisi&wilayah=3673&grafik=batang&lang=en")
    assert english["ana-card-value-0.children"] == "1,275"
    assert english["ana-card-change-0.children"] == "+85 since 22 Nov 2026"
    assert english["ana-trend.figure"]["data"][0]["type"] == "bar"
    assert english["ana-grid.columnDefs"][1]["headerName"] == "Kota Serang"
    assert english["ana-grid.columnDefs"][0]["headerName"] == "Date"

    assert props(r, "?app=e-yankes&wilayah=")["ana-message.children"] == \
        "Pilih satu wilayah atau lebih untuk dibandingkan."
    assert props(r, "?app=e-yankes&wilayah=3673&dari=2027-01-01")["ana-message.children"] == \
        "Belum ada data untuk pilihan ini."


def test_exports_write_the_rows_shown_as_numbers(r):
    seed_beds(r)
    c = compare(r, "e-yankes", "terisi", ["3671", "3673"], "2026-11-27", "2026-11-28")
    columns = table_columns(c.regions, c.measure, "id")
    # What the page sends back, with what a tampered page might add: only days and numbers survive.
    sent = table_rows(c) + [{"tanggal": "<b>x</b>", "w3673": 1}, {"tanggal": "2026-11-28", "w3673": "=HYPERLINK()"}]
    rows = checked_rows(sent, columns)
    assert rows == [["2026-11-27", None, 1260], ["2026-11-28", None, 1275], ["2026-11-28", None, None]]
    text = csv_text([col.header for col in columns], rows[:2])
    assert list(csv.reader(io.StringIO(text))) == [["Tanggal", "Kota Tangerang", "Kota Serang"],
                                                   ["2026-11-27", "", "1260"], ["2026-11-28", "", "1275"]]
    assert as_number(80.5) == 80.5 and as_number(4.0) == 4 and as_number(True) is None

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(excel_bytes([col.header for col in columns], [col.kind for col in columns],
                                                rows[:2], "Tempat tidur terisi")))
    values = list(book.active.values)
    assert book.active.title == "Tempat tidur terisi"
    assert values[0] == ("Tanggal", "Kota Tangerang", "Kota Serang")
    assert values[1][0].date().isoformat() == "2026-11-27" and values[1][2] == 1260 and values[2][2] == 1275
    assert book.active["C2"].number_format == "#,##0"
