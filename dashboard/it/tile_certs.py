"""Certificates that expire within `days` (14 by default): soonest first, a fixed number of lines."""

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
    kind: Literal["it_certs"]
    days: int = Field(default=14, ge=1, le=120)
    max_items: int = Field(default=5, ge=1, le=12)


def check(tile: Tile, config: Config) -> list[tuple[str, str]]:
    return []


def layout(tile: Tile, ctx: WallContext) -> html.Div:
    tid = tile.id
    items = [html.Div("", id=dom_id(tid, f"cert-{i}"), className="it-cert is-empty") for i in range(tile.max_items)]
    return html.Div([html.Div(tile.title_in(ctx.lang) or word("certs_title", ctx.lang), className="it-title"),
                     html.Div(items, className="it-cert-list")], **root_attrs(tile), **{"data-count": "0"})


def expiring(it: ItStatus, frame: Frame, days: int) -> list[tuple[float, str, object]]:
    """(days left, service name, expiry) of every certificate expiring within `days`, soonest first."""
    out = []
    for s in it.services.values():
        if s.cert_expires is None:
            continue
        left = (s.cert_expires - frame.now).total_seconds() / 86400
        if left <= days:
            out.append((left, s.name, s.cert_expires))
    return sorted(out, key=lambda x: x[0])


def leaves(tile: Tile, ctx: WallContext, frame: Frame) -> Leaves:
    tid, lang = tile.id, ctx.lang
    found = expiring(frame.snapshot.it or ItStatus(), frame, tile.days)
    out: Leaves = {(dom_id(tid), "data-count"): str(len(found)),
                   (dom_id(tid), "data-updated"): iso(frame.snapshot.read_at)}
    for i in range(tile.max_items):
        if i < len(found):
            left, name, expires = found[i]
            line = word("cert_line", lang, name=name, date=formatting.day(formatting.to_wib(expires).date(), lang),
                        days=max(0, int(left)))
            cls = "it-cert " + ("is-critical" if left < 7 else "is-warning")
        elif i == 0:
            line, cls = word("certs_none", lang, days=tile.days), "it-cert is-ok"
        else:
            line, cls = "", "it-cert is-empty"
        out[(dom_id(tid, f"cert-{i}"), "children")] = line
        out[(dom_id(tid, f"cert-{i}"), "className")] = cls
    return out
