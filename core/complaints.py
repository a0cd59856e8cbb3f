"""The complaint statuses both halves agree on (SP4N-LAPOR!, e-Pormas) and how long closed ones are kept.

The derive processor (ingest/derive/pormas.py) counts open complaints and service-level breaches with
them; the public portal (dashboard/public_figures.py) counts complaints resolved in the same window.
"""

from __future__ import annotations

RECEIVED = "diterima"
# A complaint in one of these statuses needs nothing more ("bukan wewenang" and "arsipkan" close one too).
DONE = frozenset({"selesai", "ditutup", "diarsipkan", "arsip", "bukan wewenang"})
# Closed complaints stay this many days at the record level, then the derive processor drops them.
KEEP_CLOSED_DAYS = 7
