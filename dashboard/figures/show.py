"""A figure or a source value as a page writes it: Indonesian by default, WIB for times, and text
that Plotly shows as typed."""

from __future__ import annotations

import json
from typing import Any

from core.streams import from_iso
from dashboard.text import formatting
from dashboard.text.words import Words

YES, NO = Words("ya", "yes"), Words("tidak", "no")  # a yes/no field, as a table cell says it


def show(value: Any, kind: str, lang: str) -> str:
    """A figure as the page writes it (Indonesian by default, WIB for times)."""
    if value is None or value == "":
        return formatting.DASH
    if kind in ("count", "percent", "rupiah", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)
        return formatting.value(float(value), kind, lang)
    if kind == "time":
        return wib_stamp(value, lang)
    if kind == "bool":
        return (YES if value else NO)(lang)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def wib_stamp(value: Any, lang: str = "id") -> str:
    """A stored time as a sortable WIB stamp ('2026-11-28 10.00'); text that is no time stays as it is."""
    text = str(value)
    if len(text) < 16 or text[4] != "-":
        return text
    try:
        moment = from_iso(text) if ("Z" in text or "+" in text[10:]) else None
    except ValueError:
        return text
    if moment is None:
        return text  # a local time without a zone: shown as the source wrote it
    w = formatting.to_wib(moment)
    sep = "." if lang != "en" else ":"
    return f"{w:%Y-%m-%d} {w.hour:02d}{sep}{w.minute:02d}"


def plot_text(value: Any) -> str:
    """Source text for a Plotly label: Plotly reads a few tags, so < > & go as entities (shown as typed)."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
