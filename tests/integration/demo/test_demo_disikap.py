"""e-disikap: today's Bapanas panel per kab/kota and commodity, and the PIHPS grid with string prices."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta

from core.clock import wib_now
from core.regions import KABKOTA
from ingest.demo.clock import service_rng
from ingest.demo.disikap import COMMODITIES, Disikap, price_status

COMMODITY_IDS = {"beras_medium", "beras_premium", "daging_ayam", "telur_ayam", "bawang_merah", "bawang_putih",
                 "cabai_merah_besar", "cabai_rawit_merah", "minyak_goreng", "gula_pasir"}


async def test_panel_has_one_row_per_kabkota_and_commodity_for_today(demo):
    rows = (await demo.json("e-disikap", "/api/panel-harga", province_id="36"))["data"]
    pairs = {(k, c) for k in KABKOTA for c in COMMODITY_IDS}
    assert {(r["city_id"], r["commodity_id"]) for r in rows} == pairs
    assert {r["date"] for r in rows} == {wib_now().date().isoformat()}
    for row in rows:
        assert row["province_id"] == "36" and row["commodity_name"]
        judged = price_status(row["rata_rata_geometrik"], row["hpp_hap"])
        assert (row["hpp_hap_percentage"], row["status"]) == judged
        # Bapanas's panel colours: green when safe, amber on watch, red when the price needs intervention.
        assert row["map_color"] == {"aman": "#2e7d32", "waspada": "#f9a825", "intervensi": "#c62828"}[row["status"]]
    price = {(r["city_id"], r["commodity_id"]): r["rata_rata_geometrik"] for r in rows}
    assert all(12_500 <= price[(k, "beras_medium")] <= 14_500 for k in KABKOTA)
    assert all(40_000 <= price[(k, "cabai_rawit_merah")] <= 85_000 for k in KABKOTA)
    assert (await demo.json("e-disikap", "/api/panel-harga", province_id="32"))["data"] == []


async def test_prices_are_requoted_while_serving(demo):
    first = {(r["city_id"], r["commodity_id"]): r for r in
             (await demo.json("e-disikap", "/api/panel-harga", province_id="36"))["data"]}
    changed: list[dict] = []

    async def requoted() -> bool:
        rows = (await demo.json("e-disikap", "/api/panel-harga", province_id="36"))["data"]
        assert all(r["date"] == first[(r["city_id"], r["commodity_id"])]["date"] for r in rows)
        changed[:] = [r for r in rows if r["rata_rata_geometrik"] !=
                      first[(r["city_id"], r["commodity_id"])]["rata_rata_geometrik"]]
        return bool(changed)

    # At speed x100 a few quotes change every 0.45-0.9 s.
    for _ in range(30):
        if await requoted():
            break
        await asyncio.sleep(0.1)
    assert changed


async def test_pihps_grid_has_string_prices_with_comma_separators(demo):
    end = wib_now().date() - timedelta(days=1)
    start = end - timedelta(days=13)
    body = await demo.json("e-disikap", "/pihps/grid", price_type_id="1", province_id="36", regency_id="3673",
                           start_date=start.isoformat(), end_date=end.isoformat())
    rows = body["data"]
    assert [r["no"] for r in rows] == list(range(1, len(rows) + 1)) and rows[0]["name"] == "Beras Medium I"
    days = [(start + timedelta(days=i)) for i in range(14)]
    for row in rows:
        assert set(row) == {"no", "name", "level"} | {d.strftime("%d/%m/%Y") for d in days}
        for day in days:
            value = row[day.strftime("%d/%m/%Y")]
            if day.weekday() >= 5:
                assert value == "-"
            else:
                assert re.fullmatch(r"\d{1,3}(,\d{3})+", value), value
    rice = [int(v.replace(",", "")) for k, v in rows[0].items() if "/" in k and v != "-"]
    assert all(12_000 <= p <= 15_000 for p in rice)
    assert (await demo.get("e-disikap", "/pihps/grid", price_type_id="9")).status == 400
    assert (await demo.get("e-disikap", "/pihps/grid", regency_id="3201")).status == 400


def test_chilli_swings_and_rice_holds_over_a_year(clock):
    disikap = Disikap(clock, service_rng("e-disikap"))
    by_id = {c.id: c for c in COMMODITIES}
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(330)]
    chilli = [disikap.daily_price("3673", by_id["cabai_rawit_merah"], d) for d in days]
    rice = [disikap.daily_price("3673", by_id["beras_medium"], d) for d in days]
    assert 40_000 <= min(chilli) and max(chilli) <= 85_000 and max(chilli) - min(chilli) > 20_000
    assert 12_800 <= min(rice) and max(rice) <= 13_900


def test_requote_changes_a_few_of_todays_prices(clock):
    disikap = Disikap(clock, service_rng("e-disikap"))
    before = {(r["city_id"], r["commodity_id"]): r["rata_rata_geometrik"] for r in disikap.panel()}
    disikap.requote()
    after = {(r["city_id"], r["commodity_id"]): r["rata_rata_geometrik"] for r in disikap.panel()}
    assert 2 <= sum(before[k] != after[k] for k in before) <= 4
