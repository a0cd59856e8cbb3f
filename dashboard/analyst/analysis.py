"""The analysts' comparison: one application's measure in chosen regions, day by day over WIB days.

The numbers come from the daily series the derive processors keep per application and region
(core/streams.py `app_trend`: figure name -> JSON {WIB day: last value of that day}, a bounded
window). A measure an application offers is one of those series (dashboard/figures/specs.py
`trend_names` says which and how they read). Reading costs one pipelined round trip: one field of
each chosen region's series hash, plus the province's figures for the names of commodities and
indicators; never a scan of a raw stream.

    choices = measure_choices(client, "e-yankes", ["3671", "3673"])
    comparison = compare(client, "e-yankes", "keterisian_pct", ["3671", "3673"], "2026-11-22", "2026-11-28")
    comparison.last("3673")   # (day, value) of the last day in range with a figure
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.regions import KABKOTA, PROVINCE_CODE, region_name
from core.streams import app_regions, app_trend, as_text
from dashboard.figures.specs import SPECS
from dashboard.text.i18n import text
from dashboard.text.words import Words

# The regions an analyst may compare: the province as a whole, then the kab/kota in BPS order.
REGIONS: tuple[str, ...] = (PROVINCE_CODE,) + tuple(sorted(KABKOTA))
# Where the names of per-key series live in the province's figures (e-Disikap commodities,
# e-Statistik indicators): "harga:beras_medium" reads better as "Harga Beras Medium".
NAMED_PARTS = ("commodities", "indicators")


@dataclass(frozen=True)
class MeasureChoice:
    """A daily series an application offers: its name in the trend hash, its labels and how it reads."""

    app: str
    key: str
    name: Words
    kind: str  # count | number | percent | rupiah (dashboard/text/formatting.py)


def region_label(code: str, lang: str = "id") -> str:
    """A region as the page names it: 'Kota Serang', or the province."""
    return region_name(code, text("province", lang))


def clean_regions(codes: Any) -> tuple[str, ...]:
    """Known region codes only, each once, in the page's order (province first, then BPS order)."""
    wanted = {str(c) for c in (codes or [])}
    return tuple(c for c in REGIONS if c in wanted)


def clean_day(text: Any) -> str | None:
    """A WIB day as 'YYYY-MM-DD', or None for anything that is not a date."""
    try:
        return date.fromisoformat(str(text)[:10]).isoformat() if text else None
    except ValueError:
        return None


def _loads(value: Any) -> Any:
    if value in (None, ""):
        return None
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return None


def _choices(app: str, names: set[str], province: dict | None) -> list[MeasureChoice]:
    spec = SPECS.get(app)
    if spec is None:
        return []
    out = []
    for name, label, kind in spec.trend_names(sorted(names)):
        prefix, _, key = name.partition(":")
        shown = None
        if key:
            for part in NAMED_PARTS:
                shown = (((province or {}).get(part) or {}).get(key) or {}).get("name") or shown
        if shown:  # the spec's label ends with the raw key: put the source's name in its place
            label = Words(label.id[: len(label.id) - len(key)] + str(shown),
                          label.en[: len(label.en) - len(key)] + str(shown))
        out.append(MeasureChoice(app, name, label, kind))
    return out


def measure_choices(client, app: str, regions: Any = ()) -> list[MeasureChoice]:
    """The measures `app` offers in the province and the chosen regions (one pipelined round trip)."""
    if app not in SPECS:
        return []
    places = (PROVINCE_CODE,) + tuple(c for c in clean_regions(regions) if c != PROVINCE_CODE)
    with client.pipeline(transaction=False) as pipe:
        for code in places:
            pipe.hkeys(app_trend(app, code))
        pipe.hget(app_regions(app), PROVINCE_CODE)
        answers = pipe.execute()
    names = {as_text(n) for keys in answers[:-1] for n in keys or ()}
    return _choices(app, names, _loads(answers[-1]))


def measure_kind(app: str, key: str | None) -> str:
    """How a measure's numbers read (count, percent, rupiah, number), from the application's spec."""
    spec = SPECS.get(app)
    named = spec.trend_names([key]) if spec and key else []
    return named[0][2] if named else "number"


def pick_measure(choices: list[MeasureChoice], wanted: str | None) -> MeasureChoice | None:
    """The wanted measure when the application offers it, else its first one."""
    for c in choices:
        if c.key == wanted:
            return c
    return choices[0] if choices else None


@dataclass
class Comparison:
    """One measure in several regions over a range of WIB days (inclusive; None = open)."""

    app: str
    measure: MeasureChoice | None
    regions: tuple[str, ...]
    start: str | None
    end: str | None
    series: dict[str, dict[str, float]] = field(default_factory=dict)  # region -> WIB day -> value

    @property
    def days(self) -> list[str]:
        """Every day in range on which at least one chosen region has a figure, oldest first."""
        return sorted({d for s in self.series.values() for d in s})

    def value(self, region: str, day: str) -> float | None:
        return self.series.get(region, {}).get(day)

    def first(self, region: str) -> tuple[str, float] | None:
        s = self.series.get(region) or {}
        return (min(s), s[min(s)]) if s else None

    def last(self, region: str) -> tuple[str, float] | None:
        s = self.series.get(region) or {}
        return (max(s), s[max(s)]) if s else None

    def change(self, region: str) -> float | None:
        """Last minus first figure in range; None with fewer than two days of figures."""
        s = self.series.get(region) or {}
        if len(s) < 2:
            return None
        return s[max(s)] - s[min(s)]

    @property
    def empty(self) -> bool:
        return not any(self.series.values())


def _in_range(day: str, start: str | None, end: str | None) -> bool:
    return (not start or day >= start) and (not end or day <= end)


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def compare(client, app: str, measure: str | None, regions: Any, start: str | None = None,
            end: str | None = None) -> Comparison:
    """One measure's daily series in each chosen region, cut to the range (one pipelined round trip).

    With no measure named (or one the application does not offer) the application's first measure is
    taken, which needs the names first: a second round trip, only then.
    """
    codes = clean_regions(regions)
    start, end = clean_day(start), clean_day(end)
    if start and end and start > end:
        start, end = end, start
    if app not in SPECS:
        return Comparison(app, None, codes, start, end)
    spec = SPECS[app]
    if not measure or not spec.trend_names([measure]):
        chosen = pick_measure(measure_choices(client, app, codes), None)
        if chosen is None:
            return Comparison(app, None, codes, start, end)
        measure = chosen.key
    with client.pipeline(transaction=False) as pipe:
        for code in codes:
            pipe.hget(app_trend(app, code), measure)
        pipe.hget(app_regions(app), PROVINCE_CODE)
        answers = pipe.execute()
    chosen = _choices(app, {measure}, _loads(answers[-1]))[0]
    series = {}
    for code, raw in zip(codes, answers[:-1]):
        days = _loads(raw) or {}
        series[code] = {d: float(v) for d, v in days.items()
                        if _number(v) is not None and clean_day(d) == d and _in_range(d, start, end)}
    return Comparison(app, chosen, codes, start, end, series)


# ---- the table the page shows and the exports write ----------------------------------------------------

DAY_FIELD = "tanggal"


def region_field(code: str) -> str:
    """The table column of a region ('w3673'): ag-grid field names that do not start with a digit."""
    return f"w{code}"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str  # day | count | number | percent | rupiah


def table_columns(regions: Any, measure: MeasureChoice | None, lang: str) -> list[Column]:
    """The day, then one column per chosen region in the page's order."""
    kind = measure.kind if measure else "number"
    return [Column(DAY_FIELD, text("ana_day", lang), "day")] + [
        Column(region_field(c), region_label(c, lang), kind) for c in clean_regions(regions)]


def table_rows(comparison: Comparison) -> list[dict]:
    """One row per WIB day in range: the day, then each region's figure (None where it has none)."""
    return [{"_id": day, DAY_FIELD: day,
             **{region_field(c): comparison.value(c, day) for c in comparison.regions}}
            for day in comparison.days]


def as_number(v: Any) -> int | float | None:
    """A figure as a file writes it: whole numbers as integers (4, not 4.0), others as they are."""
    v = _number(v)
    if v is None:
        return None
    return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v


def checked_rows(rows: Any, columns: list[Column]) -> list[list]:
    """The rows a page sent back for export, cut to the table's own columns: days as days, figures as numbers.

    The export writes exactly the table on the analyst's screen (the figures of today move while they
    look at it), so it takes the rows the page shows rather than reading again; anything that is not
    a day or a number is dropped, so a file never carries what the table could not have shown.
    """
    out = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        day = clean_day(row.get(DAY_FIELD))
        if day is None or day != row.get(DAY_FIELD):
            continue
        out.append([day] + [as_number(row.get(c.field)) for c in columns[1:]])
    return out
