"""An operator's upload from the dashboard: forwarded to the ingest service, which checks and stores it.

Why forward rather than check here: the rows of a file become feed records, and only ingest writes
feed data (its intake de-duplicates, masks personal data and trims the stream; the dashboard never
imports `ingest`). So the dashboard checks who may upload to which feed (`User.may_use_feed`), then
sends the file to `POST /upload/<feed_id>` on the ingest port with the internal token
(`ingest.internal_token`, else the one generated for this installation) and the operator's name
(`core.config.UPLOAD_OPERATOR_HEADER`). Ingest checks every row, answers with the errors per row
and column or the rows taken, writes the whole file or nothing, and records the upload in the
audit trail under the operator's name; the screen lists a feed's last uploads from there.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp

from core.config import UPLOAD_OPERATOR_HEADER, Config
from core.credentials import ingest_token
from core.streams import AUDIT, decoded, entry_time, from_iso

# What the browser may send (base64 over the WebSocket adds a third); ingest refuses above 10 MB.
UPLOAD_MAX_BYTES = 8 * 1024 * 1024
TIMEOUT_S = 60.0  # a large Excel file takes a few seconds to check
RECENT_SCAN = 2000  # newest audit entries looked through for a feed's last uploads


def ingest_base(config: Config) -> str:
    """Where the dashboard reaches ingest's HTTP side (a wildcard listen address on loopback)."""
    host = config.ingest.host
    host = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    return f"http://{host}:{config.ingest.port}"


@dataclass(frozen=True)
class RowProblem:
    """One error of a refused file: the row as the operator sees it in the file, the column, why."""

    row: int | None
    column: str | None
    reason: str


@dataclass(frozen=True)
class UploadOutcome:
    """What became of an upload, as the screen shows it."""

    status: str  # accepted | rows_refused | file_refused | forbidden | unavailable | not_configured
    rows: int = 0
    accepted: int = 0
    duplicates: int = 0
    problems: tuple[RowProblem, ...] = field(default_factory=tuple)
    message: str = ""  # ingest's own words for a file refused whole (Bahasa Indonesia)

    @property
    def ok(self) -> bool:
        return self.status == "accepted"


def decode_contents(contents: str) -> bytes:
    """The file's bytes from dcc.Upload's `data:<type>;base64,<data>`; ValueError when it is not that."""
    head, sep, data = (contents or "").partition(",")
    if not sep or ";base64" not in head:
        raise ValueError("not a base64 data URL")
    try:
        return base64.b64decode(data, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"bad base64: {exc}") from None


def outcome_of(status: int, body: Any) -> UploadOutcome:
    """Ingest's answer to an upload as an outcome (its JSON: baris, diterima, duplikat, kesalahan)."""
    body = body if isinstance(body, dict) else {}
    if status == 202:
        return UploadOutcome("accepted", int(body.get("baris", 0)), int(body.get("diterima", 0)),
                             int(body.get("duplikat", 0)))
    if status == 422:
        problems = tuple(RowProblem(e.get("baris"), e.get("kolom"), str(e.get("alasan") or e.get("pesan") or ""))
                         for e in body.get("kesalahan") or [] if isinstance(e, dict))
        return UploadOutcome("rows_refused", int(body.get("baris", 0)), problems=problems)
    if status in (400, 413):
        return UploadOutcome("file_refused", message=str(body.get("error") or ""))
    if status in (401, 403, 404):
        return UploadOutcome("forbidden", message=str(body.get("error") or ""))
    return UploadOutcome("unavailable", message=str(body.get("error") or f"HTTP {status}"))


async def forward(config: Config, feed_id: str, operator: str, filename: str, raw: bytes) -> UploadOutcome:
    """Send the file to ingest for `feed_id` in the operator's name; the caller has checked the operator."""
    token = ingest_token(config)
    if not token:
        return UploadOutcome("not_configured")
    form = aiohttp.FormData()
    form.add_field("file", raw, filename=filename or "unggahan", content_type="application/octet-stream")
    headers = {"Authorization": f"Bearer {token}", UPLOAD_OPERATOR_HEADER: operator}
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as session:
            async with session.post(f"{ingest_base(config)}/upload/{feed_id}", data=form, headers=headers) as resp:
                try:
                    body = await resp.json(content_type=None)
                except ValueError:
                    body = {}
                return outcome_of(resp.status, body)
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return UploadOutcome("unavailable", message=type(exc).__name__)


@dataclass(frozen=True)
class RecentUpload:
    """One upload (or refused attempt) of a feed, from the audit trail."""

    at: datetime
    feed_id: str
    who: str
    accepted: bool
    action: str  # upload | upload_refused | token_refused
    detail: str


def recent_uploads(client, feeds: set[str], count: int = 10) -> list[RecentUpload]:
    """The newest uploads of these feeds, newest first (from the last RECENT_SCAN audit entries)."""
    targets = {f"feed:{fid}": fid for fid in feeds}
    out: list[RecentUpload] = []
    for entry_id, fields in client.xrevrange(AUDIT, count=RECENT_SCAN):
        f = decoded(fields)
        if f.get("action") not in ("upload", "upload_refused", "token_refused") or f.get("target") not in targets:
            continue
        try:
            at = from_iso(f["at"]) if f.get("at") else entry_time(entry_id)
        except ValueError:
            at = entry_time(entry_id)
        out.append(RecentUpload(at, targets[f["target"]], f.get("who", "-"),
                                f.get("action") == "upload" and f.get("outcome") == "ok", f.get("action", ""),
                                f.get("detail", "")))
        if len(out) >= count:
            break
    return out
