"""The OPD x service matrix: one row per OPD, one cell per service with its state, response time and
a sparkline of its last checks; rows and cells in red-first order (CSS `order`, so the tree built once
never changes: only leaf props do). A probe that lost its own network shows MONITOR OFFLINE over it."""

from __future__ import annotations

from typing import Literal

from dash import html
from pydantic import Field

from core.config import Config
from dashboard.it.status import ItStatus, ServiceStatus
from dashboard.it.words import word
from dashboard.live.snapshot import Frame
from dashboard.text import formatting
from dashboard.tiles.base import Leaves, TileBase, WallContext, dom_id, iso, root_attrs


class Tile(TileBase):
    kind: Literal["it_matrix"]
    # OPD ids of `monitors.opds`; none = every OPD.
    opds: list[str] = Field(default_factory=list)


def check(tile: Tile, config: Config) -> list[tuple[str, str]]:
    problems = [(f"opds[{i}]", f"unknown OPD '{o}'") for i, o in enumerate(tile.opds) if o not in config.monitors.opds]
    if not config.monitors.opds:
        problems.append(("kind", "no OPD is monitored (monitors.opds in config.yaml is empty)"))
    return problems


def _opds(tile: Tile, config: Config) -> list[str]:
    return tile.opds or list(config.monitors.opds)


def cell_id(tile_id: str, service: str, part: str | None = None) -> str:
    return dom_id(tile_id, f"svc-{service}" + (f"-{part}" if part else ""))


def layout(tile: Tile, ctx: WallContext) -> html.Div:
    tid, lang, monitors = tile.id, ctx.lang, ctx.config.monitors
    rows = []
    for opd_id in _opds(tile, ctx.config):
        opd = monitors.opds[opd_id]
        cells = [html.Div([html.Span(svc.name, className="it-svc-name"),
                           html.Span("", id=cell_id(tid, sid, "state"), className="it-svc-state"),
                           html.Span("", id=cell_id(tid, sid, "ms"), className="it-svc-ms"),
                           html.Span("", id=cell_id(tid, sid, "spark"), className="it-svc-spark")],
                          id=cell_id(tid, sid), className="it-cell st-pending", title=svc.name,
                          **{"data-service": sid, "data-state": "pending"})
                 for sid, svc in opd.services.items()]
        rows.append(html.Div([html.Div(opd.short or opd.name, className="it-opd", title=opd.name),
                              html.Div(cells, className="it-cells")],
                             id=dom_id(tid, f"opd-{opd_id}"), className="it-row", **{"data-opd": opd_id}))
    return html.Div(
        [html.Div([html.Span(tile.title_in(lang) or word("matrix_title", lang), className="it-title"),
                   html.Span("", id=dom_id(tid, "counts"), className="it-counts")], className="it-head"),
         html.Div("", id=dom_id(tid, "offline"), className="it-offline", **{"data-offline": "false"}),
         html.Div(rows, className="it-rows")],
        **root_attrs(tile), **{"data-down": "0"})


def cell_text(s: ServiceStatus, lang: str, names: dict[str, str]) -> tuple[str, str]:
    """The state word, and the response time, or why it is down (its own reason, or the parent it is
    down with)."""
    state = word(s.state, lang)
    if s.state == "down":
        return state, word("via", lang,
                           root=names.get(s.suppressed_by, s.suppressed_by)) if s.suppressed_by else s.reason
    if s.state in ("unknown", "offline"):
        return state, ""
    return state, word("ms", lang, ms=formatting.number(s.ms, 0, lang)) if s.ms is not None else ""


def leaves(tile: Tile, ctx: WallContext, frame: Frame) -> Leaves:
    tid, lang = tile.id, ctx.lang
    it: ItStatus = frame.snapshot.it or ItStatus()
    out: Leaves = {}
    down = 0
    shown = 0
    counts = {"up": 0, "degraded": 0, "down": 0, "unknown": 0}
    names = {sid: svc.name for sid, (_, svc) in ctx.config.monitors.services().items()}
    for index, opd_id in enumerate(_opds(tile, ctx.config)):
        worst = 9
        for sid in ctx.config.monitors.opds[opd_id].services:
            s = it.services.get(sid) or ServiceStatus(sid, opd_id, sid)
            worst = min(worst, s.rank)
            shown += 1
            counts[s.state if s.state in counts else "unknown"] += 1
            down += s.state == "down"
            state, ms = cell_text(s, lang, names)
            classes = f"it-cell st-{s.state}" + (" is-suppressed" if s.suppressed_by else "")
            out[(cell_id(tid, sid), "className")] = classes
            out[(cell_id(tid, sid), "data-state")] = s.state
            out[(cell_id(tid, sid), "style")] = {"order": s.rank}
            out[(cell_id(tid, sid), "title")] = f"{s.name}: {s.reason}" if s.reason else s.name
            out[(cell_id(tid, sid, "state"), "children")] = state
            out[(cell_id(tid, sid, "ms"), "children")] = ms
            out[(cell_id(tid, sid, "spark"), "children")] = s.sparkline()
        out[(dom_id(tid, f"opd-{opd_id}"), "style")] = {"order": worst * 100 + index}
        out[(dom_id(tid, f"opd-{opd_id}"), "className")] = f"it-row worst-{worst}"
    text = word("counts", lang, total=shown, **{k: counts[k] for k in ("up", "degraded", "down")})
    if counts["unknown"]:
        text += word("counts_unknown", lang, n=counts["unknown"])
    offline = it.offline_probes()
    banner = " · ".join(word("offline_banner", lang, probe=p.name or p.id,
                             since=formatting.wib_when(p.since, frame.now, lang) if p.since else "?") for p in offline)
    out[(dom_id(tid, "counts"), "children")] = text
    out[(dom_id(tid, "offline"), "children")] = banner
    out[(dom_id(tid, "offline"), "data-offline")] = "true" if offline else "false"
    out[(dom_id(tid), "data-down")] = str(down)
    out[(dom_id(tid), "data-updated")] = iso(frame.snapshot.read_at)
    return out
