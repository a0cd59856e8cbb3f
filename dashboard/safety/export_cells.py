"""Export cells that a spreadsheet cannot run: text beginning with = + - @ (or a tab or carriage
return) is written with a leading apostrophe, so Excel and LibreOffice show it as text instead of
evaluating it as a formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3+cmd|...`). A complaint's title is
typed by anyone; an export of it must not become a command on the analyst's PC.

Numbers stay numbers, and text that is a plain number (`-5`, `+62`) stays as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def neutralise(value: Any) -> Any:
    """A cell value safe to write to CSV or XLSX: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _plain_number(value):
        return "'" + value
    return value


def neutralised_rows(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    return [[neutralise(v) for v in row] for row in rows]


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """A CSV file (comma-separated, quoted where needed) with every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(h) for h in header])
    writer.writerows(neutralised_rows(rows))
    return out.getvalue()
