"""Numbers and times as a Banten screen writes them: `Rp 13.300`, `5,70 %`, `14.02 WIB`.

The one place where figures become text. Indonesian by default (dot for thousands, comma for
decimals, `jt`/`M`/`T` for juta/miliar/triliun); `lang="en"` gives the English forms.
Times are stored in UTC and always shown in the site's zone (core/clock.py's WIB: config `site.timezone`).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from core.clock import WIB
from dashboard.text.words import Vocabulary, Words

DASH = "–"  # shown where a figure is unknown

_SEPARATORS = {"id": (".", ","), "en": (",", ".")}
# (threshold, Indonesian suffix, English suffix, decimals)
_RUPIAH_SCALES = (
    (1e12, "T", "tn", 2),
    (1e9, "M", "bn", 1),
    (1e6, "jt", "m", 1),
)
_MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_MONTHS_LONG = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}
_WEEKDAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def _lang(lang: str) -> str:
    return lang if lang in _SEPARATORS else "id"


def number(value: float, decimals: int = 0, lang: str = "id") -> str:
    """A number with grouped thousands: 1.234.567 / 1.234,5 (id), 1,234,567 / 1,234.5 (en)."""
    thousands, decimal = _SEPARATORS[_lang(lang)]
    text = f"{abs(value):,.{decimals}f}"  # Python writes 1,234.5
    whole, _, frac = text.partition(".")
    out = whole.replace(",", thousands) + (decimal + frac if frac else "")
    return ("-" if value < 0 and float(text.replace(",", "")) != 0 else "") + out


def rupiah(value: float, lang: str = "id", compact: bool = True) -> str:
    """Rupiah: `Rp 13.300`; large sums as `Rp 12,5 jt`, `Rp 845,3 M`, `Rp 1,23 T` (compact)."""
    lang = _lang(lang)
    sign = "-" if value < 0 else ""
    amount = abs(value)
    if compact:
        for threshold, id_suffix, en_suffix, decimals in _RUPIAH_SCALES:
            if amount >= threshold:
                suffix = id_suffix if lang == "id" else en_suffix
                return f"{sign}Rp {number(amount / threshold, decimals, lang)} {suffix}"
    return f"{sign}Rp {number(round(amount), 0, lang)}"


def percent(value: float, lang: str = "id", decimals: int | None = None) -> str:
    """A percentage: `5,70 %`, `87,4 %` (two decimals under 10, else one)."""
    if decimals is None:
        decimals = 2 if abs(value) < 10 else 1
    return f"{number(value, decimals, lang)} %"


def count(value: float, lang: str = "id", word: str | None = None) -> str:
    """A count: `1.234`, or `1.234 KPM` with its word."""
    text = number(round(value), 0, lang)
    return f"{text} {word}" if word else text


def plain(value: float, lang: str = "id") -> str:
    """Any other figure: whole numbers grouped, fractions with up to two decimals."""
    if float(value).is_integer() or abs(value) >= 1000:
        return number(round(value), 0, lang)
    return number(value, 2 if abs(value) < 10 else 1, lang)


def value(figure: float | None, unit: str, lang: str = "id") -> str:
    """A headline figure in its unit (MetricConfig.unit: rupiah | percent | count | number)."""
    if figure is None or (isinstance(figure, float) and not math.isfinite(figure)):
        return DASH
    if unit == "rupiah":
        return rupiah(figure, lang)
    if unit == "percent":
        return percent(figure, lang)
    if unit == "count":
        return count(figure, lang)
    return plain(figure, lang)


def to_wib(t: datetime) -> datetime:
    """A time in WIB; naive times are taken as UTC."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(WIB)


def wib_time(t: datetime, lang: str = "id", seconds: bool = False, suffix: bool = True) -> str:
    """`14.02 WIB` (id) or `14:02 WIB` (en); `14.02.05` with seconds. The zone's own abbreviation
    follows `site.timezone` (WITA for Asia/Makassar)."""
    w = to_wib(t)
    sep = "." if _lang(lang) == "id" else ":"
    text = f"{w.hour:02d}{sep}{w.minute:02d}" + (f"{sep}{w.second:02d}" if seconds else "")
    return f"{text} {w.tzname()}" if suffix else text


def wib_datetime(t: datetime, lang: str = "id") -> str:
    """`28 Nov 2026 14.02 WIB`."""
    w = to_wib(t)
    return f"{w.day} {_MONTHS[_lang(lang)][w.month - 1]} {w.year} {wib_time(t, lang)}"


def wib_when(t: datetime, now: datetime, lang: str = "id") -> str:
    """The time alone when it is today in WIB, else the date and time."""
    return wib_time(t, lang) if to_wib(t).date() == to_wib(now).date() else wib_datetime(t, lang)


def day(d: date, lang: str = "id") -> str:
    """A calendar day (already a WIB day, e.g. a trend series key): `28 Nov 2026`."""
    return f"{d.day} {_MONTHS[_lang(lang)][d.month - 1]} {d.year}"


def wib_date_long(t: datetime, lang: str = "id") -> str:
    """`Sabtu, 28 November 2026` (id) or `Saturday, 28 November 2026` (en)."""
    w = to_wib(t)
    lang = _lang(lang)
    return f"{_WEEKDAYS[lang][w.weekday()]}, {w.day} {_MONTHS_LONG[lang][w.month - 1]} {w.year}"


AGE = Vocabulary({
    "now": Words("baru saja", "just now"),
    "seconds": Words("{n} dtk lalu", "{n} s ago"),
    "minutes": Words("{n} mnt lalu", "{n} min ago"),
    "hours": Words("{n} jam lalu", "{n} h ago"),
    "days": Words("{n} hari lalu", "{n} d ago"),
})


def age(seconds: float, lang: str = "id") -> str:
    """How old data is: `baru saja`, `12 dtk lalu`, `3 mnt lalu`, `2 jam lalu`, `4 hari lalu`."""
    s = max(0, int(seconds))
    if s < 5:
        return AGE.say("now", lang)
    if s < 60:
        return AGE.say("seconds", lang, n=s)
    if s < 3600:
        return AGE.say("minutes", lang, n=s // 60)
    if s < 86400:
        return AGE.say("hours", lang, n=s // 3600)
    return AGE.say("days", lang, n=s // 86400)


def plot_config(lang: str, **config) -> dict:
    """A dcc.Graph config in the page's language: Plotly's `id` locale (assets/locale/) names months and
    days on date axes and in hover labels as Indonesians do."""
    return {**config, "locale": "en" if lang == "en" else "id"}
