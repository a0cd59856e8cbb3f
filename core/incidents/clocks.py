"""An incident's service-level clocks: time to acknowledge, to assign, to resolve, each against its
category's budget (hours, or working days), and how far each has run: ok, amber, red, or stopped
(met on time, met late, or not needed any more because the incident was merged)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.incidents.lifecycle import Incident
from core.incidents.settings import Budget, Category
from core.incidents.working_time import add_working_days, working_seconds
from core.streams import from_iso

CLOCKS = ("acknowledge", "assign", "resolve")


@dataclass(frozen=True)
class Clock:
    name: str  # acknowledge | assign | resolve
    budget: Budget
    started: datetime
    deadline: datetime
    stopped: datetime | None
    used: float  # share of the budget used by now (or when it stopped)
    status: str  # ok | amber | red | met | late | dropped

    @property
    def running(self) -> bool:
        return self.stopped is None and self.status in ("ok", "amber", "red")


def deadline(budget: Budget, start: datetime) -> datetime:
    if budget.in_working_days:
        return add_working_days(start, budget.working_days)
    return start + timedelta(seconds=budget.seconds)


def used_share(budget: Budget, start: datetime, until: datetime) -> float:
    if budget.in_working_days:
        return working_seconds(start, until) / (budget.working_days * 86400.0)
    return max(0.0, (until - start).total_seconds()) / budget.seconds


def _stop(incident: Incident, name: str) -> str | None:
    if name == "acknowledge":
        return incident.acknowledged_at
    if name == "assign":
        return incident.assigned_at
    return incident.resolved_at or (incident.closed_at if incident.state in ("ditutup",) else None)


def clocks(incident: Incident, category: Category, now: datetime, amber_at: float) -> list[Clock]:
    """The three clocks of an incident at `now`. A reopened incident's resolve clock runs on from its
    opening: reopening does not give an agency a fresh budget."""
    start = from_iso(incident.opened_at)
    out = []
    for name in CLOCKS:
        budget: Budget = getattr(category, name)
        due = deadline(budget, start)
        stop_text = _stop(incident, name)
        stopped = from_iso(stop_text) if stop_text else None
        if stopped is None and incident.state == "duplikat":
            stopped = from_iso(incident.closed_at) if incident.closed_at else now
            out.append(Clock(name, budget, start, due, stopped, used_share(budget, start, stopped), "dropped"))
            continue
        used = used_share(budget, start, stopped or now)
        if stopped is not None:
            status = "met" if stopped <= due else "late"
        elif now >= due:
            status = "red"
        elif used >= amber_at:
            status = "amber"
        else:
            status = "ok"
        out.append(Clock(name, budget, start, due, stopped, used, status))
    return out


def overdue(incident: Incident, category: Category, now: datetime, amber_at: float) -> list[Clock]:
    """The running clocks already past their deadline (the "terlambat" list)."""
    return [c for c in clocks(incident, category, now, amber_at) if c.status == "red"]
