"""Turning a source's text into typed values, only where the meaning is certain.

Agency data writes numbers the Indonesian way ("13.300", "5,70"), the PIHPS way ("13,300") or
plainly; dates come in several formats and naive times are WIB. A value whose meaning is not
certain raises ValueError with a reason, and the record goes to the dead-letter stream.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from core.clock import WIB
from core.regions import normalize_region

_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 13,300 or 1,234.50 (PIHPS, English)
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 13.300 or 13.300,00 (Indonesian)
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")  # 5,70
_PLAIN = re.compile(r"^\d+(\.\d+)?$")
_CURRENCY = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)

_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M",
                 "%d-%m-%Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d")

# Indonesian (and English) month names and abbreviations, as SPSE and agency exports write dates.
_MONTHS = {"januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "february": 2, "maret": 3, "mar": 3,
           "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7,
           "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
           "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
           "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12, "dec": 12, "december": 12}
_NAMED_MONTH = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]+)[\s-]+(\d{4})(?:[\s,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
                          r"(?:\s*WIB)?$")

_TRUE = {"true", "1", "ya", "y", "yes", "aktif", "active", "on"}
_FALSE = {"false", "0", "tidak", "t", "no", "n", "nonaktif", "non-aktif", "inactive", "off"}


def parse_number(value: Any, number_format: str = "auto") -> float | int:
    """A number from a number or a numeric string; `number_format="id"` reads every string the Indonesian way."""
    if number_format == "id" and isinstance(value, str):
        return _parse_indonesian(value)
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} is not a number")
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a number")
    text = _CURRENCY.sub("", value.strip()).replace(" ", "").replace("\u00a0", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    if _PLAIN.match(text):
        # "13.300" could be Indonesian thirteen thousand or English 13.3: refuse to guess.
        if re.match(r"^\d{1,3}\.\d{3}$", text):
            raise ValueError(f"'{value}' is ambiguous: thousands separator or decimal point?")
        number = float(text)
    elif _THOUSANDS_COMMA.match(text):
        number = float(text.replace(",", ""))
    elif _THOUSANDS_DOT.match(text):
        number = float(text.replace(".", "").replace(",", "."))
    elif _DECIMAL_COMMA.match(text):
        number = float(text.replace(",", "."))
    else:
        raise ValueError(f"'{value}' is not a number")
    number *= sign
    return int(number) if number.is_integer() else number


def _parse_indonesian(value: str) -> float | int:
    """A source known to write Indonesian numbers: '.' groups thousands, ',' is the decimal mark."""
    text = _CURRENCY.sub("", value.strip()).replace(" ", "").replace("\u00a0", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    if not (_THOUSANDS_DOT.match(text) or re.match(r"^\d+(,\d+)?$", text)):
        raise ValueError(f"'{value}' is not a number")
    number = sign * float(text.replace(".", "").replace(",", "."))
    return int(number) if number.is_integer() else number


def parse_integer(value: Any, number_format: str = "auto") -> int:
    number = parse_number(value, number_format)
    if float(number) != int(number):
        raise ValueError(f"'{value}' is not a whole number")
    return int(number)


def parse_time(value: Any) -> datetime:
    """An aware datetime from ISO 8601, dd/mm/yyyy forms or epoch seconds/ms; naive times are WIB."""
    if isinstance(value, datetime):
        t = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(seconds, UTC)
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            t = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            for fmt in _DATE_FORMATS:
                try:
                    t = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
            else:
                t = _named_month(text)
                if t is None:
                    raise ValueError(f"'{value}' is not a date/time") from None
    else:
        raise ValueError(f"{value!r} is not a date/time")
    return t if t.tzinfo else t.replace(tzinfo=WIB)


def _named_month(text: str) -> datetime | None:
    """'28 November 2026', '28-Nov-2026 13:00', '28 Agt 2026 13.00 WIB'; None when not such a date."""
    match = _NAMED_MONTH.match(text)
    if not match or match.group(2).lower() not in _MONTHS:
        return None
    day, _, year, hour, minute, second = match.groups()
    try:
        return datetime(int(year), _MONTHS[match.group(2).lower()], int(day), int(hour or 0), int(minute or 0),
                        int(second or 0))
    except ValueError:
        return None


def parse_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{value}' is not yes/no")


def parse_text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        raise ValueError(f"{value!r} is not text")
    text = str(value).strip()
    if not text:
        raise ValueError("empty")
    return text


def parse_region(value: Any) -> str:
    code = normalize_region(value)
    if code is None:
        raise ValueError(f"unknown region code '{value}' (not a kab/kota of Banten)")
    return code


def parser_for(kind: str, number_format: str = "auto"):
    """The parser of a field type, reading numbers in the feed's number format."""
    if kind == "number":
        return lambda v: parse_number(v, number_format)
    if kind == "integer":
        return lambda v: parse_integer(v, number_format)
    return PARSERS[kind]


PARSERS = {
    "text": parse_text,
    "number": parse_number,
    "integer": parse_integer,
    "time": lambda v: parse_time(v).isoformat(),
    "boolean": parse_boolean,
    "region": parse_region,
}
