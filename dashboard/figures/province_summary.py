"""The province in one look: each application's headline figure with its trend against yesterday
and last week, the active alerts in plain words, and a status per kab/kota.

Read from the derived state only (core/streams.py): `app_regions` (every application's figures by
region), `app_trend` (daily series, the last value of each WIB day) and `cc:alerts:active`, in one
pipelined round trip. The governor's screen shows the province; the meeting room the same figures
for one kab/kota.

A comparison takes the figure as it stood at the end of the WIB day in question: the series' last
point on or before that day (a day without records keeps the day before's value). Without such a
point the screen says "belum ada pembanding" rather than inventing a number.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

from core.alerts import Alert
from core.config import APPLICATIONS, Config
from core.health import FeedHealth
from core.redis import REDIS_ERRORS
from core.regions import KABKOTA, PROVINCE_CODE
from core.streams import active_alerts, app_regions, app_trend, from_iso, json_fields, utc_now
from dashboard.figures.specs import SPECS
from dashboard.text import formatting
from dashboard.text.i18n import text
from dashboard.tiles.base import Freshness
from dashboard.tiles.map import Geometry, MapPaint, color_for

log = logging.getLogger("dashboard.figures.province_summary")

Figures = dict[str, Any]
Series = dict[str, float]  # WIB day 'YYYY-MM-DD' -> value
Direction = Literal["up_good", "up_bad", "neutral"]
Tone = Literal["good", "bad", "flat", "neutral", "none"]
SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}
DEFAULT_STALE_S = 300.0


# ---- what each application's headline figure is ------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """One application's headline figure in a region: its label, value, how it reads, and its series."""

    label_id: str
    label_en: str
    value: float | None
    kind: str  # count | percent | rupiah | number
    series: str  # the name of its daily series in app_trend
    detail: Callable[[str], str]  # the line under the figure, in a language

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_id


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None


def _count(v: Any, lang: str) -> str:
    n = _num(v)
    return formatting.count(n, lang) if n is not None else formatting.DASH


def _bansos(f: Figures) -> Pick:
    return Pick("Progres penyaluran", "Disbursement progress", _num(f.get("progress_pct")), "percent",
                "progress_pct",
                lambda lang: text("gov_detail_bansos", lang, paid=_count(f.get("kpm_tersalur"), lang),
                                  target=_count(f.get("target_kpm"), lang)))


def _pormas(f: Figures) -> Pick:
    return Pick("Pengaduan terbuka", "Open complaints", _num(f.get("open")), "count", "open",
                lambda lang: text("gov_detail_pormas", lang, n=_count(f.get("sla_breach"), lang)))


def _cctv(f: Figures) -> Pick:
    pct = _num(f.get("aktif_pct"))
    return Pick("Kamera aktif", "Cameras active", _num(f.get("aktif")), "count", "aktif",
                lambda lang: text("gov_detail_cctv", lang, n=_count(f.get("kamera"), lang),
                                  pct=formatting.percent(pct, lang) if pct is not None else formatting.DASH))


INDICATORS = ("kemiskinan", "pengangguran")  # the BPS figures a governor is asked about first (config.yaml)


def _statistik(f: Figures) -> Pick | None:
    indicators = f.get("indicators") or {}
    if not indicators:
        return None
    key = next((k for k in INDICATORS if k in indicators), min(indicators))
    ind = indicators[key] or {}
    name = str(ind.get("name") or key)
    unit = str(ind.get("satuan") or "").strip().lower()
    kind = "percent" if unit in ("persen", "%") else "number"
    return Pick(name, name, _num(ind.get("nilai")), kind, f"nilai:{key}",
                lambda lang: text("gov_detail_statistik", lang, periode=str(ind.get("periode") or ""),
                                  tahun=str(ind.get("tahun") or "")).strip())


def _yankes(f: Figures) -> Pick:
    return Pick("Keterisian tempat tidur", "Bed occupancy", _num(f.get("keterisian_pct")), "percent",
                "keterisian_pct",
                lambda lang: text("gov_detail_yankes", lang, occupied=_count(f.get("terisi"), lang),
                                  beds=_count(f.get("kapasitas"), lang)))


def _lpse(f: Figures) -> Pick:
    return Pick("HPS tender aktif", "HPS of active tenders", _num(f.get("hps_aktif")), "rupiah", "hps_aktif",
                lambda lang: text("gov_detail_lpse", lang, active=_count(f.get("aktif"), lang),
                                  late=_count(f.get("terlambat"), lang)))


STAPLE = ("beras_medium", "beras_medium_i", "beras")  # the price a governor is asked about first


def _disikap(f: Figures) -> Pick | None:
    commodities = f.get("commodities") or {}
    if not commodities:
        return None
    key = next((k for k in STAPLE if k in commodities), None) or next(
        (k for k in sorted(commodities) if k.startswith("beras")), min(commodities))
    c = commodities[key] or {}
    name = str(c.get("name") or key)
    return Pick(f"Harga {name}", f"Price of {name}", _num(c.get("harga")), "rupiah", f"harga:{key}",
                lambda lang: text("gov_detail_disikap", lang, n=_count(f.get("above_reference"), lang)))


@dataclass(frozen=True)
class Headline:
    """How an application's headline is taken from its figures, and which way is better."""

    app: str
    pick: Callable[[Figures], Pick | None]
    direction: Direction


HEADLINES: dict[str, Headline] = {h.app: h for h in (
    Headline("e-bansos", _bansos, "up_good"),
    Headline("e-pormas", _pormas, "up_bad"),
    Headline("e-cctv", _cctv, "up_good"),
    Headline("e-statistik", _statistik, "neutral"),
    Headline("e-yankes", _yankes, "up_bad"),
    Headline("e-lpse", _lpse, "neutral"),
    Headline("e-disikap", _disikap, "up_bad"),
)}
assert tuple(HEADLINES) == APPLICATIONS


# ---- trend against yesterday and last week ----------------------------------------------------------


def value_on(series: Series | None, day: date) -> float | None:
    """The figure as it stood at the end of a WIB day: the series' last point on or before it."""
    wanted = day.isoformat()
    best: tuple[str, float] | None = None
    for d, v in (series or {}).items():
        if d <= wanted and (best is None or d > best[0]) and _num(v) is not None:
            best = (d, float(v))
    return best[1] if best else None


@dataclass(frozen=True)
class Change:
    """A figure now against its value `days` WIB days ago; `base` None when there is nothing to compare."""

    days: int
    current: float | None
    base: float | None

    @property
    def comparable(self) -> bool:
        return self.current is not None and self.base is not None

    @property
    def delta(self) -> float | None:
        return self.current - self.base if self.comparable else None

    @property
    def relative_pct(self) -> float | None:
        """The change in % of the earlier value; None when that was 0 (no meaningful ratio)."""
        if not self.comparable or self.base == 0:
            return None
        return (self.current - self.base) / abs(self.base) * 100.0


def change(series: Series | None, current: float | None, today: date, days: int) -> Change:
    """The figure now against the end of the WIB day `days` before `today`."""
    return Change(days, current, value_on(series, today - timedelta(days=days)))


def _since(days: int) -> str:
    return "yesterday" if days == 1 else "last_week"


def _small(value: float, lang: str) -> str:
    """A change's size with one decimal, two when it is under 0,1 (so a real change never reads 0,0)."""
    v = abs(value)
    return formatting.number(v, 1 if round(v, 1) >= 0.1 else 2, lang)


def change_text(c: Change, kind: str, lang: str) -> str:
    """'▲ 3,2 % dari kemarin', '▼ 1,5 poin dari minggu lalu', '= sama dengan kemarin' or
    'belum ada pembanding'."""
    since = _since(c.days)
    if not c.comparable:
        return text("gov_no_comparison", lang)
    delta = c.delta
    if delta == 0 or abs(delta) < 1e-9:
        return text(f"gov_same_{since}", lang)
    arrow = "▲" if delta > 0 else "▼"
    if kind == "percent":  # a share changes by percentage points, not by a % of itself
        size = f"{_small(delta, lang)} {text('gov_points', lang)}"
    elif c.relative_pct is None:  # from zero: the change itself, in the figure's unit
        size = formatting.value(abs(delta), kind, lang)
    else:
        size = f"{_small(c.relative_pct, lang)} %"
    return f"{arrow} {size} {text(f'gov_since_{since}', lang)}"


def change_tone(c: Change, direction: Direction) -> Tone:
    """Whether the change is good news (green), bad news (red), no change, or neither."""
    if not c.comparable:
        return "none"
    if abs(c.delta) < 1e-9:
        return "flat"
    if direction == "neutral":
        return "neutral"
    return "good" if (c.delta > 0) == (direction == "up_good") else "bad"


# ---- reading Redis ------------------------------------------------------------------------------------



def _alerts(mapping: dict | None) -> list[Alert]:
    out = []
    for v in (mapping or {}).values():
        try:
            out.append(Alert.decode(v))
        except (TypeError, ValueError, KeyError):
            continue
    return sorted(out, key=alert_order)


def alert_order(a: Alert) -> tuple:
    """Most serious first, then by application, region and message (a stable list on the screen)."""
    app = APPLICATIONS.index(a.source) if a.source in APPLICATIONS else len(APPLICATIONS)
    return SEVERITY_RANK.get(a.severity, 3), app, a.region, a.message


@dataclass(frozen=True)
class SummaryData:
    """Everything the province summary shows, as read at `read_at`."""

    region: str  # whose trends were read: "36" for the province, or a kab/kota
    regions: dict[str, dict[str, Figures]]  # application -> region code -> figures
    trends: dict[str, dict[str, Series]]  # application -> series name -> {day: value}, for `region`
    alerts: tuple[Alert, ...]  # every active alert, most serious first
    read_at: datetime


def read(client, region: str = PROVINCE_CODE, now: datetime | None = None) -> SummaryData:
    """Every application's figures by region, the trends of `region` and the active alerts: one round trip."""
    with client.pipeline(transaction=False) as pipe:
        for app in APPLICATIONS:
            pipe.hgetall(app_regions(app))
            pipe.hgetall(app_trend(app, region))
        pipe.hgetall(active_alerts())
        answers = pipe.execute()
    regions = {app: json_fields(answers[2 * i]) for i, app in enumerate(APPLICATIONS)}
    trends = {app: json_fields(answers[2 * i + 1]) for i, app in enumerate(APPLICATIONS)}
    return SummaryData(region, regions, trends, tuple(_alerts(answers[-1])), now or utc_now())


# ---- one application's figure as a screen shows it ----------------------------------------------------


@dataclass(frozen=True)
class AppFigure:
    """An application's headline in one region, with its comparisons, ready to show."""

    app: str
    pick: Pick | None
    yesterday: Change
    last_week: Change
    updated: datetime | None  # the newest record behind the figure

    def value_text(self, lang: str) -> str:
        return formatting.value(self.pick.value, self.pick.kind, lang) if self.pick else formatting.DASH

    def label(self, lang: str) -> str:
        return self.pick.label(lang) if self.pick else text("no_data", lang)

    def detail(self, lang: str) -> str:
        return self.pick.detail(lang) if self.pick and self.pick.value is not None else ""

    def change_text(self, which: Literal["yesterday", "last_week"], lang: str) -> str:
        c = self.yesterday if which == "yesterday" else self.last_week
        return change_text(c, self.pick.kind if self.pick else "number", lang)

    def tone(self, which: Literal["yesterday", "last_week"]) -> Tone:
        c = self.yesterday if which == "yesterday" else self.last_week
        return change_tone(c, HEADLINES[self.app].direction)


def updated_at(figures: Figures) -> datetime | None:
    try:
        return from_iso(str(figures["updated"])) if figures.get("updated") else None
    except ValueError:
        return None


def app_figure(data: SummaryData, app: str, today: date, region: str | None = None) -> AppFigure:
    """The headline of `app` in `region` (default: the region whose trends were read)."""
    region = region or data.region
    figures = (data.regions.get(app) or {}).get(region) or {}
    pick = HEADLINES[app].pick(figures) if figures else None
    series = (data.trends.get(app) or {}).get(pick.series) if pick and region == data.region else None
    current = pick.value if pick else None
    return AppFigure(app, pick, change(series, current, today, 1), change(series, current, today, 7),
                     updated_at(figures))


def app_freshness(app: str, updated: datetime | None, health: dict[str, FeedHealth], config: Config,
                  now: datetime, redis_ok: bool = True) -> Freshness:
    """How current an application's figures are: the later of the newest record and the last success
    of its feeds; stale past the longest stale_after of its feeds, without data, or while Redis is down."""
    feeds = [f for f, feed in config.feeds.items() if feed.application == app]
    successes = [h.last_success for f in feeds if (h := health.get(f)) and h.last_success]
    latest = max([t for t in [updated, *successes] if t], default=None)
    stale_after = max((float(config.feeds[f].stale_after) for f in feeds), default=DEFAULT_STALE_S)
    age_s = max(0.0, (now - latest).total_seconds()) if latest else None
    return Freshness(latest, latest is None or age_s > stale_after or not redis_ok, age_s)


# ---- alerts: what is red and why, and where a tap on one leads ----------------------------------------


def alert_href(alert: Alert, lang: str = "id") -> str:
    """The application page at the alert's region and unit."""
    if alert.source not in SPECS:
        return "/"
    query: dict[str, str] = {}
    if alert.region and (alert.region in KABKOTA or alert.region == PROVINCE_CODE):
        query["wilayah"] = alert.region
        if alert.unit:
            query["unit"] = alert.unit
    if lang == "en":
        query["lang"] = "en"
    return f"/app/{alert.source}" + ("?" + urlencode(query) if query else "")


def app_href(app: str, lang: str = "id", region: str | None = None) -> str:
    """An application's page, at a kab/kota when one is given."""
    query = {k: v for k, v in (("wilayah", region if region and region != PROVINCE_CODE else None),
                               ("lang", "en" if lang == "en" else None)) if v}
    return f"/app/{app}" + ("?" + urlencode(query) if query else "")


def alerts_by_app(alerts: tuple[Alert, ...]) -> dict[str, list[Alert]]:
    out: dict[str, list[Alert]] = {}
    for a in alerts:
        out.setdefault(a.source, []).append(a)
    return out


def worst(alerts: list[Alert]) -> str | None:
    """The most serious severity among alerts, or None."""
    return min((a.severity for a in alerts), key=lambda s: SEVERITY_RANK.get(s, 3), default=None)


# ---- the map: each kab/kota's status ------------------------------------------------------------------


def region_score(alerts: list[Alert]) -> int:
    """How red a kab/kota is: a warning counts 1, a critical alert 3 (at most 3: red)."""
    return min(3, sum(3 if a.severity == "critical" else 1 for a in alerts
                      if a.severity in ("critical", "warning")))


def region_app(code: str, data: SummaryData) -> str:
    """The application a tap on a kab/kota opens: the one with the most serious alerts there, else the
    first one with figures for it."""
    here = [a for a in data.alerts if a.region == code]
    if here:
        return here[0].source if here[0].source in SPECS else APPLICATIONS[0]
    return next((app for app in APPLICATIONS if code in (data.regions.get(app) or {})), APPLICATIONS[0])


def status_paint(geometry: Geometry, data: SummaryData, lang: str, highlight: str | None = None) -> MapPaint:
    """The kab/kota coloured by their active alerts (green: none, amber, red), labelled with their count."""
    colors, labels = [], []
    for r in geometry.regions:
        here = [a for a in data.alerts if a.region == r.code]
        colors.append(color_for(float(region_score(here)), 0.0, 3.0, True))
        name = f"▶ {r.name}" if r.code == highlight else r.name
        # Green says "clear" by itself; a count only where there is something (fewer crowded labels).
        count = f"<br>{text('gov_alerts_count', lang, n=len(here))}" if here else ""
        labels.append(f"<b>{name}</b>{count}")
    return MapPaint(tuple(colors), tuple(labels), geometry)


# ---- one read for every open screen ------------------------------------------------------------------


class SummaryCache:
    """The last read per region, shared by every screen of this process: however many screens are
    open, Redis is read at most once per `max_age` seconds per region. While Redis cannot be read the
    last data stays (the screens mark it stale by its age)."""

    def __init__(self, client, max_age: float = 2.0):
        self.client = client
        self.max_age = max_age
        self._kept: dict[str, tuple[float, SummaryData]] = {}
        self._failed_at: dict[str, float] = {}

    async def get(self, region: str = PROVINCE_CODE) -> SummaryData | None:
        """The summary of `region`, read again when older than max_age; None until a first read works."""
        now = time.monotonic()
        kept = self._kept.get(region)
        if kept and now - kept[0] < self.max_age:
            return kept[1]
        if now - self._failed_at.get(region, -math.inf) < self.max_age:
            return kept[1] if kept else None  # do not hammer a Redis that is away
        try:
            data = await asyncio.to_thread(read, self.client, region)
        except REDIS_ERRORS as exc:
            if region not in self._failed_at:
                log.warning("reading the province summary failed: %s; screens keep the last data", exc)
            self._failed_at[region] = now
            return kept[1] if kept else None
        self._failed_at.pop(region, None)
        self._kept[region] = (time.monotonic(), data)
        return data
