"""An eighth application, as a maintainer would add one: its registry entry, derive class and page spec.

e-Banjir (flood watch): river monitoring posts (pos pantau) report their water level and status;
a post is on alert (siaga) at status "siaga" or "awas". Units are posts; a region counts its posts
and those on alert, and keeps its highest water level.
"""

from __future__ import annotations

from core.apps import Application
from dashboard.figures.specs import AppSpec, Col, Measure, fixed, named_trend
from dashboard.text.words import Words
from ingest.derive.application import ApplicationFigures, Figures, number
from ingest.derive.ledger import Place, is_older

ENTRY = Application("e-banjir", "e-Banjir", "Siaga Banjir", "Flood Watch", "#38bdf8",
                    f"{__name__}:BanjirFigures", "e-banjir")
ON_ALERT = ("siaga", "awas")


class BanjirFigures(ApplicationFigures):
    application = "e-banjir"

    def apply(self, record, now) -> set[Place]:
        p = record.payload
        if not p.get("pos"):
            return set()
        place = (self.region_of(record), str(p["pos"]))
        if is_older(self.ledger.get(place, place[1]), record.event_time):
            return set()
        row = {"pos": p["pos"], "tinggi_cm": number(p.get("tinggi_cm")), "status": p.get("status")}
        self.ledger.put(place, place[1], self.stamp(row, record))
        return {place}

    def unit_figures(self, place, rows, now) -> Figures:
        row = next(iter(rows.values()))
        return {"name": row["pos"], "pos": 1, "siaga": int(row["status"] in ON_ALERT), "tinggi_cm": row["tinggi_cm"]}

    def combine(self, parts: list[Figures]) -> Figures:
        levels = [p["tinggi_cm"] for p in parts if p.get("tinggi_cm") is not None]
        return {"pos": sum(p["pos"] for p in parts), "siaga": sum(p["siaga"] for p in parts),
                "tinggi_cm": max(levels, default=None)}

    def trend(self, figures) -> dict[str, float]:
        return {"siaga": figures["siaga"]}


ON_ALERT_MEASURE = Measure("siaga", Words("Pos siaga", "Posts on alert"), "count", higher_is_worse=True)

SPEC = AppSpec(
    "e-banjir", Words("Pos pantau", "Monitoring post"), Words("Laporan", "Report"),
    fixed(("siaga", Words("Pos siaga", "Posts on alert"), "count"),
          ("pos", Words("Pos pantau", "Monitoring posts"), "count")),
    lambda _figures: ON_ALERT_MEASURE,
    (Col("name", Words("Pos pantau", "Monitoring post")), Col("siaga", Words("Siaga", "On alert"), "count"),
     Col("tinggi_cm", Words("Tinggi air (cm)", "Water level (cm)"), "number")),
    (Col("pos", Words("Pos pantau", "Monitoring post")), Col("status", Words("Status", "Status")),
     Col("tinggi_cm", Words("Tinggi air (cm)", "Water level (cm)"), "number")),
    ON_ALERT_MEASURE,
    None,
    named_trend(("siaga", Words("Pos siaga", "Posts on alert"), "count")),
    (Col("pos", Words("Pos pantau", "Monitoring posts"), "count"),
     Col("siaga", Words("Pos siaga", "Posts on alert"), "count"),
     Col("tinggi_cm", Words("Tinggi air tertinggi (cm)", "Highest water level (cm)"), "number")),
    public="siaga-banjir",
)
