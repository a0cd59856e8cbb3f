"""e-Pormas: open complaints and service-level breaches per category (unit), OPD, kab/kota and province.

Service levels (SP4N-LAPOR!): verified within 3 working days, resolved within 5 days of receipt,
both configurable under `alerts.complaint_sla`. A complaint arrives once per status change; its
latest status counts. Only non-personal fields are kept: the record level is not a restricted view.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from core.alerts import Alert
from core.complaints import DONE, KEEP_CLOSED_DAYS, RECEIVED
from ingest.derive.application import ApplicationFigures, Figures
from ingest.derive.ledger import Place, Row, is_older, row_time
from ingest.derive.wording import region_name
from ingest.normalize import WIB, parse_time

KEPT_FIELDS = ("tracking_id", "status", "category", "via", "opd_tujuan", "judul", "created_at", "updated_at")
# Closed complaints stay this long at the record level (the page shows recently closed ones), then go.
KEEP_CLOSED = timedelta(days=KEEP_CLOSED_DAYS)
NO_CATEGORY = "Lainnya"


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment `days` working days (Monday to Friday, WIB) after `start`."""
    moment = start.astimezone(WIB)
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


class PormasFigures(ApplicationFigures):
    application = "e-pormas"
    time_dependent = True

    def __init__(self, rules):
        super().__init__(rules)
        self.places: dict[str, Place] = {}  # tracking_id -> where its row is

    def loaded(self) -> None:
        self.places = self.unit_index()

    def apply(self, record, now) -> set[Place]:
        p = record.payload
        tracking_id = str(p.get("tracking_id") or "")
        if not tracking_id or not p.get("status"):
            return set()
        old_place = self.places.get(tracking_id)
        current = self.ledger.get(old_place, tracking_id) if old_place else None
        if is_older(current, record.event_time):
            return set()
        place = (self.region_of(record), str(p.get("category") or NO_CATEGORY))
        row = {f: p.get(f) for f in KEPT_FIELDS}
        row["status"] = str(row["status"]).strip().lower()
        # The first time a complaint is seen past "diterima" is when it was verified.
        verified = (current or {}).get("diverifikasi_at")
        if verified is None and row["status"] != RECEIVED:
            verified = row.get("updated_at") or self.stamp({}, record)["_t"]
        row["diverifikasi_at"] = verified
        touched = {place}
        if old_place and old_place != place:
            self.ledger.remove(old_place, tracking_id)
            touched.add(old_place)
        self.ledger.put(place, tracking_id, self.stamp(row, record))
        self.places[tracking_id] = place
        return touched

    def breaches(self, row: Row, now: datetime) -> list[str]:
        """The service levels an open complaint has missed: 'verifikasi', 'penyelesaian'."""
        if row["status"] in DONE or not row.get("created_at"):
            return []
        try:
            created = parse_time(row["created_at"])
        except ValueError:
            return []
        rule = self.rules.complaint_sla
        out = []
        if row["status"] == RECEIVED and now > add_working_days(created, rule.verification_working_days):
            out.append("verifikasi")
        if now > created + timedelta(days=rule.resolution_days):
            out.append("penyelesaian")
        return out

    def unit_figures(self, place, rows, now) -> Figures:
        open_rows = [r for r in rows.values() if r["status"] not in DONE]
        by_opd: dict[str, dict[str, int]] = {}
        verification = resolution = breached = 0
        for row in open_rows:
            missed = self.breaches(row, now)
            verification += "verifikasi" in missed
            resolution += "penyelesaian" in missed
            breached += bool(missed)
            opd = by_opd.setdefault(row.get("opd_tujuan") or "Belum didisposisi", {"open": 0, "sla_breach": 0})
            opd["open"] += 1
            opd["sla_breach"] += bool(missed)
        return {"name": place[1], "open": len(open_rows), "closed": len(rows) - len(open_rows),
                "sla_breach": breached, "sla_verifikasi": verification, "sla_penyelesaian": resolution,
                "by_status": dict(Counter(r["status"] for r in rows.values())),
                "by_via": dict(Counter(str(r.get("via") or "-") for r in open_rows)), "by_opd": by_opd}

    def combine(self, parts: list[Figures]) -> Figures:
        out: Figures = {k: sum(p[k] for p in parts)
                        for k in ("open", "closed", "sla_breach", "sla_verifikasi", "sla_penyelesaian")}
        out["by_status"], out["by_via"] = _add_counts(p["by_status"] for p in parts), _add_counts(p["by_via"] for p in parts)
        out["by_opd"] = _add_nested(p["by_opd"] for p in parts)
        # Region parts are categories (units); province parts are regions that carry by_category.
        out["by_category"] = _add_nested(
            p["by_category"] if "by_category" in p else {p["unit"]: {"open": p["open"], "sla_breach": p["sla_breach"]}}
            for p in parts)
        return out

    def unit_alerts(self, place, rows, figures, now) -> list[Alert]:
        rule = self.rules.complaint_sla
        if not rule.enabled:
            return []
        alerts = []
        for row in rows.values():
            for missed in self.breaches(row, now):
                what = (f"belum diverifikasi lewat {rule.verification_working_days} hari kerja" if missed == "verifikasi"
                        else f"belum selesai lewat {rule.resolution_days} hari")
                alerts.append(Alert(
                    alert_id=f"complaint_sla:{row['tracking_id']}:{missed}", kind="complaint_sla",
                    severity=rule.severity, source=self.application, region=place[0], unit=place[1],
                    message=f"Pengaduan {row['tracking_id']} ({place[1]}) di {region_name(place[0])} {what}"))
        return alerts

    def trend(self, figures) -> dict[str, float]:
        return {"open": figures["open"], "sla_breach": figures["sla_breach"]}

    def expire(self, now) -> set[Place]:
        cutoff, touched = now - KEEP_CLOSED, set()
        for place, rows in list(self.ledger.units.items()):
            for key, row in list(rows.items()):
                if row["status"] in DONE and (row_time(row) or now) < cutoff:
                    self.ledger.remove(place, key)
                    self.places.pop(key, None)
                    touched.add(place)
        return touched


def _add_counts(parts) -> dict[str, int]:
    total: Counter = Counter()
    for part in parts:
        total.update(part)
    return dict(total)


def _add_nested(parts) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for part in parts:
        for name, counts in part.items():
            into = out.setdefault(name, {})
            for k, v in counts.items():
                into[k] = into.get(k, 0) + v
    return out
