"""Incidents for the wall tile, public counts and morning report tests: three incidents of a week in
December, opened and stepped at known WIB times by the desk."""

from __future__ import annotations

from datetime import datetime

from core.clock import WIB
from core.incidents.lifecycle import Actor
from core.incidents.timeline import open_incident, take_step

DESK = Actor("desk", "analyst")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11 if day > 20 else 12, day, hour, minute, tzinfo=WIB)


def seed(r, advance_to) -> None:
    """A: Mon 09.00 for Dishub, never acknowledged (1 working day: overdue since Tue 09.00).
    B: Mon 09.00, acknowledged after 1 h, assigned, resolved Tue 09.00 (24 h).
    D: Tue 08.00 for Dishub, acknowledged after 30 min, not yet assigned (2 working days: not overdue).
    C: Wed 09.30, new. E: last Thursday, closed last week (outside this week's MTTA/MTTR)."""
    advance_to(at(26, 11))
    e = open_incident(r, DESK, title="E", category="umum", opd="dishub").id
    for step, fields in (("terima", {}), ("tugaskan", {"opd": "dishub"}), ("tangani", {}), ("selesaikan", {}),
                         ("tutup", {})):
        take_step(r, Actor("admin", "admin"), e, step, **fields)
    advance_to(at(30, 9))
    a = open_incident(r, DESK, title="A lampu jalan", category="umum", opd="dishub").id
    b = open_incident(r, DESK, title="B", category="umum", opd="satpol-pp").id
    advance_to(at(30, 10))
    take_step(r, DESK, b, "terima")
    advance_to(at(30, 11))
    take_step(r, DESK, b, "tugaskan", opd="satpol-pp")
    take_step(r, Actor("admin", "admin"), b, "tangani")
    advance_to(datetime(2026, 12, 1, 8, 0, tzinfo=WIB))
    d = open_incident(r, DESK, title="D", category="umum", opd="dishub").id
    advance_to(datetime(2026, 12, 1, 8, 30, tzinfo=WIB))
    take_step(r, DESK, d, "terima")
    advance_to(datetime(2026, 12, 1, 9, 0, tzinfo=WIB))
    take_step(r, Actor("admin", "admin"), b, "selesaikan")
    advance_to(datetime(2026, 12, 2, 9, 30, tzinfo=WIB))
    open_incident(r, DESK, title="C", category="umum")
    assert a == "INS-000002"
