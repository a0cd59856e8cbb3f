"""bansos: disbursement of social assistance (PKH, BPNT) per kab/kota and tahap, with its status trail.

A tahap moves SPM (payment order) -> SP2D (funds released) -> Sudah Tersalur (paid out). Each row
gets its place on that trail (`status_urutan` 0..2) so the figures can tell progress from order.
"""

from __future__ import annotations

from typing import Any

from ingest.feeds.http_json import HttpJsonFeed, HttpJsonOptions, parse_json, records_at
from ingest.feeds.parsing import convert_each
from ingest.normalize import parse_integer, parse_number

PROGRAMMES = ("PKH", "BPNT")
STATUS_TRAIL = ("SPM", "SP2D", "Sudah Tersalur")
# Spellings seen in exports, by the trail status they mean.
_STATUS_SPELLINGS = {s.lower().replace(" ", ""): s for s in STATUS_TRAIL} | {"tersalur": "Sudah Tersalur"}


class BansosOptions(HttpJsonOptions):
    records: str = "data"


class BansosFeed(HttpJsonFeed):
    kind = "bansos"
    Options = BansosOptions

    def parse(self, raw: bytes) -> list[Any]:
        return parse_disbursements(raw, self.options.records, self.feed.number_format)


def trail_status(value: Any) -> str:
    """The status trail's own spelling of a status ('sp2d' -> 'SP2D'); ValueError for another status."""
    status = _STATUS_SPELLINGS.get(str(value).strip().lower().replace(" ", ""))
    if status is None:
        raise ValueError(f"status '{value}' is not on the trail {' -> '.join(STATUS_TRAIL)}")
    return status


def parse_disbursements(raw: bytes, path: str = "data", number_format: str = "auto") -> list[Any]:
    """Rows with programme, tahap, status and counts checked; a row that fails is Malformed."""
    def row(item: dict) -> list[dict]:
        programme = str(item["program"]).strip().upper()
        if programme not in PROGRAMMES:
            raise ValueError(f"program '{item['program']}' is not one of {', '.join(PROGRAMMES)}")
        tahap = parse_integer(item["tahap"], number_format)
        if not 1 <= tahap <= 4:
            raise ValueError(f"tahap {tahap} is not 1..4")
        status = trail_status(item["status"])
        target = parse_integer(item["target_kpm"], number_format)
        paid = parse_integer(item["kpm_tersalur"], number_format)
        if paid > target:
            raise ValueError(f"kpm_tersalur {paid} is more than target_kpm {target}")
        out = dict(item, program=programme, tahap=tahap, status=status, status_urutan=STATUS_TRAIL.index(status),
                   target_kpm=target, kpm_tersalur=paid)
        if item.get("nominal") not in (None, ""):
            out["nominal"] = parse_number(item["nominal"], number_format)
        return [out]

    return convert_each(records_at(parse_json(raw), path), row)
