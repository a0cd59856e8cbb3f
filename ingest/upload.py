"""Operator upload: a CSV or Excel file for one feed, checked row by row, accepted whole or not at all.

Every row is checked against the feed's config (fields and their types, the source id, the
region, the event time) and every problem is listed by the row number the operator sees in the
file and the column, in Bahasa Indonesia. One bad row refuses the whole file: nothing is
written, so the operator fixes the file and sends it again without half of it already in.
"""

from __future__ import annotations

import asyncio
import csv
import hmac
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.config import UPLOAD_OPERATOR_HEADER, FeedConfig
from core.regions import normalize_region
from core.streams import utc_now
from ingest.feeds.base import decode_text, looks_like_html
from ingest.feeds.excel import XLS_MAGIC, XLSX_MAGIC, sheet_rows
from ingest.feeds.webhook import Unauthorized
from ingest.intake import Intake
from ingest.normalize import parse_time, parser_for
from ingest.records import RecordBuilder, Rejected

# Larger files are refused before they are read: a month of daily prices is a few hundred kB.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
_TEMPLATE_FIELD = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class RowError:
    """One problem of an uploaded file: where (row as the operator sees it, column) and why."""

    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        return f"baris {self.row}, kolom {self.column}: {self.reason}" if self.column \
            else f"baris {self.row}: {self.reason}"

    def as_json(self) -> dict[str, Any]:
        return {"baris": self.row, "kolom": self.column, "alasan": self.reason, "pesan": str(self)}


@dataclass
class UploadResult:
    """What became of an upload: every row written, or the list of errors and nothing written."""

    rows: int = 0
    accepted: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"baris": self.rows, "diterima": self.accepted, "duplikat": self.duplicates}
        if self.errors:
            out["kesalahan"] = [e.as_json() for e in self.errors]
        return out


class FileRefused(ValueError):
    """The file as a whole cannot be read (not CSV/Excel, no header); the message is for the operator."""


def authorize_upload(feed: FeedConfig, header: str | None) -> None:
    """Accept 'Bearer <token>' for one of the feed's upload tokens, compared in constant time."""
    presented = (header or "").removeprefix("Bearer ").strip().encode()
    ok = False
    for token in feed.upload_tokens:
        ok |= hmac.compare_digest(presented, token.encode())
    if not presented or not ok:
        raise Unauthorized("missing or wrong upload token")


# The header naming the signed-in operator when the dashboard forwards an upload with the internal token.
OPERATOR_HEADER = UPLOAD_OPERATOR_HEADER
_OPERATOR_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")


class Forbidden(Unauthorized):
    """A known caller asking for what their account may not do (403, not 401)."""


def upload_caller(feed_id: str, feed: FeedConfig, header: str | None, operator: str | None,
                  internal_token: str | None, accounts: Callable[[str], Any] | None = None) -> str:
    """Who is uploading, for the audit: the operator the dashboard names with the internal token,
    or "token" for a caller with one of the feed's upload tokens. Unauthorized otherwise.

    The internal token alone does not let its holder upload anywhere under any name: the named
    operator must be an account of the users file (`accounts(name)`) that may use this feed (an
    operator bound to it, or an admin), as the dashboard checked before forwarding."""
    presented = (header or "").removeprefix("Bearer ").strip().encode()
    if internal_token and presented and hmac.compare_digest(presented, internal_token.encode()):
        if not operator or not _OPERATOR_NAME.match(operator):
            raise Unauthorized(f"the internal token needs the operator's name in {OPERATOR_HEADER}")
        account = accounts(operator) if accounts is not None else None
        if account is None:
            raise Forbidden(f"'{operator}' is not an account of this command center")
        if not (account.role == "admin" or (account.role == "operator" and feed_id in account.feeds)):
            raise Forbidden(f"'{operator}' may not upload to feed '{feed_id}'")
        return operator
    authorize_upload(feed, header)
    return "token"


def read_table(raw: bytes, sheet: str | int = 0, header_row: int = 1) -> list[tuple[int, Any]]:
    """(row number as shown in Excel or a spreadsheet, row) from an .xlsx or CSV file."""
    if raw.startswith(XLSX_MAGIC) or raw.startswith(XLS_MAGIC):
        try:
            return sheet_rows(raw, sheet, header_row)
        except ValueError as exc:
            raise FileRefused(f"berkas Excel tidak terbaca: {exc}") from None
    text = decode_text(raw)
    if not text.strip():
        raise FileRefused("berkas kosong")
    if looks_like_html(text):
        raise FileRefused("berkas berisi halaman HTML, bukan CSV atau Excel")
    sample = text[:4096]
    # Indonesian Excel exports CSV with ';' (the comma is the decimal mark there).
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    if not all(header) or len(set(header)) != len(header):
        raise FileRefused(f"baris 1 (judul kolom) kosong atau berulang: {header}")
    rows: list[tuple[int, Any]] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            rows.append((number, RowError(number, None, f"{len(cells)} kolom, judul kolom ada {len(header)}")))
            continue
        rows.append((number, {h: c.strip() for h, c in zip(header, cells) if c.strip()}))
    return rows


def _reason(kind: str, value: Any, exc: ValueError) -> str:
    """Why a value does not fit its field type, in Bahasa Indonesia."""
    if "ambiguous" in str(exc):
        return f"'{value}' ambigu (pemisah ribuan atau titik desimal?): tulis 13300 atau 13.300,00"
    if kind == "integer" and "whole" in str(exc):
        return f"'{value}' bukan bilangan bulat"
    return {
        "number": f"'{value}' bukan angka",
        "integer": f"'{value}' bukan angka",
        "time": f"'{value}' bukan tanggal/waktu yang dikenali (mis. 2026-11-28 13:00 atau 28/11/2026)",
        "boolean": f"'{value}' bukan ya/tidak",
        "region": f"kode wilayah '{value}' bukan kab/kota di Banten",
        "text": "kosong",
    }.get(kind, f"'{value}' tidak sesuai")


def check_row(feed: FeedConfig, number: int, row: dict) -> list[RowError]:
    """Every problem of one row against the feed's config, one per column."""
    errors: dict[str, RowError] = {}

    def add(column: str, reason: str) -> None:
        errors.setdefault(column, RowError(number, column, reason))

    for name, kind in feed.fields.items():
        value = row.get(name)
        if value in (None, ""):
            add(name, "wajib diisi")
            continue
        try:
            parser_for(kind, feed.number_format)(value)
        except ValueError as exc:
            add(name, _reason(kind, value, exc))
    for name in _TEMPLATE_FIELD.findall(feed.source_id) or [feed.source_id]:
        if row.get(name) in (None, ""):
            add(name, "wajib diisi (bagian dari id sumber)")
    if feed.region and row.get(feed.region) not in (None, "") and normalize_region(row[feed.region]) is None:
        add(feed.region, _reason("region", row[feed.region], ValueError()))
    if feed.event_time:
        value = row.get(feed.event_time)
        if value in (None, ""):
            add(feed.event_time, "wajib diisi (waktu kejadian)")
        else:
            try:
                parse_time(value)
            except ValueError as exc:
                add(feed.event_time, _reason("time", value, exc))
    return list(errors.values())


async def upload(feed_id: str, feed: FeedConfig, intake: Intake, raw: bytes) -> UploadResult:
    """Check every row of an uploaded file; write all of them through the feed's intake, or none."""
    if len(raw) > UPLOAD_MAX_BYTES:
        raise FileRefused(f"berkas lebih dari {UPLOAD_MAX_BYTES // (1024 * 1024)} MB")
    # Reading an Excel file and checking its rows take seconds for a large file: in a thread, so
    # the webhooks and other uploads of this process are answered meanwhile.
    table, result = await asyncio.to_thread(check_file, feed_id, feed, raw)
    if result.errors:
        return result
    taken = await intake.take([row for _, row in table])
    result.accepted, result.duplicates = taken.accepted, taken.duplicates
    return result


def check_file(feed_id: str, feed: FeedConfig, raw: bytes) -> tuple[list[tuple[int, Any]], UploadResult]:
    """The file's rows and its errors (none: every row fits the feed); FileRefused when unreadable."""
    table = read_table(raw)
    result = UploadResult(rows=len(table))
    if not table:
        raise FileRefused("berkas tidak berisi baris data")
    builder = RecordBuilder(feed_id, feed)
    now = utc_now()
    for number, row in table:
        if isinstance(row, RowError):
            result.errors.append(row)
            continue
        problems = check_row(feed, number, row)
        if not problems:
            try:
                builder.build(row, now)  # whatever else the envelope refuses (an over-long source id)
            except Rejected as exc:
                problems = [RowError(number, None, str(exc))]
        result.errors.extend(problems)
    return table, result
