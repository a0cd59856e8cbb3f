"""e-LPSE: tenders (records) per satker (unit), kab/kota and province: HPS, pagu, contract value, savings, stages.

The SPSE adapter sends three kinds of row per tender (`record_type` tender | jadwal | hasil); they
are merged into one row per tender here. Rows of the older `http_json` feed have no record_type
and are announcements. A schedule may arrive before its tender: it waits in memory until then.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from core.alerts import Alert
from ingest.derive.application import ApplicationFigures, Figures, number
from ingest.derive.ledger import Place, Row
from ingest.derive.wording import region_name
from ingest.normalize import WIB, parse_time

OPEN = "Aktif"
NO_SATKER = "Tanpa satker"
TENDER_FIELDS = ("nama_paket", "pagu", "hps", "status_tender", "nama_tahapan", "jenis_pengadaan", "mtd_pemilihan",
                 "tahun_anggaran", "lokasi_pekerjaan", "sumber_dana", "tgl_pengumuman_tender", "nama_satker")
RESULT_FIELDS = ("nilai_penawaran", "nilai_negosiasi", "nilai_kontrak", "nama_penyedia", "selisih")
# Schedules waiting for a tender never announced are dropped beyond this many tenders (oldest first).
WAITING_KEPT = 5000
SUMS = ("paket", "aktif", "pagu", "hps", "hps_aktif", "hps_selesai", "nilai_kontrak", "selisih", "terlambat")


class LpseFigures(ApplicationFigures):
    application = "e-lpse"
    time_dependent = True

    def __init__(self, rules):
        super().__init__(rules)
        self.places: dict[str, Place] = {}  # kd_tender -> where its row is
        self.waiting: dict[str, list[dict]] = defaultdict(list)  # schedules of tenders not seen yet

    def loaded(self) -> None:
        self.places = self.unit_index()

    def apply(self, record, now) -> set[Place]:
        p = record.payload
        code = str(p.get("kd_tender") or "")
        if not code:
            return set()
        kind = p.get("record_type") or "tender"
        if kind == "jadwal":
            place = self.places.get(code)
            if place is None:
                self.waiting[code].append(p)
                if len(self.waiting) > WAITING_KEPT:
                    del self.waiting[next(iter(self.waiting))]
                return set()
            row = dict(self.ledger.get(place, code))
            _add_stage(row, p)
            self.ledger.put(place, code, self.stamp(row, record))
            return {place}
        old = self.places.get(code)
        row = dict(self.ledger.get(old, code) or {}) if old else {"kd_tender": code}
        fields = TENDER_FIELDS if kind == "tender" else RESULT_FIELDS + ("nama_satker", "hps")
        if kind == "tender" and row.get("_tender_t") and row["_tender_t"] > p.get("tgl_update", ""):
            return set()  # an older announcement arriving late
        row.update({f: p[f] for f in fields if p.get(f) not in (None, "")})
        if kind == "tender":
            row["_tender_t"] = p.get("tgl_update", "")
        place = (self.region_of(record), str(row.get("nama_satker") or NO_SATKER))
        touched = {place}
        if old and old != place:
            self.ledger.remove(old, code)
            touched.add(old)
        for stage in self.waiting.pop(code, []):
            _add_stage(row, stage)
        self.ledger.put(place, code, self.stamp(row, record))
        self.places[code] = place
        return touched

    def overdue(self, row: Row, now) -> dict | None:
        """The stage an open tender is in past its scheduled end, or None."""
        if row.get("status_tender") != OPEN or not row.get("nama_tahapan"):
            return None
        current = str(row["nama_tahapan"]).strip().lower()
        grace = timedelta(seconds=float(self.rules.tender_stage_overdue.grace))
        for stage in (row.get("jadwal") or {}).values():
            if str(stage.get("nama_tahapan") or "").strip().lower() == current:
                return stage if parse_time(stage["tgl_akhir"]) + grace < now else None
        return None

    def unit_figures(self, place, rows, now) -> Figures:
        out: Figures = {k: 0 for k in SUMS}
        stages: dict[str, int] = {}
        for row in rows.values():
            hps, contract = number(row.get("hps")) or 0.0, number(row.get("nilai_kontrak"))
            out["paket"] += 1
            out["pagu"] += number(row.get("pagu")) or 0.0
            out["hps"] += hps
            if row.get("status_tender") == OPEN:
                out["aktif"] += 1
                out["hps_aktif"] += hps
                stage = str(row.get("nama_tahapan") or "-")
                stages[stage] = stages.get(stage, 0) + 1
            if contract is not None:
                out["nilai_kontrak"] += contract
                out["hps_selesai"] += hps
                out["selisih"] += hps - contract if hps else 0.0
            out["terlambat"] += self.overdue(row, now) is not None
        out["by_tahap"] = stages
        out["hemat_pct"] = _savings(out)
        out["name"] = place[1]
        return out

    def combine(self, parts: list[Figures]) -> Figures:
        out: Figures = {k: sum(p[k] for p in parts) for k in SUMS}
        stages: dict[str, int] = {}
        for part in parts:
            for stage, n in part["by_tahap"].items():
                stages[stage] = stages.get(stage, 0) + n
        out["by_tahap"] = stages
        out["hemat_pct"] = _savings(out)
        return out

    def unit_alerts(self, place, rows, figures, now) -> list[Alert]:
        rule = self.rules.tender_stage_overdue
        if not rule.enabled or not figures["terlambat"]:
            return []
        alerts = []
        for code, row in rows.items():
            stage = self.overdue(row, now)
            if stage is None:
                continue
            end = parse_time(stage["tgl_akhir"]).astimezone(WIB).strftime("%d/%m/%Y %H:%M")
            alerts.append(Alert(
                alert_id=f"tender_stage_overdue:{code}:{stage.get('kd_tahapan') or stage.get('nama_tahapan')}",
                kind="tender_stage_overdue", severity=rule.severity, source=self.application, region=place[0],
                unit=place[1], message=f"Tender {code} ({row.get('nama_paket') or '-'}, {place[1]}, "
                                       f"{region_name(place[0])}) masih di tahap {row['nama_tahapan']}, "
                                       f"jadwal berakhir {end} WIB"))
        return alerts

    def trend(self, figures) -> dict[str, float]:
        return {"hps_aktif": figures["hps_aktif"], "nilai_kontrak": figures["nilai_kontrak"],
                "selisih": figures["selisih"]}


def _add_stage(row: Row, stage: dict) -> None:
    stages = dict(row.get("jadwal") or {})
    stages[str(stage.get("kd_tahapan") or stage.get("nama_tahapan"))] = {
        k: stage.get(k) for k in ("kd_tahapan", "nama_tahapan", "tgl_awal", "tgl_akhir")}
    row["jadwal"] = stages


def _savings(figures: Figures) -> float | None:
    """Savings against HPS of the finished tenders, in percent (what the province calls efisiensi)."""
    return round(figures["selisih"] / figures["hps_selesai"] * 100, 2) if figures["hps_selesai"] else None
