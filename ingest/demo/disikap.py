"""e-disikap: food prices per kab/kota, as Bapanas's price panel and Bank Indonesia's PIHPS grid give them.

Each commodity follows a province-wide daily price index (a mean-reverting random walk with the
odd spike, so chilli swings and rice barely moves), dearer at the weekend market and in the run-up
to a feast (calendar.py); each kab/kota adds its own level and daily noise. During the day a few of today's quotes are
revised, as markets report in, so the panel
changes while the demo runs.
"""

from __future__ import annotations

import asyncio
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from aiohttp import web

from core.regions import KABKOTA, PROVINCE_CODE
from ingest.demo.calendar import WEEKLY_PRICE, feast_run_up
from ingest.demo.clock import DemoClock
from ingest.demo.service import bad_request, repeat


@dataclass(frozen=True)
class Commodity:
    id: str
    name: str
    base: float  # usual Banten price, Rp/kg (Rp/litre for cooking oil)
    reference: float  # HET (ceiling) or HAP (reference) price the status is judged against
    volatility: float  # standard deviation of the daily log change
    low: float
    high: float
    pihps: tuple[str, str] | None = None  # (PIHPS commodity id, PIHPS name)

    @property
    def staple(self) -> bool:
        """Rice, oil and sugar: prices that barely move and differ little between places."""
        return self.volatility < 0.005

    @property
    def seasonal(self) -> float:
        """How much of the weekly and feast swings this commodity feels: produce all, staples a little."""
        return 0.15 if self.staple else min(1.0, self.volatility / 0.025)


def _commodity(id, name, base, reference, volatility, pihps=None, low=None, high=None) -> Commodity:
    return Commodity(id, name, base, reference, volatility, low or base * 0.7, high or base * 1.4, pihps)


COMMODITIES = (
    _commodity("beras_medium", "Beras Medium", 13_300, 13_500, 0.003, ("com_3", "Beras Medium I")),
    _commodity("beras_premium", "Beras Premium", 15_100, 14_900, 0.003),
    _commodity("daging_ayam", "Daging Ayam Ras", 35_500, 40_000, 0.012, ("com_7", "Daging Ayam Ras Segar")),
    _commodity("telur_ayam", "Telur Ayam Ras", 30_300, 30_000, 0.010, ("com_10", "Telur Ayam Ras Segar")),
    _commodity("bawang_merah", "Bawang Merah", 33_000, 41_500, 0.025,
               ("com_11", "Bawang Merah Ukuran Sedang")),
    _commodity("bawang_putih", "Bawang Putih Bonggol", 45_000, 40_000, 0.012,
               ("com_12", "Bawang Putih Ukuran Sedang")),
    _commodity("cabai_merah_besar", "Cabai Merah Besar", 35_000, 55_000, 0.035,
               ("com_13", "Cabai Merah Besar")),
    _commodity("cabai_rawit_merah", "Cabai Rawit Merah", 60_000, 57_000, 0.045,
               ("com_16", "Cabai Rawit Merah"), low=40_000, high=85_000),
    _commodity("minyak_goreng", "Minyak Goreng Kemasan Sederhana", 17_200, 15_700, 0.003,
               ("com_18", "Minyak Goreng Curah")),
    _commodity("gula_pasir", "Gula Konsumsi", 19_750, 18_000, 0.003, ("com_21", "Gula Pasir Lokal")),
)
# Price level of each kab/kota against the province: the Tangerang conurbation pays most.
CITY_LEVEL = {"3601": 0.985, "3602": 0.98, "3603": 1.01, "3604": 0.995, "3671": 1.02, "3672": 1.015,
              "3673": 1.0, "3674": 1.035}
# Status against the reference price: at or under it is safe; up to 10 % over, watch; beyond, act.
MAP_COLORS = {"aman": "#2e7d32", "waspada": "#f9a825", "intervensi": "#c62828"}
# PIHPS price types: traditional market, modern market, wholesale, producer.
PRICE_TYPES = {1: 1.0, 2: 1.06, 3: 0.9, 4: 0.8}
MAX_GRID_DAYS = 366
PUBLISHED_AT = 13  # PIHPS publishes the day's prices around 13:00 WIB


def price_status(price: float, reference: float) -> tuple[float, str]:
    """The disparity against the reference price in percent, and the panel's status for it."""
    disparity = (price - reference) / reference * 100
    status = "aman" if disparity <= 0 else "waspada" if disparity <= 10 else "intervensi"
    return round(disparity, 2), status


def pihps_number(value: float) -> str:
    """A price as PIHPS writes it: rounded to Rp 50, comma thousands separator ('13,350')."""
    return f"{int(round(value / 50) * 50):,}"


class Disikap:
    """Today's prices of ten commodities in every kab/kota, plus their daily history for the grid."""

    application = "e-disikap"

    def __init__(self, clock: DemoClock, rng: random.Random):
        self.clock = clock
        self.rng = rng
        today = clock.today()
        self.origin = date(today.year - 1, 1, 1)
        # One generator per commodity index, so a series is the same however far it was extended.
        self._walks = {c.id: random.Random(rng.getrandbits(64)) for c in COMMODITIES}
        self._index: dict[str, list[float]] = {c.id: [0.0] for c in COMMODITIES}
        self._salt = rng.getrandbits(32)
        self.quote_date: date | None = None
        self.quotes: dict[tuple[str, str], int] = {}  # today's price, whole rupiah
        self._refresh_quotes()

    def routes(self) -> list[web.RouteDef]:
        """The Bapanas panel and the PIHPS grid."""
        return [web.get("/api/panel-harga", self._panel), web.get("/pihps/grid", self._grid)]

    async def run(self, stop: asyncio.Event) -> None:
        """Revise a few of today's quotes every 45-90 demo seconds until `stop` is set."""
        await repeat(self.clock, stop, lambda: self.rng.uniform(45, 90), self.requote)

    def daily_price(self, city: str, commodity: Commodity, day: date) -> float | None:
        """The day's price of a commodity in a kab/kota (None before the simulated history starts)."""
        if day < self.origin:
            return None
        level = CITY_LEVEL[city] ** (0.5 if commodity.staple else 1.0)
        # Local noise depends on (day, place, commodity) alone, so days can be asked for in any order.
        local = random.Random(f"{self._salt}:{day}:{city}:{commodity.id}")
        noise = local.gauss(0, commodity.volatility * 0.6 + 0.004)
        season = commodity.seasonal * (WEEKLY_PRICE[day.weekday()] + feast_run_up(day))
        price = commodity.base * math.exp(self._province_index(commodity, day) + noise + season) * level
        return min(max(price, commodity.low), commodity.high)

    def panel(self) -> list[dict]:
        """Today's rows: one per kab/kota and commodity."""
        self._refresh_quotes()
        rows = []
        for city in KABKOTA:
            for commodity in COMMODITIES:
                price = self.quotes[(city, commodity.id)]
                disparity, status = price_status(price, commodity.reference)
                rows.append({
                    "date": self.quote_date.isoformat(),
                    "province_id": PROVINCE_CODE,
                    "city_id": city,
                    "city_name": KABKOTA[city].name,
                    "commodity_id": commodity.id,
                    "commodity_name": commodity.name,
                    "rata_rata_geometrik": price,
                    "hpp_hap": commodity.reference,
                    "hpp_hap_percentage": disparity,
                    "map_color": MAP_COLORS[status],
                    "status": status,
                })
        return rows

    def requote(self) -> None:
        """Revise two to four of today's quotes as more markets report."""
        self._refresh_quotes()
        by_id = {c.id: c for c in COMMODITIES}
        for key in self.rng.sample(sorted(self.quotes), self.rng.randint(2, 4)):
            commodity = by_id[key[1]]
            old = self.quotes[key]
            new = old * math.exp(self.rng.gauss(0, max(commodity.volatility / 3, 0.004)))
            new = round(min(max(new, commodity.low), commodity.high))
            if new == old:
                new = old + (10 if new < commodity.high else -10)
            self.quotes[key] = new

    def grid(self, price_type: int, regency: str | None, start: date, end: date,
             wanted: set[str] | None = None) -> list[dict]:
        """PIHPS rows: one per commodity, one column per day, prices as strings and '-' when missing."""
        now = self.clock.now()
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        cities = [regency] if regency else list(KABKOTA)
        rows = []
        for commodity in COMMODITIES:
            if commodity.pihps is None or (wanted and commodity.pihps[0] not in wanted):
                continue
            row: dict = {"no": len(rows) + 1, "name": commodity.pihps[1], "level": 1}
            for day in days:
                unpublished = day > now.date() or (day == now.date() and now.hour < PUBLISHED_AT)
                # Traditional-market surveys run on working days only.
                prices = [] if unpublished or day.weekday() >= 5 else \
                    [p for c in cities if (p := self.daily_price(c, commodity, day)) is not None]
                value = sum(prices) / len(prices) * PRICE_TYPES[price_type] if prices else None
                row[day.strftime("%d/%m/%Y")] = pihps_number(value) if value else "-"
            rows.append(row)
        return rows

    def _province_index(self, commodity: Commodity, day: date) -> float:
        """The commodity's log price index for a day, extending the walk as far as needed."""
        series = self._index[commodity.id]
        walk = self._walks[commodity.id]
        while len(series) <= (day - self.origin).days:
            step = walk.gauss(0, commodity.volatility)
            # Volatile produce now and then jumps (a bad harvest, a holiday rush).
            if commodity.volatility >= 0.02 and walk.random() < 0.01:
                step += walk.uniform(0.1, 0.25)
            series.append(series[-1] * 0.92 + step)  # pulled back towards the usual price
        return series[(day - self.origin).days]

    def _refresh_quotes(self) -> None:
        """Start a new day's quotes from the day's prices when the date changes."""
        today = self.clock.today()
        if today == self.quote_date:
            return
        self.quote_date = today
        self.quotes = {(city, c.id): round(self.daily_price(city, c, today))
                       for city in KABKOTA for c in COMMODITIES}

    async def _panel(self, request: web.Request) -> web.Response:
        province = request.query.get("province_id", PROVINCE_CODE).strip()
        return web.json_response({"data": self.panel() if province == PROVINCE_CODE else []})

    async def _grid(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            price_type = int(query.get("price_type_id", "1"))
            today = self.clock.today()
            end = _parse_date(query["end_date"]) if query.get("end_date") else today
            start = _parse_date(query["start_date"]) if query.get("start_date") else end - timedelta(days=6)
        except ValueError as exc:
            return bad_request(str(exc))
        if price_type not in PRICE_TYPES:
            return bad_request("price_type_id must be 1 (traditional), 2 (modern), 3 (wholesale) "
                               "or 4 (producer)")
        if end < start or (end - start).days >= MAX_GRID_DAYS:
            return bad_request(f"start_date..end_date must be a range of 1 to {MAX_GRID_DAYS} days")
        if query.get("province_id", PROVINCE_CODE).strip() != PROVINCE_CODE:
            return web.json_response({"data": []})
        regency = query.get("regency_id", "").strip() or None
        if regency and regency not in KABKOTA:
            return bad_request(f"regency_id '{regency}' is not a kab/kota of Banten (BPS code, e.g. 3673)")
        wanted = {c.strip() for c in query.get("comcat_id", "").split(",") if c.strip()} or None
        return web.json_response({"data": self.grid(price_type, regency, start, end, wanted)})


def _parse_date(text: str) -> date:
    """A date as 2026-11-28 or 28-11-2026 (PIHPS accepts both)."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD)")
