"""e-CCTV: cameras (units, one record each) active per kab/kota and province, from the camera listing."""

from __future__ import annotations

from ingest.derive.application import ApplicationFigures, Figures
from ingest.derive.ledger import Place, is_older

KEPT_FIELDS = ("id", "nama_lokasi", "kecamatan", "latitude", "longitude", "is_active", "last_status_check")


class CctvFigures(ApplicationFigures):
    application = "e-cctv"

    def apply(self, record, now) -> set[Place]:
        p = record.payload
        if not p.get("id") or "is_active" not in p:
            return set()
        place = (self.region_of(record), str(p["id"]))
        if is_older(self.ledger.get(place, place[1]), record.event_time):
            return set()
        row = {f: p.get(f) for f in KEPT_FIELDS}
        row["is_active"] = p["is_active"] is True or str(p["is_active"]).lower() in ("true", "1")
        self.ledger.put(place, place[1], self.stamp(row, record))
        return {place}

    def unit_figures(self, place, rows, now) -> Figures:
        row = next(iter(rows.values()))
        active = int(row["is_active"])
        return {"name": row.get("nama_lokasi") or place[1], "kecamatan": row.get("kecamatan"),
                "latitude": row.get("latitude"), "longitude": row.get("longitude"),
                "kamera": 1, "aktif": active, "nonaktif": 1 - active}

    def combine(self, parts: list[Figures]) -> Figures:
        cameras, active = sum(p["kamera"] for p in parts), sum(p["aktif"] for p in parts)
        return {"kamera": cameras, "aktif": active, "nonaktif": cameras - active,
                "aktif_pct": round(active / cameras * 100, 1) if cameras else None}

    def trend(self, figures) -> dict[str, float]:
        return {"aktif": figures["aktif"], "kamera": figures["kamera"]}
