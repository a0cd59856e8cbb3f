"""The governor's screen's line on incidents: how many are past a deadline ("terlambat") and the oldest
of them with the OPD that owns each, a tap away from /insiden. Ids start with "gov-" (the screen's own)."""

from __future__ import annotations

from dash import html

from core.config import Config
from core.incidents.figures import figures
from dashboard.incidents.words import w
from dashboard.live.snapshot import Frame
from dashboard.tiles.base import Leaves

SHOWN = 3


def element(lang: str) -> html.A:
    return html.A([html.Span(w("late", lang), className="gov-it-label"),
                   html.Span("", id="gov-late-count", className="gov-it-count"),
                   html.Span("", id="gov-late-list", className="gov-it-of")],
                  id="gov-late", href="/insiden" + ("?lang=en" if lang == "en" else ""), className="gov-it is-clear",
                  **{"data-late": ""})


def leaves(frame: Frame, lang: str, config: Config) -> Leaves:
    found = figures(list(frame.snapshot.incidents), config.incidents, frame.now)
    opds = config.monitors.opds

    def owner(opd: str | None) -> str:
        return (opds[opd].short or opds[opd].name) if opd in opds else (opd or w("unassigned", lang))

    shown = " · ".join(f"{late.incident.id} {owner(late.incident.opd)}" for late in found.late[:SHOWN])
    more = len(found.late) - SHOWN
    return {("gov-late", "className"): "gov-it " + ("is-red" if found.late else "is-clear"),
            ("gov-late", "data-late"): str(len(found.late)),
            ("gov-late-count", "children"): str(len(found.late)),
            ("gov-late-list", "children"): shown + (f" +{more}" if more > 0 else "")}
