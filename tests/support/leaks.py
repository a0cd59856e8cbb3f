"""What no public answer may hold: NIKs, phone numbers, stream addresses, credentials in a URL; and a
plain Dash callback call over HTTP, for tests that ask the app as an anonymous browser does."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

PATTERNS = {
    # Not glued to a letter: Dash's per-request tokens ("d6416083116782858") hold 16-digit runs.
    "NIK": re.compile(r"(?<![\w.])\d{16}(?!\d)"),
    "masked NIK": re.compile(r"(?<![\d.])\d{4}\*{6,}\d{4}(?!\d)"),
    "phone": re.compile(r"(?<![\d.])(?:\+62|62|0)8\d{8,11}(?!\d)"),
    "phone with separators": re.compile(r"(?<![\d.])(?:\+62|0)8\d{2}[-. ]\d{3,4}[-. ]\d{3,5}(?!\d)"),
    "stream address": re.compile(r"(?i)\b(?:rtsps?|rtmps?|srt)://"),
    "credentials in a URL": re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s/\"'@<>]+:[^\s/\"'@<>]+@"),
}


def leaks(text: str, literal: list[str]) -> list[str]:
    found = [f"{name}: {m.group(0)!r}" for name, p in PATTERNS.items() for m in p.finditer(text)]
    return found + [f"literal {s!r}" for s in literal if s in text]


def call(base: str, body: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(base + "/_dash-update-component", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()
