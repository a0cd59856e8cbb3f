"""The incidents wall tile: open incidents by state, overdue by OPD, the oldest open one, and this
week's MTTA / MTTR; the same figures /insiden shows (core/incidents/figures.py), from the wall's
snapshot. Built once; each update sets text leaves only."""

from __future__ import annotations

import json
from typing import Literal

from dash import html
from pydantic import Field

from core.config import Config
from core.incidents.figures import figures
from core.incidents.lifecycle import Incident
from dashboard.incidents.words import span, state_word, w
from dashboard.live.snapshot import Frame
from dashboard.tiles.base import Leaves, TileBase, WallContext, dom_id, iso, root_attrs

SHOWN_STATES = ("baru", "diterima", "ditugaskan", "ditangani", "dialihkan", "dibuka_kembali", "selesai")


class Tile(TileBase):
    kind: Literal["incidents"]
    max_opds: int = Field(default=4, ge=1, le=12)


def check(tile: Tile, config: Config) -> list[tuple[str, str]]:
    return []


def read_incidents(stored: dict) -> tuple[Incident, ...]:
    """The incidents hash as the snapshot keeps it (unreadable entries left out), by id."""
    out = []
    for text in (stored or {}).values():
        try:
            out.append(Incident.from_dict(json.loads(text)))
        except (TypeError, ValueError):
            continue
    return tuple(sorted(out, key=lambda i: i.id))


def layout(tile: Tile, ctx: WallContext) -> html.Div:
    tid, lang = tile.id, ctx.lang
    states = [html.Div([html.Span(state_word(s, lang), className="ins-state-name"),
                        html.Span("0", id=dom_id(tid, f"state-{s}"), className="ins-state-count")],
                       className=f"ins-state ins-{s}") for s in SHOWN_STATES]
    overdue = [html.Div("", id=dom_id(tid, f"late-{i}"), className="ins-late is-empty") for i in range(tile.max_opds)]
    return html.Div([
        html.Div(tile.title_in(lang) or w("title", lang), className="it-title"),
        html.Div([w("open_count", lang), ": ", html.Strong("0", id=dom_id(tid, "open"))], className="ins-open"),
        html.Div(states, className="ins-states"),
        html.Div(w("overdue_by_opd", lang), className="ins-sub"), html.Div(overdue, className="ins-late-list"),
        html.Div("", id=dom_id(tid, "oldest"), className="ins-oldest"),
        html.Div("", id=dom_id(tid, "mtt"), className="ins-mtt"),
    ], **root_attrs(tile), **{"data-open": "0", "data-overdue": "0"})


def leaves(tile: Tile, ctx: WallContext, frame: Frame) -> Leaves:
    tid, lang, config = tile.id, ctx.lang, ctx.config
    found = figures(list(frame.snapshot.incidents), config.incidents, frame.now)
    out: Leaves = {(dom_id(tid), "data-open"): str(found.open),
                   (dom_id(tid), "data-overdue"): str(sum(found.overdue_by_opd.values())),
                   (dom_id(tid), "data-updated"): iso(frame.snapshot.read_at),
                   (dom_id(tid, "open"), "children"): str(found.open)}
    for s in SHOWN_STATES:
        out[(dom_id(tid, f"state-{s}"), "children")] = str(found.by_state.get(s, 0))
    ranked = sorted(found.overdue_by_opd.items(), key=lambda x: (-x[1], x[0]))
    for i in range(tile.max_opds):
        if i < len(ranked):
            opd, n = ranked[i]
            known = config.monitors.opds.get(opd)
            name = (known.short or known.name) if known else (opd or w("unassigned", lang))
            out[(dom_id(tid, f"late-{i}"), "children")] = f"{name}: {n}"
            out[(dom_id(tid, f"late-{i}"), "className")] = "ins-late sev-critical"
        else:
            out[(dom_id(tid, f"late-{i}"), "children")] = ""
            out[(dom_id(tid, f"late-{i}"), "className")] = "ins-late is-empty"
    oldest = found.oldest_open
    out[(dom_id(tid, "oldest"), "children")] = (
        f"{w('oldest', lang)}: {oldest.id} {oldest.title[:60]}" if oldest else f"{w('oldest', lang)}: —")
    out[(dom_id(tid, "mtt"), "children")] = (f"{w('mtta', lang)} {span(found.mtta_s, lang)} · "
                                             f"{w('mttr', lang)} {span(found.mttr_s, lang)}")
    return out
