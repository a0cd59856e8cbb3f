"""The complaint statuses both halves agree on (SP4N-LAPOR!, e-Pormas) and how long closed ones are kept.

The derive processor (ingest/derive/pormas.py) counts open complaints and service-level breaches with
them; the public portal (dashboard/public/figures.py) shows the complaints received and resolved in the
same window, which the derive processor keeps too (ingest/derive/incremental/complaint_handling.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.clock import WIB

RECEIVED = "diterima"
# A complaint in one of these statuses needs nothing more ("bukan wewenang" and "arsipkan" close one too).
DONE = frozenset({"selesai", "ditutup", "diarsipkan", "arsip", "bukan wewenang"})
# Closed complaints stay this many days at the record level, then the derive processor drops them.
KEEP_CLOSED_DAYS = 7


def moment(text: Any) -> datetime | None:
    """A stored complaint time (created_at, updated_at, the row's event time); one without a zone is WIB,
    as ingest reads it. None when absent or unreadable."""
    if not text:
        return None
    try:
        t = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=WIB)
