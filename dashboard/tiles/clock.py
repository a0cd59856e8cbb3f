"""The wall clock: WIB from the server's clock, pushed every second (walls' own clocks drift)."""

from __future__ import annotations

from typing import Literal

from dash import html

from core.config import Config
from dashboard.live.snapshot import Frame
from dashboard.text import formatting
from dashboard.text.i18n import text
from dashboard.tiles.base import Leaves, TileBase, WallContext, dom_id, iso, root_attrs


class Tile(TileBase):
    kind: Literal["clock"]
    show_date: bool = True
    show_seconds: bool = True


def check(tile: Tile, config: Config) -> list[tuple[str, str]]:
    return []


def layout(tile: Tile, ctx: WallContext) -> html.Div:
    return html.Div(
        [
            html.Div(
                [html.Span("", id=dom_id(tile.id, "time"), className="clock-time tile-value"),
                 html.Span(text("clock_zone", ctx.lang), className="clock-zone")],
                className="clock-line",
            ),
            html.Div("", id=dom_id(tile.id, "date"), className="clock-date",
                     style=None if tile.show_date else {"display": "none"}),
            html.Div(tile.title_in(ctx.lang) or text("province", ctx.lang), className="clock-place"),
        ],
        **root_attrs(tile),
    )


def leaves(tile: Tile, ctx: WallContext, frame: Frame) -> Leaves:
    now = frame.now.replace(microsecond=0)
    return {
        (dom_id(tile.id), "data-updated"): iso(now),
        (dom_id(tile.id, "time"), "children"): formatting.wib_time(now, ctx.lang, seconds=tile.show_seconds,
                                                                   suffix=False),
        (dom_id(tile.id, "date"), "children"): formatting.wib_date_long(now, ctx.lang),
    }
