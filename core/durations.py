"""Durations as the config files write them: a number of seconds, or '30s', '5m', '24h', '7d'.

A module of its own, so the config and the sections it is made of (incidents, monitors) all read it
without importing each other.
"""

from __future__ import annotations

import re
from typing import Any

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_DURATION_UNITS = {"ms": 0.001, "s": 1, None: 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: Any) -> float:
    """Seconds from a number or a string like '30s', '5m', '24h', '7d'."""
    if isinstance(value, bool):
        raise ValueError("must be a duration such as 30s, 5m, 24h")
    if isinstance(value, (int, float)):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"'{value}' is not a duration (use e.g. 30s, 5m, 24h, 7d)")
    return float(match.group(1)) * _DURATION_UNITS[match.group(2)]
