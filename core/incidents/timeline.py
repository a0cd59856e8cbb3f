"""Incidents in Redis: one append-only timeline stream per incident, and the current state derived from it.

Every step goes through `take_step`, which checks who may take it and from which state, then appends
the entry and stores the derived state in one transaction (WATCHed, so two people clicking at once
cannot both move the same incident). `rebuild` folds a timeline again; `rebuild_all` does it for every
incident and rewrites the stored states, which must not change them.
"""

from __future__ import annotations

import json

import redis

from core import audit
from core.incidents.lifecycle import Actor, Incident, NotAllowedNow, Refused, apply, check, fold
from core.streams import (
    AUDIT,
    AUDIT_MAXLEN,
    as_text,
    incident_events,
    incident_sequence,
    incident_timeline,
    incidents_current,
    to_iso,
    utc_now,
)

EVENTS_MAXLEN = 50_000
TEXT_LIMIT = 2000  # a note or a title longer than this is cut: a timeline is read, not archived



def load(client: redis.Redis, incident_id: str) -> Incident | None:
    """An incident's stored current state, or None."""
    stored = client.hget(incidents_current(), incident_id)
    return Incident.from_dict(json.loads(stored)) if stored else None


def all_incidents(client: redis.Redis) -> list[Incident]:
    """Every incident's current state, newest first."""
    out = []
    for text in client.hgetall(incidents_current()).values():
        try:
            out.append(Incident.from_dict(json.loads(text)))
        except (TypeError, ValueError):
            continue
    out.sort(key=lambda i: (i.opened_at, i.id), reverse=True)
    return out


def timeline(client: redis.Redis, incident_id: str) -> list[dict[str, str]]:
    """An incident's entries, oldest first, each with its stream id."""
    return [{"id": as_text(eid), **{as_text(k): as_text(v) for k, v in fields.items()}}
            for eid, fields in client.xrange(incident_timeline(incident_id))]


def rebuild(client: redis.Redis, incident_id: str) -> Incident | None:
    """The incident folded again from its timeline alone."""
    return fold(timeline(client, incident_id), incident_id)


def rebuild_all(client: redis.Redis) -> dict[str, Incident]:
    """Fold every timeline and rewrite the stored states from them; returns them by id."""
    ids = [i.id for i in all_incidents(client)]
    prefix, suffix = incident_timeline("\x00").split("\x00")
    for key in client.scan_iter(match=incident_timeline("*"), count=500):
        key = as_text(key)
        ids.append(key[len(prefix):len(key) - len(suffix)])
    rebuilt = {}
    for incident_id in dict.fromkeys(ids):
        incident = rebuild(client, incident_id)
        if incident is not None:
            rebuilt[incident_id] = incident
            client.hset(incidents_current(), incident_id, json.dumps(incident.to_dict(), ensure_ascii=False))
    return rebuilt


def _entry(actor: Actor, step: str, incident_id: str, note: str, fields: dict[str, str]) -> dict[str, str]:
    entry = {"step": step, "who": actor.name, "role": actor.role, "at": to_iso(utc_now()), "incident": incident_id,
             "note": (note or "")[:TEXT_LIMIT]}
    entry.update({k: str(v)[:TEXT_LIMIT] for k, v in fields.items() if v is not None and v != ""})
    return entry


def _audit_refusal(client: redis.Redis, actor: Actor, step: str, incident_id: str, reason: str) -> None:
    if actor.role != "system":
        client.xadd(AUDIT, audit.entry(actor.name, "incident", f"incident:{incident_id}", "refused",
                                       f"{step}: {reason}"), maxlen=AUDIT_MAXLEN, approximate=True)


def open_incident(client: redis.Redis, actor: Actor, *, title: str, category: str, opd: str | None = None,
                  note: str = "", source: str = "manual", **fields: str) -> Incident:
    """Open a new incident (state baru) as `actor`; Refused / NotAllowedNow when it may not."""
    opening = {"title": title, "category": category, "opd": opd or "", "source": source, **fields}
    try:
        check(actor, "buka", None, opening)
    except (Refused, NotAllowedNow) as exc:
        _audit_refusal(client, actor, "buka", "-", str(exc))
        raise
    incident_id = f"INS-{client.incr(incident_sequence()):06d}"
    entry = _entry(actor, "buka", incident_id, note, opening)
    incident = apply(None, entry, incident_id)
    pipe = client.pipeline(transaction=True)
    pipe.xadd(incident_timeline(incident_id), entry)
    pipe.hset(incidents_current(), incident_id, json.dumps(incident.to_dict(), ensure_ascii=False))
    pipe.xadd(incident_events(), {"incident": incident_id, "step": "buka", "at": entry["at"]},
              maxlen=EVENTS_MAXLEN, approximate=True)
    if actor.role != "system":
        pipe.xadd(AUDIT, audit.entry(actor.name, "incident", f"incident:{incident_id}", "ok", f"buka: {title}"),
                  maxlen=AUDIT_MAXLEN, approximate=True)
    pipe.execute()
    return incident


def take_step(client: redis.Redis, actor: Actor, incident_id: str, step: str, note: str = "",
              **fields: str) -> Incident:
    """Take one step on an incident as `actor` and return the incident after it.

    Refused: the actor may not (audited); NotAllowedNow: not from this state, or something missing.
    A merge ("gabungkan", target=<id>) also writes a "duplikat_masuk" entry on the target's timeline."""
    target_id = fields.get("target") if step == "gabungkan" else None
    keys = [incident_timeline(incident_id)] + ([incident_timeline(target_id)] if target_id else [])
    with client.pipeline(transaction=True) as pipe:
        while True:
            try:
                pipe.watch(*keys)
                incident = load(pipe, incident_id)
                try:
                    check(actor, step, incident, {**fields, "note": note})
                    target = load(pipe, target_id) if target_id else None
                    if target_id and (target is None or target.state == "duplikat"):
                        raise NotAllowedNow(f"insiden induk {target_id} tidak ada atau sudah duplikat")
                except (Refused, NotAllowedNow) as exc:
                    pipe.unwatch()
                    _audit_refusal(client, actor, step, incident_id, str(exc))
                    raise
                entry = _entry(actor, step, incident_id, note, fields)
                after = apply(incident, entry)
                pipe.multi()
                pipe.xadd(incident_timeline(incident_id), entry)
                pipe.hset(incidents_current(), incident_id, json.dumps(after.to_dict(), ensure_ascii=False))
                if target is not None:
                    joined = _entry(actor, "duplikat_masuk", target_id, note, {"source_incident": incident_id})
                    pipe.xadd(incident_timeline(target_id), joined)
                    pipe.hset(incidents_current(), target_id,
                              json.dumps(apply(target, joined).to_dict(), ensure_ascii=False))
                pipe.xadd(incident_events(), {"incident": incident_id, "step": step, "at": entry["at"]},
                          maxlen=EVENTS_MAXLEN, approximate=True)
                if actor.role != "system":
                    pipe.xadd(AUDIT, audit.entry(actor.name, "incident", f"incident:{incident_id}", "ok",
                                                 f"{step}: {note}"), maxlen=AUDIT_MAXLEN, approximate=True)
                pipe.execute()
                return after
            except redis.WatchError:
                continue
