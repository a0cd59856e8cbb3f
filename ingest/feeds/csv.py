"""csv: a CSV table from a file or a URL, one record per row, the header naming the fields."""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import Field

from ingest.feeds.base import TableFeed, TableOptions, decode_text, looks_like_html
from ingest.records import Malformed


class CsvOptions(TableOptions):
    delimiter: str = Field(default=",", min_length=1, max_length=1)


class CsvFeed(TableFeed):
    kind = "csv"
    Options = CsvOptions

    def parse(self, raw: bytes) -> list[Any]:
        return parse_csv(raw, self.options.delimiter)


def parse_csv(raw: bytes, delimiter: str = ",") -> list[Any]:
    """Rows as dicts by header; a row with the wrong number of columns becomes a Malformed row."""
    text = decode_text(raw)
    if not text.strip():
        raise ValueError("empty file")
    if looks_like_html(text):
        raise ValueError("the source answered with an HTML page, not CSV")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    if len(set(header)) != len(header) or not all(header):
        raise ValueError(f"header has empty or repeated column names: {header}")
    rows: list[Any] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            rows.append(Malformed(f"line {number}: {len(cells)} columns, header has {len(header)}",
                                  delimiter.join(cells)))
            continue
        rows.append(dict(zip(header, (c.strip() for c in cells))))
    return rows
