"""e-Yankes: bed occupancy per ward (record), hospital (unit), kab/kota and province.

Beds out of service (being cleaned, repaired) count in neither figure, as the adapter reports them.
"""

from __future__ import annotations

from core.alerts import Alert
from core.regions import region_name
from ingest.derive.application import ApplicationFigures, Figures, number, share_pct
from ingest.derive.ledger import Place, is_older
from ingest.derive.wording import percent

KEPT_FIELDS = ("kode_rs", "nama_rs", "kelas", "kode_ruang", "nama_ruang", "kelas_rawat")



class YankesFigures(ApplicationFigures):
    application = "e-yankes"

    def apply(self, record, now) -> set[Place]:
        p = record.payload
        capacity, occupied = number(p.get("kapasitas")), number(p.get("terisi"))
        if not p.get("kode_rs") or not p.get("kode_ruang") or capacity is None or occupied is None:
            return set()
        place = (self.region_of(record), str(p["kode_rs"]))
        key = str(p["kode_ruang"])
        if is_older(self.ledger.get(place, key), record.event_time):
            return set()
        row = {f: p.get(f) for f in KEPT_FIELDS}
        row.update(kapasitas=capacity, terisi=occupied, kosong=capacity - occupied,
                   keterisian_pct=share_pct(occupied, capacity))
        self.ledger.put(place, key, self.stamp(row, record))
        return {place}

    def unit_figures(self, place, rows, now) -> Figures:
        capacity = sum(r["kapasitas"] for r in rows.values())
        occupied = sum(r["terisi"] for r in rows.values())
        any_row = next(iter(rows.values()))
        return {"name": any_row.get("nama_rs") or place[1], "kelas": any_row.get("kelas"), "ruang": len(rows),
                "kapasitas": capacity, "terisi": occupied, "kosong": capacity - occupied,
                "keterisian_pct": share_pct(occupied, capacity),
                "penuh": int((share_pct(occupied, capacity) or 0) >= self.rules.bed_occupancy.threshold_pct)}

    def combine(self, parts: list[Figures]) -> Figures:
        out = {k: sum(p[k] for p in parts) for k in ("ruang", "kapasitas", "terisi", "kosong", "penuh")}
        out["keterisian_pct"] = share_pct(out["terisi"], out["kapasitas"])
        return out

    def unit_alerts(self, place, rows, figures, now) -> list[Alert]:
        rule = self.rules.bed_occupancy
        if not rule.enabled:
            return []
        where, name = region_name(place[0]), figures["name"]
        judged = ([(f"bed_occupancy:{place[1]}", figures["keterisian_pct"], name)] if rule.level == "hospital" else
                  [(f"bed_occupancy:{place[1]}:{key}", r["keterisian_pct"],
                    f"{name}, ruang {r.get('nama_ruang') or key}")
                   for key, r in rows.items()])
        return [Alert(alert_id=alert_id, kind="bed_occupancy", severity=rule.severity, source=self.application,
                      region=place[0], unit=place[1],
                      message=f"Keterisian tempat tidur {label} ({where}) {percent(pct)}, "
                              f"mencapai ambang {percent(rule.threshold_pct)}")
                for alert_id, pct, label in judged if pct is not None and pct >= rule.threshold_pct]

    def trend(self, figures) -> dict[str, float]:
        return {"keterisian_pct": figures["keterisian_pct"], "terisi": figures["terisi"]}
