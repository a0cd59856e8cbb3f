"""e-Pormas: open complaints and service-level breaches per category (unit), OPD, kab/kota and province.

Service levels (SP4N-LAPOR!): verified within 3 working days, resolved within 5 days of receipt,
both configurable under `alerts.complaint_sla`. A complaint arrives once per status change; its
latest status counts. Only non-personal fields are kept: the record level is not a restricted view.

A category can hold every complaint of a disaster: its figures are running counts (incremental/
tally.py) that one complaint changes in logarithmic time, service levels pass from a time index of
their deadlines, and closed complaints leave from one ordered by their time.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sortedcontainers import SortedList

from core.alerts import Alert
from core.clock import WIB
from core.complaints import DONE, KEEP_CLOSED_DAYS, RECEIVED
from core.regions import region_name
from ingest.derive.application import Figures
from ingest.derive.incremental.complaint_handling import ComplaintHandling
from ingest.derive.incremental.running_units import RunningUnits
from ingest.derive.incremental.tally import Counts
from ingest.derive.ledger import Place, Row, is_older, row_time
from ingest.normalize import parse_time

KEPT_FIELDS = ("tracking_id", "status", "category", "via", "opd_tujuan", "judul", "created_at", "updated_at")
# Closed complaints stay this long at the record level (the page shows recently closed ones), then go.
KEEP_CLOSED = timedelta(days=KEEP_CLOSED_DAYS)
NO_CATEGORY = "Lainnya"
NO_OPD = "Belum didisposisi"
MISSED = ("verifikasi", "penyelesaian")


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment `days` working days (Monday to Friday, WIB) after `start`."""
    moment = start.astimezone(WIB)
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


class PormasFigures(RunningUnits):
    application = "e-pormas"
    time_dependent = True

    def __init__(self, rules):
        super().__init__(rules)
        self.places: dict[str, Place] = {}  # tracking_id -> where its row is
        self.closed = SortedList()  # (row time, place, tracking_id) of closed complaints, to let them go
        self._closed_at: dict[tuple[Place, str], datetime] = {}
        self.handling = ComplaintHandling(rules.complaint_sla.resolution_days)  # the public portal's figures

    def loaded(self) -> None:
        self.places = self.unit_index()
        super().loaded()

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
            self.count(old_place, tracking_id, None, now)
            touched.add(old_place)
        self.ledger.put(place, tracking_id, self.stamp(row, record))
        self.count(place, tracking_id, row, now)
        self.places[tracking_id] = place
        return touched

    def deadlines(self, row: Row) -> dict[str, datetime]:
        """When an open complaint misses each service level that still applies to it."""
        if row["status"] in DONE or not row.get("created_at"):
            return {}
        try:
            created = parse_time(row["created_at"])
        except ValueError:
            return {}
        rule = self.rules.complaint_sla
        out = {"penyelesaian": created + timedelta(days=rule.resolution_days)}
        if row["status"] == RECEIVED:
            out["verifikasi"] = add_working_days(created, rule.verification_working_days)
        return out

    def breaches(self, row: Row, now: datetime) -> list[str]:
        """The service levels an open complaint has missed: 'verifikasi', 'penyelesaian'."""
        deadlines = self.deadlines(row)
        return [m for m in MISSED if m in deadlines and now > deadlines[m]]

    def contribution(self, row: Row, now: datetime) -> tuple[Counts, datetime | None]:
        """What one complaint adds to its category's counts at `now`, and when that next changes by the clock."""
        counts: Counts = {("by_status", row["status"]): 1}
        if row["status"] in DONE:
            counts[("closed",)] = 1
            return counts, None
        opd = row.get("opd_tujuan") or NO_OPD
        counts.update({("open",): 1, ("by_via", str(row.get("via") or "-")): 1, ("by_opd", opd, "open"): 1})
        deadlines = self.deadlines(row)
        missed = [m for m in MISSED if m in deadlines and now > deadlines[m]]
        for m in missed:
            counts[(f"sla_{m}",)] = 1
        if missed:
            counts[("sla_breach",)] = 1
            counts[("by_opd", opd, "sla_breach")] = 1
        coming = [d for d in deadlines.values() if not now > d]
        return counts, min(coming, default=None)

    def count(self, place: Place, key: str, row: Row | None, now: datetime) -> None:
        """Also the public portal's handling, and the index closed complaints leave from."""
        super().count(place, key, row, now)
        previous = self._closed_at.pop((place, key), None)
        if previous is not None:
            self.closed.discard((previous, place, key))
        self.handling.set(key, place[0], row)
        if row is not None and row["status"] in DONE:
            moment = row_time(row) or now
            self._closed_at[(place, key)] = moment
            self.closed.add((moment, place, key))

    def unit_figures(self, place, rows, now) -> Figures:
        counts = self.tally.of(place)
        by: dict[str, dict] = {"by_status": {}, "by_via": {}, "by_opd": {}}
        for path, n in counts.items():
            if path[0] in ("by_status", "by_via"):
                by[path[0]][path[1]] = n
            elif path[0] == "by_opd":
                by["by_opd"].setdefault(path[1], {"open": 0, "sla_breach": 0})[path[2]] = n
        return {"name": place[1], "open": counts.get(("open",), 0), "closed": counts.get(("closed",), 0),
                "sla_breach": counts.get(("sla_breach",), 0), "sla_verifikasi": counts.get(("sla_verifikasi",), 0),
                "sla_penyelesaian": counts.get(("sla_penyelesaian",), 0),
                **{name: dict(sorted(values.items())) for name, values in by.items()}}

    def region_figures(self, region, now) -> Figures:
        return {"penanganan": self.handling.figures(region, now)}

    def combine(self, parts: list[Figures]) -> Figures:
        out: Figures = {k: sum(p[k] for p in parts)
                        for k in ("open", "closed", "sla_breach", "sla_verifikasi", "sla_penyelesaian")}
        out["by_status"] = _add_counts(p["by_status"] for p in parts)
        out["by_via"] = _add_counts(p["by_via"] for p in parts)
        out["by_opd"] = _add_nested(p["by_opd"] for p in parts)
        # Region parts are categories (units); province parts are regions that carry by_category.
        out["by_category"] = _add_nested(
            p["by_category"] if "by_category" in p else {p["unit"]: {"open": p["open"], "sla_breach": p["sla_breach"]}}
            for p in parts)
        return out

    def alert_ids(self, key: str) -> set[str]:
        """Every alert one complaint can raise."""
        return {f"complaint_sla:{key}:{m}" for m in MISSED}

    def row_alerts(self, place, key, row, now) -> list[Alert]:
        rule = self.rules.complaint_sla
        if not rule.enabled:
            return []
        alerts = []
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
        while self.closed and self.closed[0][0] < cutoff:
            _, place, key = self.closed[0]
            self.ledger.remove(place, key)
            self.places.pop(key, None)
            self.count(place, key, None, now)
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
