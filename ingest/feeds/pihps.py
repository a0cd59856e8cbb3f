"""pihps: Bank Indonesia's PIHPS price grid, unpivoted into one row per commodity, date and place.

The grid answers one row per commodity with one column per day ("28/11/2026": "13,300"); a
day without a survey is "-", which means no price (skipped), not an error. One feed may ask
for several regencies or markets; each is one question per poll.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import aiohttp
from pydantic import Field, field_validator

from core.clock import wib_today
from core.regions import PROVINCE_CODE, normalize_region
from ingest.feeds.base import PollingFeed, PollOptions
from ingest.feeds.parsing import Answer, convert_each, usable_answers
from ingest.normalize import parse_number

_DAY_COLUMN = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
NO_PRICE = "-"


class PihpsOptions(PollOptions):
    url: str
    # 1 traditional market, 2 modern market, 3 wholesale, 4 producer.
    price_type_id: int = Field(default=1, ge=1, le=4)
    # PIHPS commodity ids (com_3 Beras Medium I, ...); empty asks for every commodity.
    comcat_id: list[str] = Field(default_factory=list)
    province_id: str = PROVINCE_CODE
    # BPS codes of the regencies to ask for, one question each; empty asks for the province as a whole.
    regencies: list[str] = Field(default_factory=list)
    # Market id -> the BPS code of its kab/kota, one question each (market-level grids).
    markets: dict[str, str] = Field(default_factory=dict)
    # How many days back from today each poll asks for (prices are revised for a few days).
    days: int = Field(default=7, ge=1, le=366)

    @field_validator("regencies")
    @classmethod
    def _known_regencies(cls, codes):
        for code in codes:
            if normalize_region(code) in (None, PROVINCE_CODE):
                raise ValueError(f"'{code}' is not a kab/kota of Banten (BPS code, e.g. 3673)")
        return codes

    @field_validator("markets")
    @classmethod
    def _market_regencies(cls, markets):
        for market, code in markets.items():
            if normalize_region(code) in (None, PROVINCE_CODE):
                raise ValueError(f"market {market}: '{code}' is not a kab/kota of Banten")
        return markets


class PihpsFeed(PollingFeed):
    kind = "pihps"
    Options = PihpsOptions

    def questions(self, today: date) -> list[dict[str, str]]:
        """The query of each question one poll asks."""
        o = self.options
        base = {"price_type_id": str(o.price_type_id), "province_id": o.province_id,
                "start_date": (today - timedelta(days=o.days - 1)).isoformat(), "end_date": today.isoformat()}
        if o.comcat_id:
            base["comcat_id"] = ",".join(o.comcat_id)
        if o.markets:
            return [{**base, "regency_id": normalize_region(code), "market_id": market}
                    for market, code in o.markets.items()]
        return [{**base, "regency_id": normalize_region(code)} for code in o.regencies] or [base]

    async def fetch(self, session: aiohttp.ClientSession) -> list[Answer]:
        today = wib_today()
        return [Answer(_describe(q), await self.get_url(session, self.options.url, q), q)
                for q in self.questions(today)]

    def parse(self, raw: list[Answer]) -> list[Any]:
        return parse_grid_answers(raw, self.options.price_type_id)


def _describe(query: dict[str, str]) -> str:
    """A question as 'regency_id=3673 market_id=..' for dead-letter reasons."""
    keys = ("regency_id", "market_id")
    return "PIHPS " + (" ".join(f"{k}={query[k]}" for k in keys if query.get(k)) or "province")


def parse_grid_answers(answers: list[Answer], price_type_id: int = 1) -> list[Any]:
    """Rows of every usable answer; an unusable answer is one Malformed row."""
    usable, rows = usable_answers(answers)
    for answer, data in usable:
        rows.extend(parse_grid(data, answer.params.get("regency_id"), answer.params.get("market_id"), price_type_id,
                               where=f"{answer.query}: "))
    return rows


def parse_grid(data: Any, regency: str | None = None, market: str | None = None, price_type_id: int = 1,
               where: str = "") -> list[Any]:
    """One row per commodity x day with a price, from one PIHPS grid answer ({"data": [...]})."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise ValueError(f"{where}no 'data' list in the PIHPS answer")
    place = normalize_region(regency) if regency else PROVINCE_CODE

    def unpivot(item: dict) -> list[dict]:
        name = str(item["name"]).strip()
        rows = []
        for column, cell in item.items():
            if not _DAY_COLUMN.match(str(column)):
                continue
            if cell is None or str(cell).strip() in (NO_PRICE, ""):
                continue  # no survey that day: no price, not an error
            day = datetime.strptime(column, "%d/%m/%Y").date()
            try:
                price = parse_number(cell)
            except ValueError as exc:
                raise ValueError(f"{name} {column}: {exc}") from None
            rows.append({
                "commodity": name, "commodity_key": commodity_key(name), "level": item.get("level"),
                "price_type_id": price_type_id, "kode_wilayah": place or regency, "pasar": market or "semua",
                "tanggal": day.isoformat(), "harga": price,
            })
        return rows

    return convert_each(data["data"], unpivot, where)


def commodity_key(name: str) -> str:
    """A stable key of a commodity name ('Beras Medium I' -> 'beras_medium_i')."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
