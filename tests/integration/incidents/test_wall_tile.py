"""The incidents wall tile and /insiden's summary against a recount of a known week: counts by state,
overdue by OPD, the oldest open incident, MTTA and MTTR of this week (from Monday 00.00 WIB)."""

from __future__ import annotations

from datetime import datetime

from dash.development.base_component import Component

from core.clock import WIB, frozen, utc_now
from core.config import load_config
from core.streams import incidents_current
from dashboard.auth.access import User, reset_current_user, set_current_user
from dashboard.context import PageContext
from dashboard.incidents import page
from dashboard.incidents.tile import Tile, layout, leaves, read_incidents
from dashboard.live.snapshot import Frame, Snapshot
from dashboard.tiles import late_incidents as governor_late
from dashboard.tiles.base import WallContext, dom_id
from tests.support.app import ROOT
from tests.support.incidents import at, seed

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=WIB)  # Wednesday


def texts(component) -> str:
    if isinstance(component, (list, tuple)):
        return "".join(texts(c) for c in component)
    if isinstance(component, Component):
        return texts(getattr(component, "children", None) or [])
    return str(component) if component is not None else ""


def find(component, wanted: str):
    if isinstance(component, (list, tuple)):
        return next((f for f in (find(c, wanted) for c in component) if f is not None), None)
    if isinstance(component, Component):
        if getattr(component, "id", None) == wanted:
            return component
        return find(getattr(component, "children", None), wanted)
    return None


def test_the_tile_and_the_page_equal_a_recount(r, redis_url):
    config = load_config(ROOT / "config.yaml")
    with frozen(at(26, 11)) as advance:
        seed(r, lambda t: advance(t - utc_now()))
        advance(NOW - utc_now())
        tile = Tile(id="insiden", kind="incidents", col=1, row=1, width=8, height=9)
        ctx = WallContext(config)
        assert find(layout(tile, ctx), dom_id("insiden", "open")) is not None
        snapshot = Snapshot(incidents=read_incidents(r.hgetall(incidents_current())), read_at=utc_now())
        shown = leaves(tile, ctx, Frame(snapshot, utc_now()))
        governor = governor_late.leaves(Frame(snapshot, utc_now()), "id", config)
        token = set_current_user(User(name="uji-admin", role="admin"))
        try:
            screen, _ = page.route("/insiden", "", None, PageContext(config, {}, None, None, r, redis_url))
        finally:
            reset_current_user(token)
    # The recount, by hand from the story above.
    assert shown[(dom_id("insiden", "open"), "children")] == "3"  # A, C, D (B is resolved, E closed)
    assert shown[(dom_id("insiden", "state-baru"), "children")] == "2"
    assert shown[(dom_id("insiden", "state-diterima"), "children")] == "1"
    assert shown[(dom_id("insiden", "state-selesai"), "children")] == "1"
    assert shown[(dom_id("insiden", "late-0"), "children")] == "Dishub: 1"
    assert shown[(dom_id("insiden", "late-1"), "children")] == ""
    assert shown[(dom_id("insiden", "oldest"), "children")] == "Tertua terbuka: INS-000002 A lampu jalan"
    # MTTA: B 60 min and D 30 min this week -> 45 min; MTTR: B 24 h. E (last week) counts in neither.
    assert shown[(dom_id("insiden", "mtt"), "children")] == "MTTA minggu ini 45 m · MTTR minggu ini 1 h 0 j"
    # The page shows the same figures.
    assert texts(find(screen, "ins-open-count")) == "3"
    assert texts(find(screen, "ins-mtta")) == "45 m" and texts(find(screen, "ins-mttr")) == "1 h 0 j"
    assert "Dishub: 1" in texts(find(screen, "ins-overdue-by-opd"))
    late = find(screen, "ins-late")
    assert "INS-000002" in texts(late) and "Dishub" in texts(late) and "INS-000004" not in texts(late)
    # The governor's "terlambat" line: the one overdue incident and whose it is.
    assert governor[("gov-late-count", "children")] == "1"
    assert governor[("gov-late-list", "children")] == "INS-000002 Dishub"
    assert governor[("gov-late", "className")] == "gov-it is-red"
