"""A headline figure: application, label, value, regions covered, the extreme kab/kota, freshness."""

from __future__ import annotations

from typing import Literal

from dash import html

from core.config import Config
from core.regions import KABKOTA, PROVINCE_CODE
from dashboard.live.snapshot import Frame
from dashboard.text import definitions, formatting
from dashboard.text.i18n import application_name, text
from dashboard.tiles.base import Leaves, TileBase, WallContext, dom_id, iso, metric_freshness, root_attrs


class Tile(TileBase):
    kind: Literal["metric"]
    metric: str


def check(tile: Tile, config: Config) -> list[tuple[str, str]]:
    """The metric must be one of config.yaml's."""
    if tile.metric not in config.metrics:
        return [("metric", f"unknown metric '{tile.metric}'")]
    return []


def _label(tile: Tile, ctx: WallContext) -> str:
    metric = ctx.config.metrics[tile.metric]
    return tile.title_in(ctx.lang) or ((metric.label_en if ctx.lang == "en" else None) or metric.label)


def layout(tile: Tile, ctx: WallContext) -> html.Div:
    """The static tree; every changing part has its own id."""
    metric = ctx.config.metrics[tile.metric]
    tid = tile.id
    return html.Div(
        [
            html.Div(
                [html.Span(metric.application.upper(), className="app-badge"),
                 html.Span(application_name(metric.application, ctx.lang), className="app-name")],
                className="tile-head",
            ),
            html.Div(_label(tile, ctx), className="tile-label has-definition",
                     **definitions.hover(definitions.metric(metric), ctx.lang)),
            html.Div(formatting.DASH, id=dom_id(tid, "value"), className="tile-value", **{"data-value": ""}),
            html.Div("", id=dom_id(tid, "sub"), className="tile-sub"),
            html.Div("", id=dom_id(tid, "extreme"), className="tile-extreme"),
            html.Div(
                [html.Span(className="fresh-dot"),
                 html.Span("", id=dom_id(tid, "age"), className="tile-age"),
                 html.Span(text("stale_mark", ctx.lang), className="stale-mark")],
                className="tile-foot",
            ),
        ],
        **root_attrs(tile, f"app-{metric.application}"),
        **{"data-metric": tile.metric, "data-stale": "true"},
    )


def _size_class(shown: str) -> str:
    """Long values get a smaller font so `Rp 845,3 M` fits where `87,4 %` does."""
    n = len(shown)
    return "len-s" if n <= 6 else "len-m" if n <= 8 else "len-l" if n <= 10 else "len-xl"


def region_lines(metric_id: str, frame: Frame, ctx: WallContext) -> tuple[str, str]:
    """The sub-line (regions covered) and the extreme kab/kota (worst when higher is worse, else lowest)."""
    metric = ctx.config.metrics[metric_id]
    figure = frame.snapshot.kpis.get(metric_id)
    if figure is None or figure.value is None:
        return "", ""
    regions = {code: v for code, v in figure.regions.items() if code in KABKOTA and v is not None}
    lang = ctx.lang
    if regions:
        sub = text("regions", lang, n=len(regions), total=len(KABKOTA))
    elif metric.headline_region == PROVINCE_CODE or ctx.config.feeds[metric.feed].region_code == PROVINCE_CODE:
        sub = text("province_wide", lang)
    else:
        sub = text("entities", lang, n=formatting.count(figure.entities, lang))
    extreme = ""
    if len(regions) >= 2:
        pick = max if metric.higher_is_worse else min
        code = pick(regions, key=regions.get)
        key = "highest" if metric.higher_is_worse else "lowest"
        extreme = text(key, lang, name=KABKOTA[code].short, value=formatting.value(regions[code], metric.unit, lang))
    return sub, extreme


def leaves(tile: Tile, ctx: WallContext, frame: Frame) -> Leaves:
    """Value, sub-lines, freshness and the stale look, for the current frame."""
    metric = ctx.config.metrics[tile.metric]
    figure = frame.snapshot.kpis.get(tile.metric)
    value = figure.value if figure else None
    fresh = metric_freshness(tile.metric, frame, ctx.config)
    shown = formatting.value(value, metric.unit, ctx.lang)
    sub, extreme = region_lines(tile.metric, frame, ctx)
    root, tid = dom_id(tile.id), tile.id
    classes = ["tile", "tile-metric", f"app-{metric.application}"]
    if fresh.stale:
        classes.append("is-stale")
    if value is None:
        classes.append("no-data")
    return {
        (root, "className"): " ".join(classes),
        (root, "data-updated"): iso(fresh.updated),
        (root, "data-stale"): "true" if fresh.stale else "false",
        (dom_id(tid, "value"), "children"): shown,
        (dom_id(tid, "value"), "className"): f"tile-value {_size_class(shown)}",
        (dom_id(tid, "value"), "data-value"): "" if value is None else repr(float(value)),
        (dom_id(tid, "sub"), "children"): sub,
        (dom_id(tid, "extreme"), "children"): extreme,
        (dom_id(tid, "age"), "children"): fresh.age_text(ctx.lang),
    }
