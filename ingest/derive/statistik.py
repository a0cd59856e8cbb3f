"""e-Statistik: indicators (units) per region and year (records); the province is BPS's own row (domain 3600)."""

from __future__ import annotations

from ingest.derive.application import ApplicationFigures, Figures, number
from ingest.derive.ledger import Place, is_older

KEPT_FIELDS = ("indikator", "indikator_label", "satuan", "tahun", "periode", "nama_wilayah")


class StatistikFigures(ApplicationFigures):
    application = "e-statistik"
    own_province = True

    def apply(self, record, now) -> set[Place]:
        p = record.payload
        value = number(p.get("nilai"))
        if not p.get("indikator") or p.get("tahun") in (None, "") or value is None:
            return set()
        place = (self.region_of(record), str(p["indikator"]))
        key = f"{p['tahun']}-{p.get('periode') or ''}"
        if is_older(self.ledger.get(place, key), record.event_time):
            return set()
        row = {f: p.get(f) for f in KEPT_FIELDS}
        row["nilai"] = value
        self.ledger.put(place, key, self.stamp(row, record))
        return {place}

    def unit_figures(self, place, rows, now) -> Figures:
        ordered = sorted(rows.values(), key=lambda r: (str(r["tahun"]), r["_t"]))
        latest = ordered[-1]
        return {"name": latest.get("indikator_label") or place[1], "nilai": latest["nilai"], "tahun": latest["tahun"],
                "periode": latest.get("periode"), "satuan": latest.get("satuan"),
                "by_year": {str(r["tahun"]): r["nilai"] for r in ordered}}

    def combine(self, parts: list[Figures]) -> Figures:
        return {"indicators": {p["unit"]: {k: p[k] for k in ("name", "nilai", "tahun", "periode", "satuan")}
                               for p in parts}}

    def trend(self, figures) -> dict[str, float]:
        return {f"nilai:{ind}": v["nilai"] for ind, v in figures["indicators"].items()}
