"""The governor's screen's line on the agencies' IT: how many monitored services are DOWN now, a tap
away from /it. Ids start with "gov-" (the governor's screen's own)."""

from __future__ import annotations

from dash import html

from dashboard.it.status import ItStatus
from dashboard.it.words import word
from dashboard.live.snapshot import Frame
from dashboard.tiles.base import Leaves


def element(lang: str) -> html.A:
    return html.A([html.Span(word("governor_it", lang), className="gov-it-label"),
                   html.Span("", id="gov-it-count", className="gov-it-count"),
                   html.Span("", id="gov-it-of", className="gov-it-of")],
                  id="gov-it", href="/it" + ("?lang=en" if lang == "en" else ""), className="gov-it is-clear",
                  **{"data-down": ""})


def leaves(frame: Frame, lang: str) -> Leaves:
    it: ItStatus | None = frame.snapshot.it
    if it is None or not it.services:
        return {("gov-it", "className"): "gov-it is-hidden", ("gov-it", "data-down"): "",
                ("gov-it-count", "children"): "", ("gov-it-of", "children"): ""}
    down = sum(1 for s in it.services.values() if s.state == "down")
    return {("gov-it", "className"): "gov-it " + ("is-red" if down else "is-clear"),
            ("gov-it", "data-down"): str(down),
            ("gov-it-count", "children"): str(down),
            ("gov-it-of", "children"): word("governor_it_of", lang, total=len(it.services))}
