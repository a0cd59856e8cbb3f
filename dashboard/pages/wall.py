"""A wall page: the header with the outage banner, then the screen's tiles in its grid.

`layout` builds the tree once per page load (already showing the current data); afterwards the
page's persistent callback only sends the leaf props that `render` says have changed.
"""

from __future__ import annotations

from typing import Any

from dash import html
from dash.development.base_component import Component

from dashboard import formatting
from dashboard.i18n import text
from dashboard.layout import Screen
from dashboard.snapshot import Frame
from dashboard.tiles import KINDS
from dashboard.tiles.base import Leaves, WallContext, iso

WALL_ID = "wall"
BANNER_ID = "outage-banner"
BANNER_TEXT_ID = "outage-banner-text"
PAGE = ""  # the group of page-wide leaves (not a tile, never held back)
# Redrawing a figure (the map) costs the wall's browser ~80 ms of CPU, a text update almost
# nothing: figures go in a group of their own, updated at most this often.
FIGURE_RATE = 1.0


def page_leaves(ctx: WallContext, frame: Frame) -> Leaves:
    """The heartbeat the watchdog watches, and the Redis outage banner."""
    redis = frame.snapshot.redis
    down = not redis.ok
    since = redis.down_since or frame.now
    return {
        (WALL_ID, "data-tick"): iso(frame.now.replace(microsecond=0)),
        (BANNER_ID, "className"): "outage-banner is-active" if down else "outage-banner",
        (BANNER_ID, "data-outage"): "true" if down else "false",
        (BANNER_TEXT_ID, "children"): (text("outage", ctx.lang, since=formatting.wib_when(since, frame.now, ctx.lang))
                                       if down else ""),
    }


def render(screen: Screen, ctx: WallContext, frame: Frame) -> dict[str, Leaves]:
    """Every leaf prop of the page for this frame, grouped by tile id (PAGE for the header)."""
    groups = {PAGE: page_leaves(ctx, frame)}
    for tile in screen.tiles:
        for (cid, prop), value in KINDS[tile.kind].leaves(tile, ctx, frame).items():
            group = figure_group(tile.id) if prop == "figure" else tile.id
            groups.setdefault(group, {})[(cid, prop)] = value
    return groups


def figure_group(tile_id: str) -> str:
    return f"{tile_id}#figure"


def rates(screen: Screen, push_rate: float) -> dict[str, float]:
    """The groups that get fewer updates than `push_rate`: each figure at most FIGURE_RATE a second."""
    return {figure_group(t.id): min(push_rate, FIGURE_RATE) for t in screen.tiles}


def _by_id(component: Any, found: dict[str, Component]) -> dict[str, Component]:
    if isinstance(component, Component):
        cid = getattr(component, "id", None)
        if isinstance(cid, str):
            found[cid] = component
        _by_id(getattr(component, "children", None), found)
    elif isinstance(component, (list, tuple)):
        for child in component:
            _by_id(child, found)
    return found


def fill(root: Component, groups: dict[str, Leaves]) -> None:
    """Set the leaf props of a freshly built tree, so the first paint already shows the data."""
    components = _by_id(root, {})
    for leaves in groups.values():
        for (cid, prop), value in leaves.items():
            setattr(components[cid], prop, value.figure() if hasattr(value, "figure") else value)


def layout(screen: Screen, ctx: WallContext, frame: Frame) -> html.Div:
    """The whole wall, built once, showing `frame`."""
    lang = ctx.lang
    grid = screen.grid
    root = html.Div(
        [
            html.Header(
                [
                    html.Div([html.Div(text("province", lang), className="wall-kicker"),
                              html.H1(screen.title_in(lang), className="wall-title")], className="wall-heading"),
                    html.Div([html.Span("!", className="outage-icon"), html.Span("", id=BANNER_TEXT_ID)],
                             id=BANNER_ID, className="outage-banner", role="alert", **{"data-outage": "false"}),
                    html.Div([html.Span(className="live-dot"),
                              html.Span(text("live", lang), className="live-on"),
                              html.Span(text("lost", lang), className="live-off")],
                             id="live-indicator", className="live-indicator"),
                ],
                className="wall-header",
            ),
            html.Main(
                [KINDS[tile.kind].layout(tile, ctx) for tile in screen.tiles],
                className="wall-grid",
                style={"gridTemplateColumns": f"repeat({grid.columns}, minmax(0, 1fr))",
                       "gridTemplateRows": f"repeat({grid.rows}, minmax(0, 1fr))"},
            ),
        ],
        id=WALL_ID,
        className=f"wall wall-{screen.name}",
        lang=lang,
        **{"data-wall": screen.name, "data-lang": lang, "data-tick": ""},
    )
    fill(root, render(screen, ctx, frame))
    return root
