"""Banten's 8 kab/kota coloured by one metric's figure per region.

Drawn with plain `go.Scatter` on equal-aspect axes: Plotly's geo and MapLibre traces fetch base
maps, styles and fonts from the internet and draw nothing offline, and a command center must draw
without the internet. The kab/kota polygons come from `dashboard.geojson` (by default the file
shipped in dashboard/maps/; feature `id` = BPS code, lon/lat) as filled paths; with no usable
file, each kab/kota is a coloured dot at its seat.
After the first render only colours and labels change, sent as a `dash.Patch`.

With `cameras: true` the cameras (config's and the camera listings') are drawn on top, coloured by
their state (from the video gateway's status in Redis); hovering or clicking one shows its latest snapshot
(assets/cctv/camera-map.js, in the browser: no callback, no redraw).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go
from dash import Patch, dcc, html

from core.config import SHIPPED_GEOJSON, Config, ConfigError, ConfigProblem
from core.regions import KABKOTA, normalize_region
from dashboard.live.snapshot import Frame
from dashboard.text import formatting
from dashboard.text.i18n import text
from dashboard.tiles.base import Leaves, TileBase, WallContext, dom_id, iso, metric_freshness, root_attrs
from dashboard.tiles.camera_list import camera_state

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger("dashboard.map")

# Good -> bad, on a dark wall; regions without a figure stay grey.
GOOD, MID, BAD = (47, 158, 115), (224, 176, 50), (217, 72, 59)
NO_DATA = "#3a4455"
BORDER = "#0b1220"
LABEL_COLOR = "#f1f5f9"
LABEL_SIZE = 13  # px at 1920x1080; the wall CSS scales SVG text with the screen
SEAT_SIZE = 40
# Outlines are simplified to about a pixel of a full-screen map (0.002 degrees is ~220 m): fewer
# points make every redraw cheaper for the wall's browser, with no visible difference.
SIMPLIFY_DEG = 0.002
SEAT_LABEL_GAP = 0.03  # degrees between a seat's dot and its label

# Where a label sits when a kab/kota's own centroid is crowded (lon, lat, plotly textposition).
LABEL_AT: dict[str, tuple[float, float, str]] = {
    "3604": (106.29, -5.99, "middle center"),  # Kab. Serang: its centroid sits on Kota Serang
    "3673": (106.17, -6.13, "middle center"),
    "3672": (105.98, -5.99, "middle left"),    # Cilegon: small, at the western tip
    "3671": (106.64, -6.05, "top center"),     # Kota Tangerang: north of itself, above the coast
    "3674": (106.71, -6.40, "bottom center"),  # Tangsel: south of itself, outside the province
    "3603": (106.46, -6.20, "middle center"),
}


# Camera dots by state: live green, stalled amber, offline red, connecting grey-blue.
# Inactive (flagged so, or dropped, by its listing): dark grey. A broken picture (damaged): magenta;
# a codec the gateway does not relay (unsupported): violet.
CAMERA_COLORS = {"live": "#2f9e73", "stalled": "#e0b032", "offline": "#d9483b", "connecting": "#7c8aa5",
                 "inactive": "#4b5563", "damaged": "#c026d3", "unsupported": "#7c3aed"}
CAMERA_SIZE = 16


class Tile(TileBase):
    kind: Literal["map"]
    metric: str
    cameras: bool = False  # draw the cameras, coloured by state, with their snapshot on hover/click


def check(tile: Tile, config: Config) -> list[tuple[str, str]]:
    if tile.metric not in config.metrics:
        return [("metric", f"unknown metric '{tile.metric}'")]
    return []


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    xs: tuple[float | None, ...]  # outline (lon), rings separated by None; a single seat in seat mode
    ys: tuple[float | None, ...]
    label_x: float
    label_y: float
    label_pos: str = "middle center"


@dataclass(frozen=True)
class Geometry:
    """The shapes of the 8 kab/kota, in KABKOTA order: polygons from GeoJSON, or seat points."""

    mode: Literal["polygons", "seats"]
    regions: tuple[Region, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.regions)

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [x for r in self.regions for x in (*r.xs, r.label_x) if x is not None]
        ys = [y for r in self.regions for y in (*r.ys, r.label_y) if y is not None]
        return min(xs), max(xs), min(ys), max(ys)


# Seat mode: where each label goes around its dot, so that neighbours (the two Serangs) do not collide.
SEAT_LABELS: dict[str, str] = {
    "3601": "middle left", "3602": "middle right", "3603": "middle right", "3604": "middle right",
    "3671": "top center", "3672": "middle left", "3673": "middle left", "3674": "bottom center",
}


def seat_geometry() -> Geometry:
    """Each kab/kota as a dot at its seat, labelled beside it."""
    regions = []
    for code, k in KABKOTA.items():
        pos = SEAT_LABELS.get(code, "middle right")
        dx = -SEAT_LABEL_GAP if pos.endswith("left") else SEAT_LABEL_GAP if pos.endswith("right") else 0.0
        dy = SEAT_LABEL_GAP if pos.startswith("top") else -SEAT_LABEL_GAP if pos.startswith("bottom") else 0.0
        regions.append(Region(code, k.short, (k.seat_lon,), (k.seat_lat,), k.seat_lon + dx, k.seat_lat + dy, pos))
    return Geometry("seats", tuple(regions))


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    raise ValueError(f"geometry type {geometry.get('type')!r} is not Polygon or MultiPolygon")


def _ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def _simplify(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """Ramer-Douglas-Peucker: drop points closer than `tolerance` degrees to the line they sit on."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = ring[first][:2], ring[last][:2]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy) or 1e-12
        best, index = 0.0, None
        for i in range(first + 1, last):
            x, y = ring[i][:2]
            d = abs(dy * (x - x0) - dx * (y - y0)) / norm if (dx or dy) else math.hypot(x - x0, y - y0)
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(ring, keep) if k]


def geometry_from_geojson(data: dict) -> Geometry:
    """Polygons of the 8 kab/kota from a GeoJSON FeatureCollection; raises ValueError naming what is wrong."""
    shapes: dict[str, Region] = {}
    for feature in data.get("features") or []:
        props = feature.get("properties") or {}
        code = normalize_region(feature.get("id") or props.get("kode_bps") or props.get("id"))
        if code not in KABKOTA:
            continue
        rings = [_simplify(r, SIMPLIFY_DEG) for r in _rings(feature.get("geometry") or {})]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in rings:
            xs += [float(p[0]) for p in ring] + [None]
            ys += [float(p[1]) for p in ring] + [None]
        largest = max((_ring_area_centroid(r) for r in rings), key=lambda a: a[0])
        lx, ly, pos = LABEL_AT.get(code, (largest[1], largest[2], "middle center"))
        shapes[code] = Region(code, KABKOTA[code].short, tuple(xs[:-1]), tuple(ys[:-1]), lx, ly, pos)
    missing = [c for c in KABKOTA if c not in shapes]
    if missing:
        raise ValueError(f"no feature with id {', '.join(missing)} (features need id = BPS code)")
    return Geometry("polygons", tuple(shapes[c] for c in KABKOTA))


def load_geometry(config: Config) -> Geometry:
    """The map geometry the config asks for: the kab/kota polygons of the shipped file by default.

    The shipped file missing or unreadable (a trimmed install) falls back to seat dots with a
    warning, so the maps still draw; a file the operator configured that is missing or unreadable
    is an error, named by its config path."""
    name = config.dashboard.geojson
    if not name:
        return seat_geometry()
    path = Path(name)
    if not path.is_absolute() and not path.exists():
        path = ROOT / name
    try:
        return geometry_from_geojson(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        reason = f"file not found: {name}"
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        reason = f"not a usable kab/kota GeoJSON: {exc}"
    if name == SHIPPED_GEOJSON:
        log.warning("kab/kota boundaries %s: %s; maps show each kab/kota as a dot at its seat", name, reason)
        return seat_geometry()
    raise ConfigError([ConfigProblem("dashboard.geojson", reason)])


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> str:
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def color_for(value: float | None, low: float, high: float, higher_is_worse: bool) -> str:
    """Green for the best kab/kota, red for the worst, amber between; grey without a figure."""
    if value is None or not math.isfinite(value):
        return NO_DATA
    t = 0.5 if high <= low else (value - low) / (high - low)
    badness = t if higher_is_worse else 1 - t
    return _mix(GOOD, MID, badness * 2) if badness <= 0.5 else _mix(MID, BAD, (badness - 0.5) * 2)


def camera_trace(cameras: list[tuple[str, Any]]) -> go.Scatter:
    """The camera layer: one dot per camera, its id in customdata for the snapshot peek."""
    return go.Scatter(x=[c.lon for _, c in cameras], y=[c.lat for _, c in cameras], mode="markers",
                      marker={"size": CAMERA_SIZE, "color": [CAMERA_COLORS["connecting"]] * len(cameras),
                              "line": {"color": "#ffffff", "width": 2}, "symbol": "square"},
                      customdata=[cid for cid, _ in cameras], text=[c.name for _, c in cameras],
                      hoverinfo="text", name="cameras")


def base_figure(geometry: Geometry, cameras: list[tuple[str, Any]] | None = None) -> dict[str, Any]:
    """The static figure: shapes in grey, labels, hidden equal-aspect axes (and the camera layer)."""
    fig = go.Figure()
    if geometry.mode == "polygons":
        for r in geometry.regions:
            fig.add_trace(go.Scatter(x=list(r.xs), y=list(r.ys), mode="lines", fill="toself", fillcolor=NO_DATA,
                                     line={"color": BORDER, "width": 1.5}, hoverinfo="skip", name=r.code))
    else:
        fig.add_trace(go.Scatter(
            x=[r.xs[0] for r in geometry.regions], y=[r.ys[0] for r in geometry.regions], mode="text",
            text=["●"] * len(geometry.regions), textposition="middle center",
            textfont={"size": SEAT_SIZE, "color": [NO_DATA] * len(geometry.regions)}, hoverinfo="skip", name="seats"))
    fig.add_trace(go.Scatter(
        x=[r.label_x for r in geometry.regions], y=[r.label_y for r in geometry.regions], mode="text",
        text=[r.name for r in geometry.regions], textposition=[r.label_pos for r in geometry.regions],
        textfont={"size": LABEL_SIZE, "color": LABEL_COLOR}, hoverinfo="skip", name="labels"))
    if cameras:
        fig.add_trace(camera_trace(cameras))
    x0, x1, y0, y1 = geometry.bounds()
    if geometry.mode == "polygons":
        pad_x, pad_y = (x1 - x0) * 0.06 + 0.03, (y1 - y0) * 0.04 + 0.03
    else:  # labels reach well past the dots
        pad_x, pad_y = 0.24, 0.09
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        showlegend=False, dragmode=False, hovermode="closest" if cameras else False, autosize=True,
        font={"family": "Inter, 'Noto Sans', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif",
              "color": LABEL_COLOR, "size": LABEL_SIZE},
        xaxis={"visible": False, "range": [x0 - pad_x, x1 + pad_x], "fixedrange": True},
        yaxis={"visible": False, "range": [y0 - pad_y, y1 + pad_y], "fixedrange": True,
               "scaleanchor": "x", "scaleratio": 1},
    )
    return fig.to_plotly_json()


@dataclass(frozen=True)
class MapPaint:
    """What a push changes on the map: one colour and one label per kab/kota."""

    colors: tuple[str, ...]
    labels: tuple[str, ...]
    geometry: Geometry = field(compare=False, repr=False)
    cameras: tuple[tuple[str, Any], ...] = field(default=(), compare=False, repr=False)
    camera_colors: tuple[str, ...] = ()
    camera_texts: tuple[str, ...] = ()

    def figure(self) -> dict[str, Any]:
        """The whole figure, for the first render."""
        fig = base_figure(self.geometry, list(self.cameras))
        self._paint(fig["data"], None)
        return fig

    def as_patch(self, previous: MapPaint | None) -> Patch:
        """Only what changed since `previous` (everything when None)."""
        patch = Patch()
        self._paint(patch["data"], previous)
        return patch

    def _paint(self, data, previous: MapPaint | None) -> None:
        n = len(self.colors)
        if self.geometry.mode == "polygons":
            for i, color in enumerate(self.colors):
                if previous is None or previous.colors[i] != color:
                    data[i]["fillcolor"] = color
        elif previous is None or previous.colors != self.colors:
            data[0]["textfont"]["color"] = list(self.colors)
        labels_at = n if self.geometry.mode == "polygons" else 1
        if previous is None or previous.labels != self.labels:
            data[labels_at]["text"] = list(self.labels)
        if self.cameras and (previous is None or previous.camera_colors != self.camera_colors):
            data[labels_at + 1]["marker"]["color"] = list(self.camera_colors)
        if self.cameras and (previous is None or previous.camera_texts != self.camera_texts):
            data[labels_at + 1]["text"] = list(self.camera_texts)


def paint(tile: Tile, ctx: WallContext, frame: Frame) -> MapPaint:
    """Colours and labels for the metric's current figure per kab/kota."""
    metric = ctx.config.metrics[tile.metric]
    figure = frame.snapshot.kpis.get(tile.metric)
    regions = figure.regions if figure else {}
    known = [v for c, v in regions.items() if c in KABKOTA and v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    colors, labels = [], []
    for r in ctx.geometry.regions:
        v = regions.get(r.code)
        colors.append(color_for(v, low, high, metric.higher_is_worse))
        shown = formatting.value(v, metric.unit, ctx.lang) if v is not None else formatting.DASH
        labels.append(f"<b>{r.name}</b><br>{shown}")
    if not tile.cameras:
        return MapPaint(tuple(colors), tuple(labels), ctx.geometry)
    cameras = tuple(ctx.camera_infos().items())
    states = [camera_state(cid, ctx.config, frame.snapshot) for cid, _ in cameras]
    states = [s if s in CAMERA_COLORS else "connecting" for s in states]
    return MapPaint(tuple(colors), tuple(labels), ctx.geometry, cameras,
                    tuple(CAMERA_COLORS[s] for s in states),
                    tuple(f"{cam.name} — {text(f'cam_state_{s}', ctx.lang)}" for (_, cam), s in zip(cameras, states)))


def _label(tile: Tile, ctx: WallContext) -> str:
    metric = ctx.config.metrics[tile.metric]
    label = (metric.label_en if ctx.lang == "en" else None) or metric.label
    return tile.title_in(ctx.lang) or text("map_title", ctx.lang, label=label)


def layout(tile: Tile, ctx: WallContext) -> html.Div:
    metric = ctx.config.metrics[tile.metric]
    tid = tile.id
    scale = "worse-up" if metric.higher_is_worse else "better-up"
    return html.Div(
        [
            html.Div([html.Span(metric.application.upper(), className="app-badge"),
                      html.Span(_label(tile, ctx), className="tile-label"),
                      html.Div([html.Span(className="fresh-dot"),
                                html.Span("", id=dom_id(tid, "age"), className="tile-age"),
                                html.Span(text("stale_mark", ctx.lang), className="stale-mark")],
                               className="tile-foot")],
                     className="tile-head"),
            dcc.Graph(id=dom_id(tid, "graph"), className=f"map-graph mode-{ctx.geometry.mode}", responsive=True,
                      # A static plot has no hover or click: only the camera layer needs them.
                      config=formatting.plot_config(ctx.lang, staticPlot=not tile.cameras, displayModeBar=False,
                                                    responsive=True)),
            *([html.Div([html.Img(className="map-camera-picture", alt=""),
                         html.Div(text("cam_map_hint", ctx.lang), className="map-camera-caption")],
                        className="map-camera-peek", **{"data-lang": ctx.lang})] if tile.cameras else []),
            html.Div(
                [html.Span("", id=dom_id(tid, "low"), className="legend-end legend-low"),
                 html.Span(className=f"legend-bar {scale}"),
                 html.Span("", id=dom_id(tid, "high"), className="legend-end legend-high")],
                className="map-legend"),
        ],
        **root_attrs(tile, f"app-{metric.application}"),
        **{"data-metric": tile.metric, "data-stale": "true", "data-cameras": "true" if tile.cameras else "false"},
    )


def leaves(tile: Tile, ctx: WallContext, frame: Frame) -> Leaves:
    metric = ctx.config.metrics[tile.metric]
    fresh = metric_freshness(tile.metric, frame, ctx.config)
    figure = frame.snapshot.kpis.get(tile.metric)
    regions = {c: v for c, v in (figure.regions if figure else {}).items() if c in KABKOTA and v is not None}
    low = high = ""
    if regions:
        lo, hi = min(regions, key=regions.get), max(regions, key=regions.get)
        low = f"{KABKOTA[lo].short} {formatting.value(regions[lo], metric.unit, ctx.lang)}"
        high = f"{KABKOTA[hi].short} {formatting.value(regions[hi], metric.unit, ctx.lang)}"
    classes = ["tile", "tile-map", f"app-{metric.application}"] + (["is-stale"] if fresh.stale else [])
    tid = tile.id
    return {
        (dom_id(tid), "className"): " ".join(classes),
        (dom_id(tid), "data-updated"): iso(fresh.updated),
        (dom_id(tid), "data-stale"): "true" if fresh.stale else "false",
        (dom_id(tid, "graph"), "figure"): paint(tile, ctx, frame),
        (dom_id(tid, "low"), "children"): low,
        (dom_id(tid, "high"), "children"): high,
        (dom_id(tid, "age"), "children"): fresh.age_text(ctx.lang),
    }
