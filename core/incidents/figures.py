"""The figures every incident screen shows, computed in one place from the incidents' current states:
counts by state, overdue by OPD (the "terlambat" list), the oldest open one, and the mean times to
acknowledge (MTTA) and to resolve (MTTR) of this week (from Monday 00.00 WIB)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from core.clock import WIB
from core.incidents.clocks import Clock, clocks, overdue
from core.incidents.lifecycle import DONE, STATES, Incident
from core.incidents.settings import IncidentSettings
from core.streams import from_iso


@dataclass
class Late:
    incident: Incident
    clocks: list[Clock]


@dataclass
class IncidentFigures:
    by_state: dict[str, int] = field(default_factory=dict)
    open: int = 0
    overdue_by_opd: dict[str, int] = field(default_factory=dict)  # "" for incidents not yet assigned
    late: list[Late] = field(default_factory=list)  # oldest first
    oldest_open: Incident | None = None
    mtta_s: float | None = None
    mttr_s: float | None = None
    week_start: datetime | None = None


def week_start(now: datetime) -> datetime:
    """Monday 00.00 WIB of the week `now` is in."""
    day = now.astimezone(WIB).date()
    return datetime.combine(day - timedelta(days=day.weekday()), time(0), WIB)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def figures(incidents: list[Incident], settings: IncidentSettings, now: datetime) -> IncidentFigures:
    out = IncidentFigures(by_state={s: 0 for s in STATES}, week_start=week_start(now))
    to_ack, to_resolve = [], []
    for incident in incidents:
        out.by_state[incident.state] = out.by_state.get(incident.state, 0) + 1
        opened = from_iso(incident.opened_at)
        if incident.acknowledged_at and from_iso(incident.acknowledged_at) >= out.week_start:
            to_ack.append((from_iso(incident.acknowledged_at) - opened).total_seconds())
        if incident.resolved_at and from_iso(incident.resolved_at) >= out.week_start:
            to_resolve.append((from_iso(incident.resolved_at) - opened).total_seconds())
        if incident.state in DONE:
            continue
        out.open += 1
        oldest = out.oldest_open
        if oldest is None or (incident.opened_at, incident.id) < (oldest.opened_at, oldest.id):
            out.oldest_open = incident
        category = settings.categories.get(incident.category)
        red = overdue(incident, category, now, settings.amber_at) if category else []
        if red:
            out.overdue_by_opd[incident.opd or ""] = out.overdue_by_opd.get(incident.opd or "", 0) + 1
            out.late.append(Late(incident, red))
    out.late.sort(key=lambda late: (late.incident.opened_at, late.incident.id))
    out.mtta_s, out.mttr_s = _mean(to_ack), _mean(to_resolve)
    return out


@dataclass
class OpdRecord:
    """What the public may know of one OPD's incidents: counts and the share resolved on time."""

    open: int = 0
    resolved: int = 0  # resolved within the period
    on_time: int = 0  # of those, within the category's time to resolve

    @property
    def on_time_share(self) -> float | None:
        return 100.0 * self.on_time / self.resolved if self.resolved else None


def by_opd(incidents: list[Incident], settings: IncidentSettings, now: datetime,
           days: int = 30) -> dict[str, OpdRecord]:
    """Per assigned OPD: open incidents now, and those resolved in the last `days` with how many on time.
    Merged duplicates count nowhere (they are another incident's)."""
    since = now - timedelta(days=days)
    out: dict[str, OpdRecord] = {}
    for incident in incidents:
        if not incident.opd or incident.state == "duplikat":
            continue
        record = out.setdefault(incident.opd, OpdRecord())
        if incident.state not in DONE:
            record.open += 1
        if incident.resolved_at and from_iso(incident.resolved_at) >= since:
            record.resolved += 1
            category = settings.categories.get(incident.category)
            resolve = next((c for c in clocks(incident, category, now, settings.amber_at) if c.name == "resolve"),
                           None) if category else None
            record.on_time += bool(resolve and resolve.status == "met")
    return dict(sorted(out.items()))
