"""Each application's headline figure, as the governor's screen and the meeting room show it: which
number of its figures, its label, the line under it, its daily series and which way is better.

The seven built-in applications have their own (HEADLINES); any other application's headline is
the figure its page spec's map shows (dashboard/figures/specs.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from dashboard.figures.specs import SPECS
from dashboard.text import formatting
from dashboard.text.i18n import text
from dashboard.text.words import Words

Figures = dict[str, Any]
Direction = Literal["up_good", "up_bad", "neutral"]


@dataclass(frozen=True)
class Pick:
    """One application's headline figure in a region: its label (`name`), value, how it reads, and its series."""

    name: Words
    value: float | None
    kind: str  # count | percent | rupiah | number
    series: str  # the name of its daily series in app_trend
    detail: Callable[[str], str]  # the line under the figure, in a language


def finite(v: Any) -> float | None:
    """A figure's number, None when it is missing, not a number or not finite."""
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None


def _count(v: Any, lang: str) -> str:
    n = finite(v)
    return formatting.count(n, lang) if n is not None else formatting.DASH


def _bansos(f: Figures) -> Pick:
    return Pick(Words("Progres penyaluran", "Disbursement progress"), finite(f.get("progress_pct")), "percent",
                "progress_pct",
                lambda lang: text("gov_detail_bansos", lang, paid=_count(f.get("kpm_tersalur"), lang),
                                  target=_count(f.get("target_kpm"), lang)))


def _pormas(f: Figures) -> Pick:
    return Pick(Words("Pengaduan terbuka", "Open complaints"), finite(f.get("open")), "count", "open",
                lambda lang: text("gov_detail_pormas", lang, n=_count(f.get("sla_breach"), lang)))


def _cctv(f: Figures) -> Pick:
    pct = finite(f.get("aktif_pct"))
    return Pick(Words("Kamera aktif", "Cameras active"), finite(f.get("aktif")), "count", "aktif",
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
    return Pick(Words.same(name), finite(ind.get("nilai")), kind, f"nilai:{key}",
                lambda lang: text("gov_detail_statistik", lang, periode=str(ind.get("periode") or ""),
                                  tahun=str(ind.get("tahun") or "")).strip())


def _yankes(f: Figures) -> Pick:
    return Pick(Words("Keterisian tempat tidur", "Bed occupancy"), finite(f.get("keterisian_pct")), "percent",
                "keterisian_pct",
                lambda lang: text("gov_detail_yankes", lang, occupied=_count(f.get("terisi"), lang),
                                  beds=_count(f.get("kapasitas"), lang)))


def _lpse(f: Figures) -> Pick:
    return Pick(Words("HPS tender aktif", "HPS of active tenders"), finite(f.get("hps_aktif")), "rupiah", "hps_aktif",
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
    return Pick(Words(f"Harga {name}", f"Price of {name}"), finite(c.get("harga")), "rupiah", f"harga:{key}",
                lambda lang: text("gov_detail_disikap", lang, n=_count(f.get("above_reference"), lang)))


@dataclass(frozen=True)
class Headline:
    """How an application's headline is taken from its figures, and which way is better."""

    app: str
    pick: Callable[[Figures], Pick | None]
    direction: Direction


# The seven built-in applications' headlines, as a governor is asked about them; any other
# application's is its page spec's map measure (`headline`).
HEADLINES: dict[str, Headline] = {h.app: h for h in (
    Headline("e-bansos", _bansos, "up_good"),
    Headline("e-pormas", _pormas, "up_bad"),
    Headline("e-cctv", _cctv, "up_good"),
    Headline("e-statistik", _statistik, "neutral"),
    Headline("e-yankes", _yankes, "up_bad"),
    Headline("e-lpse", _lpse, "neutral"),
    Headline("e-disikap", _disikap, "up_bad"),
)}


def _measure_pick(app: str) -> Callable[[Figures], Pick | None]:
    """An application's headline from its page spec: the figure its map shows, without a detail line."""
    def pick(f: Figures) -> Pick | None:
        measure = SPECS[app].map_measure(f)
        return Pick(measure.name, measure.of(f), measure.kind, measure.key, lambda lang: "")
    return pick


def headline(app: str) -> Headline:
    """How `app`'s headline is taken: its own above, else its page spec's map measure."""
    if app in HEADLINES:
        return HEADLINES[app]
    spec = SPECS[app]
    worse_up = spec.map_measure({}).higher_is_worse
    return Headline(app, _measure_pick(app), "up_bad" if worse_up else "up_good")
