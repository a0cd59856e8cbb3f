"""An incident walked through every state and branch over HTTP, as the real app answers each signed-in
role's callbacks: every step taken by each role allowed to take it (the walk is run four times, the
allowed roles taking turns) and refused for every role that may not (first walk), whatever the
browser sends. Then: every incident rebuilt from its timeline equals what is stored and shown, and
the page shows an operator their own OPD's incidents only."""

from __future__ import annotations

import json
import re

import pytest

from core.incidents.timeline import all_incidents, load, rebuild_all, timeline
from dashboard.app import create_app
from tests.support.access import ROLES, audit_entries, fetch, post_callback
from tests.support.app import TEST_USERS, config, login, serve, users_file  # noqa: F401 - shared fixtures

OWN = "satpol-pp"   # the test operator's OPD (bound by its feed lapor_banten in config.yaml)
OTHER = "dishub"    # an OPD the test operator does not work for

# The rules as the command center runs them: "operator" = only an operator of the incident's OPD.
ALLOWED = {
    "buka": {"operator", "analyst", "admin"},
    "catatan": {"operator", "analyst", "executive", "admin"},
    "terima": {"operator", "analyst", "admin"},
    "tugaskan": {"analyst", "admin"},
    "alihkan": {"operator", "analyst", "admin"},
    "tangani": {"operator", "admin"},
    "selesaikan": {"operator", "admin"},
    "tutup": {"analyst", "admin"},
    "buka_kembali": {"analyst", "executive", "admin"},
    "gabungkan": {"analyst", "admin"},
}
# (step, fields, the OPD the incident belongs to when the step is taken, the state after)
WALK = [
    ("catatan", {"note": "Warga melapor lewat telepon"}, OWN, "baru"),
    ("terima", {}, OWN, "diterima"),
    ("tugaskan", {"opd": OTHER}, OWN, "ditugaskan"),
    ("alihkan", {"opd": OWN}, OTHER, "dialihkan"),
    ("tangani", {}, OWN, "ditangani"),
    ("selesaikan", {}, OWN, "selesai"),
    ("buka_kembali", {}, OWN, "dibuka_kembali"),
    ("tangani", {}, OWN, "ditangani"),
    ("selesaikan", {}, OWN, "selesai"),
    ("tutup", {}, OWN, "ditutup"),
    ("buka_kembali", {}, OWN, "dibuka_kembali"),
    ("tugaskan", {"opd": OWN}, OWN, "ditugaskan"),
    ("alihkan", {"opd": OTHER}, OWN, "dialihkan"),
    ("gabungkan", {"target": "PARENT"}, OTHER, "duplikat"),
]


def allowed(step: str, role: str, opd: str) -> bool:
    return role in ALLOWED[step] and (role != "operator" or opd == OWN)


def _state(component_id, prop, value):
    return {"id": component_id, "property": prop, "value": value}


def step_payload(incident_id: str, step: str, note="", opd=None, target=None, lang="id") -> dict:
    button = {"type": "ins-step", "step": step}
    return {"output": "..ins-message.children...ins-detail.children..",
            "outputs": [{"id": "ins-message", "property": "children"}, {"id": "ins-detail", "property": "children"}],
            "inputs": [[_state(button, "n_clicks", 1)]],
            "state": [_state("ins-id", "data", incident_id), _state("ins-note", "value", note),
                      _state("ins-opd", "value", opd), _state("ins-target", "value", target),
                      _state("ins-lang", "data", lang)],
            "changedPropIds": [json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"]}


def open_payload(title: str, category: str, opd: str | None) -> dict:
    return {"output": "ins-open-message.children", "outputs": {"id": "ins-open-message", "property": "children"},
            "inputs": [_state("ins-open", "n_clicks", 1)],
            "state": [_state("ins-new-title", "value", title), _state("ins-new-category", "value", category),
                      _state("ins-new-opd", "value", opd), _state("ins-new-note", "value", ""),
                      _state("ins-lang", "data", "id")],
            "changedPropIds": ["ins-open.n_clicks"]}


def page_payload(search: str) -> dict:
    return {"output": "..screen.children...wall-meta.data..",
            "outputs": [{"id": "screen", "property": "children"}, {"id": "wall-meta", "property": "data"}],
            "inputs": [_state("url", "pathname", "/insiden"), _state("url", "search", search)],
            "state": [_state("wall-meta", "data", None)], "changedPropIds": ["url.pathname"]}


def message(answer) -> str:
    assert answer.status == 200, (answer.status, answer.text()[:200])
    return json.dumps(answer.json()["response"], ensure_ascii=False)


@pytest.fixture(scope="module")
def site(config, redis_server):  # noqa: F811
    from core.redis import connect

    connect(redis_server.url).flushall()
    with serve(create_app(config, redis_server.url)) as base:
        sessions = {role: (login(base, role) if role != "public" else None) for role in ROLES}
        yield base, sessions, connect(redis_server.url, decode_responses=True)


def open_as(base, sessions, role, title, opd=OWN) -> str:
    text = message(post_callback(base, open_payload(title, "umum", opd), sessions[role]))
    assert "Insiden INS-" in text, text
    return text.split("Insiden ")[1].split(" ")[0]


def test_every_state_and_branch_by_the_roles_allowed_and_refused_for_the_others(site):
    base, sessions, r = site
    # Opening: refused for the executive, for an operator for another OPD's incident, and the public.
    for role, opd in (("executive", OWN), ("operator", OTHER)):
        text = message(post_callback(base, open_payload("Jalan rusak", "umum", opd), sessions[role]))
        assert "Ditolak" in text, (role, text)
    assert post_callback(base, open_payload("Jalan rusak", "umum", OWN), None).status == 401
    assert all_incidents(r) == []
    walked = []
    for turn in range(4):
        opener = sorted(ALLOWED["buka"])[turn % 3]
        parent = open_as(base, sessions, "admin", f"Induk {turn}")
        incident_id = open_as(base, sessions, opener, f"Lampu jalan padam {turn}")
        walked.append(incident_id)
        assert load(r, incident_id).state == "baru" and load(r, incident_id).opened_by == TEST_USERS[opener]
        for step, fields, opd, after in WALK:
            fields = {k: (parent if v == "PARENT" else v) for k, v in fields.items()}
            before = load(r, incident_id)
            assert before.opd == opd, (step, before.opd)
            if turn == 0:
                for role in ROLES:
                    if allowed(step, role, opd):
                        continue
                    answer = post_callback(base, step_payload(incident_id, step, **fields), sessions[role])
                    if role == "public":
                        assert answer.status == 401
                    else:
                        assert "Ditolak" in message(answer), (step, role, message(answer))
                    assert load(r, incident_id) == before, (step, role)
            takers = sorted(role for role in ROLES if allowed(step, role, opd))
            taker = takers[turn % len(takers)]
            text = message(post_callback(base, step_payload(incident_id, step, **fields), sessions[taker]))
            assert "Ditolak" not in text and "Tidak dapat" not in text, (step, taker, text)
            now = load(r, incident_id)
            assert now.state == after, (step, taker, now.state)
            assert timeline(r, incident_id)[-1]["who"] == TEST_USERS[taker]
        assert load(r, parent).duplicates == [incident_id]
        assert load(r, incident_id).duplicate_of == parent
    # Every allowed role took every step at least once over the four walks.
    takers = {}
    for incident_id in walked:
        for entry in timeline(r, incident_id):
            takers.setdefault(entry["step"], set()).add(entry["role"])
    for step, roles in ALLOWED.items():
        assert takers[step] == roles, (step, takers[step])
    # A step from a state it does not start from is not possible, for anyone.
    fresh = open_as(base, sessions, "analyst", "Pohon tumbang")
    assert "Tidak dapat" in message(post_callback(base, step_payload(fresh, "tutup"), sessions["admin"]))
    assert "Tidak dapat" in message(post_callback(base, step_payload(fresh, "tugaskan"), sessions["admin"]))  # no OPD
    assert load(r, fresh).state == "baru"
    # Refusals are audited with who tried what.
    refused = [e for e in audit_entries(r, "incident") if e["outcome"] == "refused"]
    assert {e["who"] for e in refused} >= {TEST_USERS["executive"], TEST_USERS["operator"], TEST_USERS["analyst"]}


def test_rebuilding_from_the_timelines_gives_what_is_stored_and_what_the_page_shows(site):
    base, sessions, r = site
    stored = {i.id: i for i in all_incidents(r)}
    assert len(stored) >= 9
    r.delete("cc:incidents")  # the derived states are lost: the timelines alone bring them back
    assert rebuild_all(r) == stored
    assert {i.id: i for i in all_incidents(r)} == stored
    one = next(i for i in stored.values() if i.state == "duplikat")
    shown = message(post_callback(base, page_payload(f"?id={one.id}"), sessions["admin"]))
    assert f"{one.id} — {one.title}" in shown and "Duplikat" in shown
    assert [e["id"] for e in timeline(r, one.id)] == re.findall(r'"data-entry": "([^"]+)"', shown)


def test_an_operator_sees_their_own_opds_incidents_and_the_filters_apply(site):
    base, sessions, r = site
    other = next(i for i in all_incidents(r) if i.opd == OWN)
    r.hset("cc:incidents", other.id, json.dumps({**other.to_dict(), "opd": OTHER}))  # seen as another OPD's
    try:
        mine = message(post_callback(base, page_payload(""), sessions["operator"]))
        assert f'"data-incident": "{other.id}"' not in mine
        assert "Ditolak" not in mine
        hidden = message(post_callback(base, page_payload(f"?id={other.id}"), sessions["operator"]))
        assert "bukan milik OPD Anda" in hidden and other.title not in hidden
        everyone = message(post_callback(base, page_payload("?status=duplikat"), sessions["analyst"]))
        shown = {i.id for i in all_incidents(r) if i.state == "duplikat"}
        assert {i.id for i in all_incidents(r) if f'"data-incident": "{i.id}"' in everyone} == shown
    finally:
        r.hset("cc:incidents", other.id, json.dumps(other.to_dict()))
    assert fetch(f"{base}/insiden", None).status in (302, 401)
