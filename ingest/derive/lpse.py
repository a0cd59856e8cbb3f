"""e-LPSE: tenders (records) per satker (unit), kab/kota and province: HPS, pagu, contract value, savings, stages.

The SPSE adapter sends three kinds of row per tender (`record_type` tender | jadwal | hasil); they
are merged into one row per tender here. Rows of the older `http_json` feed have no record_type
and are announcements. A schedule may arrive before its tender: it waits in memory until then.
A satker's figures are running sums of its tenders (incremental/running_units.py); sums of money
are exact, so they do not drift as tenders change, and a stage passes its end from a time index.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from fractions import Fraction

from core.alerts import Alert
from core.clock import WIB
from core.regions import region_name
from ingest.derive.application import Figures, number
from ingest.derive.incremental.running_units import RunningUnits
from ingest.derive.incremental.tally import Counts
from ingest.derive.ledger import Place, Row
from ingest.normalize import parse_time

OPEN = "Aktif"
NO_SATKER = "Tanpa satker"
TENDER_FIELDS = ("nama_paket", "pagu", "hps", "status_tender", "nama_tahapan", "jenis_pengadaan", "mtd_pemilihan",
                 "tahun_anggaran", "lokasi_pekerjaan", "sumber_dana", "tgl_pengumuman_tender", "nama_satker")
RESULT_FIELDS = ("nilai_penawaran", "nilai_negosiasi", "nilai_kontrak", "nama_penyedia", "selisih")
# Schedules waiting for a tender never announced are dropped beyond this many tenders (oldest first).
WAITING_KEPT = 5000
SUMS = ("paket", "aktif", "pagu", "hps", "hps_aktif", "hps_selesai", "nilai_kontrak", "selisih", "terlambat")


class LpseFigures(RunningUnits):
    application = "e-lpse"
    time_dependent = True

    def __init__(self, rules):
        super().__init__(rules)
        self.places: dict[str, Place] = {}  # kd_tender -> where its row is
        self.waiting: dict[str, list[dict]] = defaultdict(list)  # schedules of tenders not seen yet

    def loaded(self) -> None:
        self.places = self.unit_index()
        super().loaded()

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
            self.count(place, code, row, now)
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
            self.count(old, code, None, now)
            touched.add(old)
        for stage in self.waiting.pop(code, []):
            _add_stage(row, stage)
        self.ledger.put(place, code, self.stamp(row, record))
        self.count(place, code, row, now)
        self.places[code] = place
        return touched

    def current_stage(self, row: Row) -> tuple[dict, datetime] | None:
        """The stage an open tender is in and the moment it is overdue after (its end plus the grace)."""
        if row.get("status_tender") != OPEN or not row.get("nama_tahapan"):
            return None
        current = str(row["nama_tahapan"]).strip().lower()
        grace = timedelta(seconds=float(self.rules.tender_stage_overdue.grace))
        for stage in (row.get("jadwal") or {}).values():
            if str(stage.get("nama_tahapan") or "").strip().lower() == current:
                return stage, parse_time(stage["tgl_akhir"]) + grace
        return None

    def overdue(self, row: Row, now) -> dict | None:
        """The stage an open tender is in past its scheduled end, or None."""
        current = self.current_stage(row)
        return current[0] if current and current[1] < now else None

    def contribution(self, row: Row, now: datetime) -> tuple[Counts, datetime | None]:
        hps, contract = number(row.get("hps")) or 0.0, number(row.get("nilai_kontrak"))
        counts: Counts = {("paket",): 1, ("pagu",): Fraction(number(row.get("pagu")) or 0.0), ("hps",): Fraction(hps)}
        if row.get("status_tender") == OPEN:
            counts[("aktif",)] = 1
            counts[("hps_aktif",)] = Fraction(hps)
            counts[("by_tahap", str(row.get("nama_tahapan") or "-"))] = 1
        if contract is not None:
            counts[("nilai_kontrak",)] = Fraction(contract)
            counts[("hps_selesai",)] = Fraction(hps)
            counts[("selisih",)] = Fraction(hps - contract if hps else 0.0)
        current = self.current_stage(row)
        if current and current[1] < now:
            counts[("terlambat",)] = 1
        return counts, current[1] if current and not current[1] < now else None

    def unit_figures(self, place, rows, now) -> Figures:
        counts = self.tally.of(place)
        out: Figures = {k: counts.get((k,), 0) for k in SUMS}
        for k in ("pagu", "hps", "hps_aktif", "nilai_kontrak", "hps_selesai", "selisih"):
            out[k] = float(out[k])  # exact sums, rounded once
        out["by_tahap"] = dict(sorted((path[1], n) for path, n in counts.items() if path[0] == "by_tahap"))
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

    def alert_ids(self, key: str) -> set[str]:
        """Every stage of the tender's schedule (stages only ever join a schedule, so this holds the old ones)."""
        place = self.places.get(key)
        row = self.ledger.get(place, key) if place else None
        return {f"tender_stage_overdue:{key}:{s.get('kd_tahapan') or s.get('nama_tahapan')}"
                for s in ((row or {}).get("jadwal") or {}).values()}

    def row_alerts(self, place, key, row, now) -> list[Alert]:
        rule = self.rules.tender_stage_overdue
        stage = self.overdue(row, now) if rule.enabled else None
        if stage is None:
            return []
        end = parse_time(stage["tgl_akhir"]).astimezone(WIB).strftime("%d/%m/%Y %H:%M %Z")
        return [Alert(
            alert_id=f"tender_stage_overdue:{key}:{stage.get('kd_tahapan') or stage.get('nama_tahapan')}",
            kind="tender_stage_overdue", severity=rule.severity, source=self.application, region=place[0],
            unit=place[1], message=f"Tender {key} ({row.get('nama_paket') or '-'}, {place[1]}, "
                                   f"{region_name(place[0])}) masih di tahap {row['nama_tahapan']}, "
                                   f"jadwal berakhir {end}")]

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
