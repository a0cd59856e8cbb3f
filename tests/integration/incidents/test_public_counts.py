"""The public's incident page: per OPD, open incidents, those resolved in 30 days and the share on time,
equal to a recount of a known week; no title, note or name of anyone reaches it; anyone may open it,
while /insiden stays for those signed in."""

from __future__ import annotations

from datetime import timedelta

from core.clock import frozen, utc_now
from core.config import load_config
from core.incidents.lifecycle import Actor
from core.incidents.timeline import open_incident, take_step
from dashboard.auth.access import ANONYMOUS, PAGE_RULES, allowed, reset_current_user, set_current_user
from dashboard.context import PageContext
from dashboard.incidents import public_page
from tests.support.app import ROOT
from tests.support.incidents import DESK, at, seed

ADMIN = Actor("admin", "admin")


def test_public_counts_per_opd_with_the_on_time_share_and_nothing_personal(r, redis_url):
    config = load_config(ROOT / "config.yaml")
    with frozen(at(26, 11)) as advance:
        seed(r, lambda t: advance(t - utc_now()))
        # F: Wednesday 09.30 for Dishub, 8 h to resolve, resolved after 9 h: late.
        late = open_incident(r, DESK, title="Server SIMDA lambat", category="layanan-ti", opd="dishub",
                             note="dilaporkan oleh Budi 081234567890").id
        for step, fields in (("terima", {}), ("tugaskan", {"opd": "dishub"}), ("tangani", {})):
            take_step(r, ADMIN, late, step, **fields)
        advance(timedelta(hours=9))
        take_step(r, ADMIN, late, "selesaikan", "Diganti disk")
        advance(timedelta(hours=1, minutes=30))
        token = set_current_user(ANONYMOUS)
        try:
            page, _ = public_page.route("/insiden-publik", "", None, PageContext(config, {}, None, None, r, redis_url))
        finally:
            reset_current_user(token)
    rows = {getattr(row, "data-opd"): row for row in page.children[1].children[1].children}
    # Dishub: A and D open; E (last Thursday, on time) and F (late) resolved -> 50 %.
    dishub = rows["dishub"]
    assert (getattr(dishub, "data-open"), getattr(dishub, "data-resolved"),
            getattr(dishub, "data-on-time")) == ("2", "2", "1")
    assert dishub.children[3].children == "50,0 %"
    satpol = rows["satpol-pp"]  # B resolved on time, nothing open
    assert (getattr(satpol, "data-open"), getattr(satpol, "data-resolved"),
            satpol.children[3].children) == ("0", "1", "100,0 %")
    assert set(rows) == {"dishub", "satpol-pp"}  # C has no OPD yet
    text = str(page)
    for private in ("lampu", "SIMDA", "Budi", "081234567890", "Diganti", "INS-"):
        assert private not in text
    assert allowed(ANONYMOUS, PAGE_RULES, "/insiden-publik") and not allowed(ANONYMOUS, PAGE_RULES, "/insiden")
