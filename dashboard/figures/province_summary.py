"""The province in one look: each application's headline figure with its trend against yesterday
and last week, the active alerts in plain words, and a status per kab/kota.

Read from the derived state only (core/streams.py): `app_regions` (every application's figures by
region), `app_trend` (daily series, the last value of each WIB day) and `cc:alerts:active`, in one
pipelined round trip. The governor's screen shows the province; the meeting room the same figures
for one kab/kota. Which figure is each application's headline: dashboard/figures/headlines.py.

A comparison takes the figure as it stood at the end of the WIB day in question: the series' last
point on or before that day (a day without records keeps the day before's value). Without such a
point the screen says "belum ada pembanding" rather than inventing a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from urllib.parse import urlencode

from core.alerts import Alert
from core.apps import APPLICATIONS
from core.config import Config
from core.health import FeedHealth
from core.regions import KABKOTA, PROVINCE_CODE
from core.streams import active_alerts, app_regions, app_trend, from_iso, json_fields, utc_now
from dashboard.figures.headlines import HEADLINES, Direction, Figures, Pick, finite, headline  # noqa: F401 (re-exported)
from dashboard.figures.specs import SPECS
from dashboard.text import formatting
from dashboard.text.i18n import text
from dashboard.tiles.base import Freshness
from dashboard.tiles.map import Geometry, MapPaint, color_for

Series = dict[str, float]  # WIB day 'YYYY-MM-DD' -> value
Tone = Literal["good", "bad", "flat", "neutral", "none"]
SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}
DEFAULT_STALE_S = 300.0


# ---- trend against yesterday and last week ----------------------------------------------------------


def value_on(series: Series | None, day: date) -> float | None:
    """The figure as it stood at the end of a WIB day: the series' last point on or before it."""
    wanted = day.isoformat()
    best: tuple[str, float] | None = None
    for d, v in (series or {}).items():
        if d <= wanted and (best is None or d > best[0]) and finite(v) is not None:
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
    ids = tuple(APPLICATIONS)
    with client.pipeline(transaction=False) as pipe:
        for app in ids:
            pipe.hgetall(app_regions(app))
            pipe.hgetall(app_trend(app, region))
        pipe.hgetall(active_alerts())
        answers = pipe.execute()
    regions = {app: json_fields(answers[2 * i]) for i, app in enumerate(ids)}
    trends = {app: json_fields(answers[2 * i + 1]) for i, app in enumerate(ids)}
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
        return self.pick.name(lang) if self.pick else text("no_data", lang)

    def detail(self, lang: str) -> str:
        return self.pick.detail(lang) if self.pick and self.pick.value is not None else ""

    def change_text(self, which: Literal["yesterday", "last_week"], lang: str) -> str:
        c = self.yesterday if which == "yesterday" else self.last_week
        return change_text(c, self.pick.kind if self.pick else "number", lang)

    def tone(self, which: Literal["yesterday", "last_week"]) -> Tone:
        c = self.yesterday if which == "yesterday" else self.last_week
        return change_tone(c, headline(self.app).direction)


def updated_at(figures: Figures) -> datetime | None:
    try:
        return from_iso(str(figures["updated"])) if figures.get("updated") else None
    except ValueError:
        return None


def app_figure(data: SummaryData, app: str, today: date, region: str | None = None) -> AppFigure:
    """The headline of `app` in `region` (default: the region whose trends were read)."""
    region = region or data.region
    figures = (data.regions.get(app) or {}).get(region) or {}
    pick = headline(app).pick(figures) if figures else None
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
