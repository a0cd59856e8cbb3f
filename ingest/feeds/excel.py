"""excel: an .xlsx workbook from a file or a URL, one record per row under a header row.

Agencies without an API publish or mail spreadsheets; the sheet and the header row are options
because their tables often start below a title block. Rows keep the number the operator sees
in Excel, so an upload's errors can point at them.
"""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date, datetime, time
from typing import Any

import pandas as pd
from pydantic import Field

from ingest.feeds.base import TableFeed, TableOptions, decode_text, looks_like_html

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
# An .xlsx is a zip: a few kB can unpack to gigabytes (a zip bomb). A month of prices unpacks to a
# few MB; what would unpack to more than this, or holds more parts than a workbook has, is refused
# from the sizes its zip directory declares (Python stops reading a part at its declared size).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 2000


class ExcelOptions(TableOptions):
    # Sheet name, or its position from 0.
    sheet: str | int = 0
    # The row of the column names as Excel numbers it (1 = first row); rows above are a title block.
    header_row: int = Field(default=1, ge=1)


class ExcelFeed(TableFeed):
    kind = "excel"
    Options = ExcelOptions

    def parse(self, raw: bytes) -> list[Any]:
        return [row for _, row in sheet_rows(raw, self.options.sheet, self.options.header_row)]


def check_workbook(raw: bytes) -> None:
    """ValueError naming what the bytes are when they are not an .xlsx workbook."""
    if raw.startswith(XLSX_MAGIC):
        return
    if raw.startswith(XLS_MAGIC):
        raise ValueError("an old .xls workbook: save it as .xlsx")
    if not raw.strip():
        raise ValueError("empty file")
    if looks_like_html(decode_text(raw[:200])):
        raise ValueError("the source answered with an HTML page, not an Excel file")
    raise ValueError("not an .xlsx workbook")


def check_unpacked_size(raw: bytes, limit: int = MAX_UNPACKED_BYTES) -> None:
    """ValueError when the workbook would unpack to more than `limit` bytes, before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"unreadable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    if len(parts) > MAX_PARTS:
        raise ValueError(f"the workbook holds {len(parts)} parts (more than {MAX_PARTS}): not a spreadsheet")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limit:
        raise ValueError(f"the workbook unpacks to {unpacked // (1024 * 1024)} MB, more than "
                         f"{limit // (1024 * 1024)} MB: refused unread")


def sheet_rows(raw: bytes, sheet: str | int = 0, header_row: int = 1) -> list[tuple[int, dict]]:
    """(Excel row number, {column: value}) for each non-empty row under the header; ValueError if unreadable.

    CPU-bound (seconds for a large workbook): callers on an event loop run it in a thread."""
    check_workbook(raw)
    if raw.startswith(XLSX_MAGIC):
        check_unpacked_size(raw)
    try:
        frame = pd.read_excel(io.BytesIO(raw), sheet_name=sheet, header=None, dtype=object, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ValueError(f"unreadable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    except ValueError as exc:
        raise ValueError(f"unreadable .xlsx workbook: {exc}") from None
    if len(frame) < header_row:
        raise ValueError(f"sheet has no header row {header_row}")
    values = frame.values.tolist()
    header = [_cell(h) for h in values[header_row - 1]]
    body = values[header_row:]
    used = [i for i, name in enumerate(header)
            if name is not None or any(_cell(r[i]) is not None for r in body)]
    names = [str(header[i]).strip() if header[i] is not None else "" for i in used]
    if not all(names) or len(set(names)) != len(names):
        raise ValueError(f"header row {header_row} has empty or repeated column names: {names}")
    rows = []
    for offset, cells in enumerate(body, start=header_row + 1):
        row = {name: value for name, i in zip(names, used) if (value := _cell(cells[i])) is not None}
        if row:
            rows.append((offset, row))
    return rows


def _cell(value: Any) -> Any:
    """A cell as JSON-friendly Python: None when empty, ISO text for dates, whole floats as int."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value
