"""What an application page shows, as its URL says it: application, kab/kota, unit, record, time range
and language (`/app/e-pormas?wilayah=3601&dari=2026-11-01`). The URL is the state: a link, the back
button and a bookmark all land on the same view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlencode

from core.regions import KABKOTA, PROVINCE_CODE

PREFIX = "/app/"
LEVELS = ("provinsi", "wilayah", "unit", "rekaman")


@dataclass(frozen=True)
class View:
    """Where a page is: application, kab/kota, unit, record, time range and language."""

    app: str
    region: str | None = None
    unit: str | None = None
    record: str | None = None
    start: str | None = None  # WIB day, 'YYYY-MM-DD'
    end: str | None = None
    lang: str = "id"

    @property
    def level(self) -> str:
        return LEVELS[(self.region is not None) + (self.unit is not None) + (self.record is not None)]

    def search(self, **change: Any) -> str:
        """The query string of this view with some parts changed (None drops a part)."""
        parts = {"wilayah": self.region, "unit": self.unit, "rekaman": self.record, "dari": self.start,
                 "sampai": self.end, "lang": self.lang if self.lang != "id" else None}
        parts.update(change)
        kept = {k: v for k, v in parts.items() if v not in (None, "")}
        return "?" + urlencode(kept) if kept else ""

    def href(self, **change: Any) -> str:
        return f"{PREFIX}{self.app}{self.search(**change)}"


def day_of(text: str | None) -> str | None:
    try:
        return date.fromisoformat(str(text)[:10]).isoformat() if text else None
    except ValueError:
        return None


def parse_view(pathname: str | None, search: str | None, default_lang: str = "id") -> View | None:
    """The view a URL names, or None when the path is not an application page."""
    path = (pathname or "").rstrip("/")
    if not path.startswith(PREFIX):
        return None
    app = path[len(PREFIX):]
    q = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items() if v}
    region = q.get("wilayah")
    region = region if region == PROVINCE_CODE or region in KABKOTA else None
    unit = q.get("unit") if region else None
    record = q.get("rekaman") if unit else None
    lang = q.get("lang", "").lower()
    lang = lang if lang in ("id", "en") else (default_lang if default_lang in ("id", "en") else "id")
    return View(app, region, unit, record, day_of(q.get("dari")), day_of(q.get("sampai")), lang)
