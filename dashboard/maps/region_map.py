"""The kab/kota map of an application's measure, as the application page, the governor's screen,
the public portal and the meeting room draw it: coloured and labelled by the measure (tiles/map.py
MapPaint), with an invisible layer at the labels that takes the clicks."""

from __future__ import annotations

from core.regions import KABKOTA
from dashboard.figures.specs import Measure
from dashboard.figures.view import View
from dashboard.text import formatting
from dashboard.tiles.map import Geometry, MapPaint, color_for


def map_paint(geometry: Geometry, regions: dict[str, dict], measure: Measure, view: View) -> MapPaint:
    """The kab/kota coloured by the application's map measure, labelled with its value (tiles/map.py)."""
    values = {c: measure.of(f) for c, f in regions.items() if c in KABKOTA}
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    colors, labels = [], []
    for r in geometry.regions:
        v = values.get(r.code)
        colors.append(color_for(v, low, high, measure.higher_is_worse))
        shown = formatting.value(v, measure.kind, view.lang) if v is not None else formatting.DASH
        name = f"▶ {r.name}" if r.code == view.region else r.name
        labels.append(f"<b>{name}</b><br>{shown}")
    return MapPaint(tuple(colors), tuple(labels), geometry)


def map_figure(geometry: Geometry) -> dict:
    """The map as tiles/map.py draws it, plus an invisible layer at the labels that takes the clicks."""
    fig = MapPaint(tuple(["#3a4455"] * len(geometry.regions)), tuple(r.name for r in geometry.regions),
                   geometry).figure()
    fig["data"].append({"type": "scatter", "mode": "markers", "x": [r.label_x for r in geometry.regions],
                        "y": [r.label_y for r in geometry.regions], "customdata": list(geometry.codes),
                        "text": [r.name for r in geometry.regions], "hoverinfo": "text", "name": "pick",
                        "marker": {"size": 34, "opacity": 0.01, "color": "#ffffff"}})
    # The nearest kab/kota takes a click anywhere on the map (8 regions: a nearest-label pick is enough).
    fig["layout"].update(hovermode="closest", hoverdistance=-1)
    return fig


def map_patch(paint: MapPaint, geometry: Geometry, view: View):
    patch = paint.as_patch(None)
    if geometry.mode == "polygons":
        for i, r in enumerate(geometry.regions):
            selected = r.code == view.region
            patch["data"][i]["line"] = {"color": "#f3f6fb" if selected else "#0b1220", "width": 3 if selected else 1.5}
    return patch
