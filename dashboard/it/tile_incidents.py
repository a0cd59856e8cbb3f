"""Open IT incidents on the wall: each root cause once, with how many services it takes down with it."""

from __future__ import annotations

from typing import Literal

from dash import html
from pydantic import Field

from core.config import Config
from dashboard.it.status import ItStatus
from dashboard.it.words import word
from dashboard.live.snapshot import Frame
from dashboard.text import formatting
from dashboard.tiles.base import Leaves, TileBase, WallContext, dom_id, iso, root_attrs


class Tile(TileBase):
    kind: Literal["it_incidents"]
    max_items: int = Field(default=4, ge=1, le=12)


def check(tile: Tile, config: Config) -> list[tuple[str, str]]:
    return []


def layout(tile: Tile, ctx: WallContext) -> html.Div:
    tid = tile.id
    items = [html.Div("", id=dom_id(tid, f"inc-{i}"), className="it-incident is-empty") for i in range(tile.max_items)]
    return html.Div([html.Div(tile.title_in(ctx.lang) or word("summary_title", ctx.lang), className="it-title"),
                     html.Div(items, className="it-incident-list")], **root_attrs(tile), **{"data-count": "0"})


def roots(it: ItStatus) -> list[tuple[object, int]]:
    """Every DOWN service that is its own root cause, with the number of others down under it; longest first."""
    under: dict[str, int] = {}
    for s in it.services.values():
        if s.state == "down" and s.suppressed_by:
            under[s.suppressed_by] = under.get(s.suppressed_by, 0) + 1
    out = [(s, under.get(s.id, 0)) for s in it.services.values() if s.state == "down" and not s.suppressed_by]
    return sorted(out, key=lambda x: (-x[1], x[0].since.timestamp() if x[0].since else 0))


def leaves(tile: Tile, ctx: WallContext, frame: Frame) -> Leaves:
    tid, lang = tile.id, ctx.lang
    found = roots(frame.snapshot.it or ItStatus())
    out: Leaves = {(dom_id(tid), "data-count"): str(len(found)),
                   (dom_id(tid), "data-updated"): iso(frame.snapshot.read_at)}
    for i in range(tile.max_items):
        if i < len(found):
            s, n = found[i]
            line = word("incident_line", lang, name=s.name,
                        since=formatting.wib_when(s.since, frame.now, lang) if s.since else "?")
            line += word("incident_more", lang, n=n) if n else ""
            cls = "it-incident sev-critical"
        elif i == 0:
            line, cls = word("incidents_none", lang), "it-incident sev-ok"
        else:
            line, cls = "", "it-incident is-empty"
        out[(dom_id(tid, f"inc-{i}"), "children")] = line
        out[(dom_id(tid, f"inc-{i}"), "className")] = cls
    return out
