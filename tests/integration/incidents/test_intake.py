"""Incidents from what the command center already watches: a service DOWN in the IT control center
opens one incident (for the root service's OPD) once, and its recovery is noted once on the timeline;
an alert's end is noted on the incident it joined."""

from __future__ import annotations

from datetime import timedelta

from core.alerts import Alert
from core.clock import utc_now
from core.config import load_config
from core.incidents.timeline import all_incidents, timeline
from core.streams import ALERTS, monitor_incidents
from ingest.incidents.intake import AlertIntake
from ingest.monitor.incidents import Incident as ItIncident
from tests.support.app import ROOT

NAMES = {"portal": "Portal bantenprov.go.id (Diskominfo SP)", "sso": "SSO Pegawai (Diskominfo SP)"}


def test_a_service_down_opens_one_incident_for_its_opd_and_its_recovery_is_noted(r):
    config = load_config(ROOT / "config.yaml")
    intake = AlertIntake(config, r)
    down = ItIncident("portal-1", "portal", utc_now() - timedelta(minutes=3), "HTTP 503", affected=["sso"])
    r.hset(monitor_incidents(), down.id, down.encode(NAMES))
    assert intake.services_down() == 1
    assert intake.services_down() == 0  # taken once
    [incident] = all_incidents(r)
    assert (incident.category, incident.opd, incident.state) == ("layanan-ti", "diskominfo", "baru")
    assert incident.title == "Layanan mati: Portal bantenprov.go.id (Diskominfo SP) (+1 terdampak)"
    down.resolved = utc_now()
    r.hset(monitor_incidents(), down.id, down.encode(NAMES))
    intake.services_down()
    intake.services_down()
    assert [e["step"] for e in timeline(r, incident.id)] == ["buka", "alert_selesai"]


def test_an_alert_that_ends_is_noted_on_its_incident_and_unknown_kinds_open_nothing(r):
    config = load_config(ROOT / "config.yaml")
    beds = Alert("bed_occupancy:RS01", "bed_occupancy", "critical", "RSUD Banten terisi 96 %", "e-yankes",
                 "3604", "RS01")
    other = Alert("x:1", "no_such_kind", "info", "Lain", "e-bps", "36")
    r.xadd(ALERTS, beds.entry("raised"))
    r.xadd(ALERTS, other.entry("raised"))
    r.xadd(ALERTS, beds.entry("resolved"))
    assert AlertIntake(config, r).step() == 3
    assert AlertIntake(config, r).step() == 0  # the cursor is kept
    [incident] = all_incidents(r)
    assert (incident.category, incident.opd, incident.severity) == ("faskes", "dinkes", "critical")
    assert [e["step"] for e in timeline(r, incident.id)] == ["buka", "alert_selesai"]


def test_a_silent_feed_opens_an_incident_for_its_opd_and_a_new_silence_joins_it(r):
    config = load_config(ROOT / "config.yaml")
    intake = AlertIntake(config, r)

    def feed_alert(severity: str, message: str) -> None:  # as ingest/health.py writes them
        r.xadd(ALERTS, {"severity": severity, "message": message, "source": "lpse_tender", "kind": "feed",
                        "at": "2026-12-02T03:00:00.000Z"})

    feed_alert("warning", "Tender LPSE: tidak mengirim data (30 menit)")
    feed_alert("info", "Tender LPSE: pulih, data kembali mengalir")
    feed_alert("warning", "Tender LPSE: gagal mengambil data (HTTP 502)")
    assert intake.step() == 3
    [incident] = all_incidents(r)
    assert (incident.category, incident.opd) == ("umpan-data", "ukpbj")  # UKPBJ lists lpse_tender
    assert [e["step"] for e in timeline(r, incident.id)] == ["buka", "alert_selesai", "alert"]
