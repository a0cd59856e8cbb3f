"""cctv_listing: the e-CCTV camera listing (location, kecamatan, coordinates, active flag, last check).

The listing carries each camera's stream addresses, often with credentials: every field of
core.cameras.SECRET_FIELDS is dropped here, before validation, so none can reach Redis whatever
the feed's config says.
"""

from __future__ import annotations

import json
from typing import Any

from core.cameras import without_secrets
from ingest.feeds.http_json import HttpJsonFeed, HttpJsonOptions, parse_json, records_at
from ingest.feeds.parsing import convert_each
from ingest.normalize import parse_boolean, parse_number
from ingest.records import Malformed

# Banten with a margin: a camera outside is a typo in the listing (a swapped or unsigned coordinate).
LATITUDE = (-7.2, -5.6)
LONGITUDE = (105.0, 107.0)


class CctvListingOptions(HttpJsonOptions):
    records: str = "data"


class CctvListingFeed(HttpJsonFeed):
    kind = "cctv_listing"
    Options = CctvListingOptions

    def parse(self, raw: bytes) -> list[Any]:
        return parse_listing(raw, self.options.records)


def parse_listing(raw: bytes, path: str = "data") -> list[Any]:
    """Cameras without their stream addresses, coordinates and active flag read; bad ones Malformed."""
    def camera(item: dict) -> list[dict]:
        out = without_secrets(item)
        latitude, longitude = parse_number(item["latitude"]), parse_number(item["longitude"])
        if not (LATITUDE[0] <= latitude <= LATITUDE[1] and LONGITUDE[0] <= longitude <= LONGITUDE[1]):
            raise ValueError(f"coordinates {latitude}, {longitude} are outside Banten")
        out.update(latitude=latitude, longitude=longitude, is_active=parse_boolean(item["is_active"]))
        return [out]

    rows = convert_each(records_at(parse_json(raw), path), camera)
    return [_without_secrets(r) for r in rows]


def _without_secrets(row: Any) -> Any:
    """A Malformed row keeps its raw item for the dead-letter stream: strip the secrets there too."""
    if not isinstance(row, Malformed):
        return row
    try:
        item = json.loads(row.raw)
    except ValueError:
        return Malformed(row.reason, "(camera listing item not shown: it may hold a stream address)")
    if isinstance(item, dict):
        item = without_secrets(item)
    return Malformed(row.reason, json.dumps(item, ensure_ascii=False, default=str))
