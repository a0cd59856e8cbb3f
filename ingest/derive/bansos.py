"""e-Bansos: disbursement progress per programme (unit) and tahap (record), kab/kota and province.

Only aggregates are kept: the source rows are per kab/kota already, never per recipient. The
progress of a programme is that of its newest tahap; each tahap's own stays at the record level.
"""

from __future__ import annotations

from ingest.derive.application import ApplicationFigures, Figures, number, share_pct
from ingest.derive.ledger import Place, is_older

KEPT_FIELDS = ("program", "tahun", "tahap", "status", "status_urutan", "target_kpm", "kpm_tersalur", "nominal")



class BansosFigures(ApplicationFigures):
    application = "e-bansos"

    def apply(self, record, now) -> set[Place]:
        p = record.payload
        target, paid = number(p.get("target_kpm")), number(p.get("kpm_tersalur"))
        if not p.get("program") or p.get("tahap") in (None, "") or target is None or paid is None:
            return set()
        place = (self.region_of(record), str(p["program"]).upper())
        key = f"{p.get('tahun') or ''}-{p['tahap']}"
        if is_older(self.ledger.get(place, key), record.event_time):
            return set()
        row = {f: p.get(f) for f in KEPT_FIELDS}
        row.update(program=place[1], target_kpm=target, kpm_tersalur=paid, progress_pct=share_pct(paid, target),
                   nominal=number(p.get("nominal")))
        self.ledger.put(place, key, self.stamp(row, record))
        return {place}

    def unit_figures(self, place, rows, now) -> Figures:
        def order(row):
            return (int(row["tahun"]) if str(row.get("tahun") or "").isdigit() else 0, int(row["tahap"]))

        latest = max(rows.values(), key=order)
        return {"name": place[1], "tahun": latest.get("tahun"), "tahap": latest["tahap"],
                "status": latest.get("status"),
                "target_kpm": latest["target_kpm"], "kpm_tersalur": latest["kpm_tersalur"],
                "progress_pct": latest["progress_pct"], "nominal": latest.get("nominal") or 0.0,
                "programs": {place[1]: {"tahap": latest["tahap"], "target_kpm": latest["target_kpm"],
                                        "kpm_tersalur": latest["kpm_tersalur"],
                                        "nominal": latest.get("nominal") or 0.0}}}

    def combine(self, parts: list[Figures]) -> Figures:
        programs: dict[str, dict] = {}
        for part in parts:
            for name, p in part["programs"].items():
                into = programs.setdefault(name, {"tahap": p["tahap"], "target_kpm": 0.0, "kpm_tersalur": 0.0,
                                                  "nominal": 0.0})
                into["tahap"] = max(into["tahap"], p["tahap"])
                for k in ("target_kpm", "kpm_tersalur", "nominal"):
                    into[k] += p[k]
        for p in programs.values():
            p["progress_pct"] = share_pct(p["kpm_tersalur"], p["target_kpm"])
        target = sum(p["target_kpm"] for p in programs.values())
        paid = sum(p["kpm_tersalur"] for p in programs.values())
        return {"programs": programs, "target_kpm": target, "kpm_tersalur": paid,
                "progress_pct": share_pct(paid, target),
                "nominal": sum(p["nominal"] for p in programs.values())}

    def trend(self, figures) -> dict[str, float]:
        return {"progress_pct": figures["progress_pct"], "kpm_tersalur": figures["kpm_tersalur"]}
