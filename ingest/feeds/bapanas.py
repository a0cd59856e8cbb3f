"""bapanas: Badan Pangan Nasional's price panel: the day's price per kab/kota and commodity against its reference.

Each row carries the geometric mean price, the reference price (HET or HAP, `hpp_hap`), the
disparity in percent and a status `aman / waspada / intervensi`. A price of "-" means the place
did not report that day: skipped, not an error.
"""

from __future__ import annotations

from typing import Any

from ingest.feeds.http_json import HttpJsonFeed, HttpJsonOptions, parse_json, records_at
from ingest.feeds.parsing import convert_each
from ingest.normalize import parse_number

STATUSES = ("aman", "waspada", "intervensi")
NO_PRICE = "-"


class BapanasOptions(HttpJsonOptions):
    records: str = "data"


class BapanasFeed(HttpJsonFeed):
    kind = "bapanas"
    Options = BapanasOptions

    def parse(self, raw: bytes) -> list[Any]:
        return parse_panel(raw, self.options.records, self.feed.number_format)


def parse_panel(raw: bytes, path: str = "data", number_format: str = "auto") -> list[Any]:
    """The panel's rows with numbers read and the status checked; a row it cannot read is Malformed."""
    def row(item: dict) -> list[dict]:
        price = item["rata_rata_geometrik"]
        if isinstance(price, str) and price.strip() in (NO_PRICE, ""):
            return []
        out = dict(item)
        out["rata_rata_geometrik"] = parse_number(price, number_format)
        out["hpp_hap"] = parse_number(item["hpp_hap"], number_format)
        if item.get("hpp_hap_percentage") not in (None, "", NO_PRICE):
            out["hpp_hap_percentage"] = parse_number(item["hpp_hap_percentage"], number_format)
        if item.get("status") not in (None, ""):
            status = str(item["status"]).strip().lower()
            if status not in STATUSES:
                raise ValueError(f"status '{item['status']}' is not one of {', '.join(STATUSES)}")
            out["status"] = status
        return [out]

    return convert_each(records_at(parse_json(raw), path), row)
