"""An incident's lifecycle: its states, the steps between them, who may take each step, and the fold
that derives an incident's current state from its timeline.

    baru -> diterima -> ditugaskan -> ditangani -> selesai -> ditutup
                                   \\-> dialihkan (to another OPD) -> ditangani
    any open state -> duplikat (merged into another incident)
    selesai / ditutup -> dibuka_kembali -> ditugaskan / ditangani

The timeline is the truth: `fold(entries)` gives the same incident whenever it is run, so the stored
current state can always be rebuilt from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

STATES = ("baru", "diterima", "ditugaskan", "ditangani", "dialihkan", "selesai", "ditutup", "duplikat",
          "dibuka_kembali")
CLOSED = frozenset({"ditutup", "duplikat"})
DONE = frozenset({"selesai", "ditutup", "duplikat"})  # nobody works on it (selesai waits for verification)

SYSTEM = "system"  # the alert intake and the escalation desk; never a person's role
OPERATOR, ANALYST, EXECUTIVE, ADMIN = "operator", "analyst", "executive", "admin"
OWN_OPD = "operator-own"  # an operator of the incident's OPD (an operator of another OPD may not)

# step -> (states it may start from, the state it leads to or None for "unchanged")
STEPS: dict[str, tuple[frozenset[str], str | None]] = {
    "buka": (frozenset(), "baru"),
    "terima": (frozenset({"baru"}), "diterima"),
    "tugaskan": (frozenset({"diterima", "dibuka_kembali"}), "ditugaskan"),
    "tangani": (frozenset({"ditugaskan", "dialihkan", "dibuka_kembali"}), "ditangani"),
    "alihkan": (frozenset({"ditugaskan", "ditangani", "dialihkan"}), "dialihkan"),
    "selesaikan": (frozenset({"ditangani"}), "selesai"),
    "tutup": (frozenset({"selesai"}), "ditutup"),
    "buka_kembali": (frozenset({"selesai", "ditutup"}), "dibuka_kembali"),
    "gabungkan": (frozenset(set(STATES) - DONE), "duplikat"),
    "catatan": (frozenset(STATES), None),
    # Entries only the system writes; none changes the state.
    "eskalasi": (frozenset({"baru"}), None),
    "alert": (frozenset(set(STATES) - CLOSED), None),
    "alert_selesai": (frozenset(STATES), None),
    "duplikat_masuk": (frozenset(set(STATES) - {"duplikat"}), None),
}

# Who may take each step. The command center's desk (analysts, admins) triages and assigns; the OPD
# that owns an incident works it; the governor's office may reopen what it finds not done.
WHO: dict[str, frozenset[str]] = {
    "buka": frozenset({OWN_OPD, ANALYST, ADMIN, SYSTEM}),
    "terima": frozenset({OWN_OPD, ANALYST, ADMIN}),
    "tugaskan": frozenset({ANALYST, ADMIN}),
    "tangani": frozenset({OWN_OPD, ADMIN}),
    "alihkan": frozenset({OWN_OPD, ANALYST, ADMIN}),
    "selesaikan": frozenset({OWN_OPD, ADMIN}),
    "tutup": frozenset({ANALYST, ADMIN}),
    "buka_kembali": frozenset({ANALYST, EXECUTIVE, ADMIN}),
    "gabungkan": frozenset({ANALYST, ADMIN}),
    "catatan": frozenset({OWN_OPD, ANALYST, EXECUTIVE, ADMIN}),
    "eskalasi": frozenset({SYSTEM}),
    "alert": frozenset({SYSTEM}),
    "alert_selesai": frozenset({SYSTEM}),
    "duplikat_masuk": frozenset({SYSTEM}),
}
HUMAN_STEPS = ("terima", "tugaskan", "tangani", "alihkan", "selesaikan", "tutup", "buka_kembali", "gabungkan",
               "catatan")


class Refused(PermissionError):
    """The actor may not take this step on this incident (the reason, in Bahasa Indonesia)."""


class NotAllowedNow(ValueError):
    """The step does not start from the incident's state, or lacks what it needs (the reason)."""


@dataclass(frozen=True)
class Actor:
    """Who takes a step: a person with their role (and, for an operator, the OPDs they work for), or the system."""

    name: str
    role: str
    opds: frozenset[str] = frozenset()


SYSTEM_ACTOR = Actor("sistem", SYSTEM)


@dataclass
class Incident:
    id: str
    title: str = ""
    category: str = ""
    opd: str | None = None
    state: str = "baru"
    source: str = "manual"  # manual | alert
    application: str = ""  # the application an alert came from (e-disikap, ...)
    severity: str = "warning"
    region: str = ""
    unit: str = ""
    opened_at: str = ""
    opened_by: str = ""
    acknowledged_at: str | None = None
    acknowledged_by: str | None = None
    assigned_at: str | None = None
    resolved_at: str | None = None
    closed_at: str | None = None
    reopened: int = 0
    duplicate_of: str | None = None
    duplicates: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    escalation_level: int = -1  # the highest escalation level reached (index), -1: none
    escalated_at: str | None = None
    updated_at: str = ""
    entries: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Incident:
        return cls(**data)

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED


def may(actor: Actor, step: str, incident: Incident | None, opd: str | None = None) -> bool:
    """Whether `actor` may take `step` on `incident` (for "buka": an incident for `opd`)."""
    allowed = WHO.get(step, frozenset())
    if actor.role in allowed:
        return True
    if actor.role == OPERATOR and OWN_OPD in allowed:
        owner = opd if step == "buka" else (incident.opd if incident else None)
        return owner is not None and owner in actor.opds
    return False


def check(actor: Actor, step: str, incident: Incident | None, fields: dict[str, str]) -> None:
    """Raise Refused or NotAllowedNow when the step may not be taken; return when it may."""
    if step not in STEPS:
        raise NotAllowedNow(f"langkah tidak dikenal: {step}")
    if not may(actor, step, incident, fields.get("opd")):
        raise Refused(f"{actor.role} {actor.name} tidak berwenang: {step}")
    starts, _ = STEPS[step]
    if step == "buka":
        if incident is not None:
            raise NotAllowedNow("insiden sudah ada")
        if not fields.get("title") or not fields.get("category"):
            raise NotAllowedNow("judul dan kategori wajib diisi")
        return
    if incident is None:
        raise NotAllowedNow("insiden tidak ditemukan")
    if incident.state not in starts:
        raise NotAllowedNow(f"langkah {step} tidak dapat diambil dari status {incident.state}")
    if step in ("tugaskan", "alihkan") and not fields.get("opd"):
        raise NotAllowedNow("OPD tujuan wajib dipilih")
    if step == "alihkan" and fields.get("opd") == incident.opd:
        raise NotAllowedNow("OPD tujuan sama dengan OPD sekarang")
    if step == "gabungkan" and (not fields.get("target") or fields.get("target") == incident.id):
        raise NotAllowedNow("insiden induk wajib diisi (bukan insiden ini sendiri)")
    if step == "catatan" and not fields.get("note"):
        raise NotAllowedNow("catatan kosong")


def apply(incident: Incident | None, entry: dict[str, str], incident_id: str = "") -> Incident:
    """The incident after one timeline entry (fields: step, who, at, note and the step's own)."""
    step, at = entry["step"], entry["at"]
    if incident is None:
        incident = Incident(id=entry.get("incident") or incident_id, title=entry.get("title", ""),
                            category=entry.get("category", ""), opd=entry.get("opd") or None,
                            source=entry.get("source", "manual"), application=entry.get("application", ""),
                            severity=entry.get("severity") or "warning",
                            region=entry.get("region", ""), unit=entry.get("unit", ""), opened_at=at,
                            opened_by=entry.get("who", ""))
        if entry.get("alert_id"):
            incident.alerts.append(entry["alert_id"])
    incident.entries += 1
    incident.updated_at = at
    target = STEPS.get(step, (None, None))[1]
    if step == "terima":
        incident.acknowledged_at, incident.acknowledged_by = at, entry.get("who")
    elif step in ("tugaskan", "alihkan"):
        incident.opd = entry.get("opd") or incident.opd
        incident.assigned_at = incident.assigned_at or at
    elif step == "selesaikan":
        incident.resolved_at = at
    elif step == "tutup":
        incident.closed_at = at
    elif step == "buka_kembali":
        incident.reopened += 1
        incident.resolved_at = incident.closed_at = None
    elif step == "gabungkan":
        incident.duplicate_of = entry.get("target")
        incident.closed_at = at
    elif step == "duplikat_masuk" and entry.get("source_incident"):
        incident.duplicates.append(entry["source_incident"])
    elif step == "eskalasi":
        incident.escalation_level = max(incident.escalation_level, int(entry.get("level", "0")))
        incident.escalated_at = at
    elif step == "alert" and entry.get("alert_id") and entry["alert_id"] not in incident.alerts:
        incident.alerts.append(entry["alert_id"])
    if target is not None:
        incident.state = target
    return incident


def fold(entries: Iterable[dict[str, str]], incident_id: str = "") -> Incident | None:
    """The current state from the whole timeline, oldest entry first."""
    incident = None
    for entry in entries:
        incident = apply(incident, entry, incident_id)
    return incident
