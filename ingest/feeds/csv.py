"""csv: a CSV table from a file or a URL, one record per row, the header naming the fields."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import aiohttp
from pydantic import Field, model_validator

from ingest.feeds.base import FetchError, PollingFeed, PollOptions, decode_text, looks_like_html
from ingest.records import Malformed


class CsvOptions(PollOptions):
    url: str | None = None
    path: str | None = None
    delimiter: str = Field(default=",", min_length=1, max_length=1)

    @model_validator(mode="after")
    def _one_source(self):
        if bool(self.url) == bool(self.path):
            raise ValueError("give exactly one of url or path")
        return self


class CsvFeed(PollingFeed):
    kind = "csv"
    Options = CsvOptions

    async def fetch(self, session: aiohttp.ClientSession) -> bytes:
        if self.options.url:
            return await self.get_url(session, self.options.url)
        try:
            return Path(self.options.path).read_bytes()
        except OSError as exc:
            raise FetchError(f"cannot read {self.options.path}: {exc.strerror}") from None

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
