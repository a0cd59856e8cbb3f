"""Escalation: an incident nobody has acknowledged climbs its category's ladder (operator -> head of
the OPD -> Sekda / governor's office), one level per wait; reaching a level tells that level through
the IT control center's channels (e-mail, Telegram, WhatsApp gateway). Acknowledging ("terima")
stops the chase: only incidents still "baru" climb.

A level is first claimed on the incident's timeline (a transaction that fails once someone has
acknowledged), then told: nobody is chased for an incident acknowledged a moment before.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import aiohttp
import redis

from core.clock import WIB, utc_now
from core.config import Config
from core.incidents.lifecycle import SYSTEM_ACTOR, Incident, NotAllowedNow
from core.incidents.settings import LEVEL_NAMES, Category
from core.incidents.timeline import all_incidents, take_step
from core.streams import from_iso
from ingest.incidents.tell import tell
from ingest.notify import Message


def due_level(category: Category, opened: datetime, now: datetime) -> int:
    """The highest escalation level (index) an unacknowledged incident opened at `opened` has reached by
    `now`; -1 before the first. Each level's wait runs from the previous level."""
    reached, at = -1, opened
    for i, level in enumerate(category.escalation):
        at += timedelta(seconds=level.wait)
        if now < at:
            break
        reached = i
    return reached


def message(incident: Incident, category: Category, level: int, opd_name: str) -> Message:
    step = category.escalation[level]
    since = from_iso(incident.opened_at).astimezone(WIB).strftime("%d-%m-%Y %H.%M %Z")
    return Message(
        f"[ESKALASI {LEVEL_NAMES[step.level]}] {incident.id} {incident.title}",
        f"Insiden {incident.id} ({category.name}, {opd_name or 'belum ditugaskan'}) belum diterima sejak {since}.\n"
        f"Terima di /insiden?id={incident.id} agar eskalasi berhenti.")


class Escalator:
    def __init__(self, config: Config, client: redis.Redis, session: aiohttp.ClientSession):
        self.config = config
        self.client = client
        self.session = session

    def _claim(self, now: datetime) -> list[tuple[Incident, Category, int]]:
        """Record every level newly reached on its incident's timeline; the levels to tell."""
        out = []
        for incident in all_incidents(self.client):
            category = self.config.incidents.categories.get(incident.category)
            if incident.state != "baru" or category is None or not category.escalation:
                continue
            reached = due_level(category, from_iso(incident.opened_at), now)
            for level in range(incident.escalation_level + 1, reached + 1):
                try:
                    take_step(self.client, SYSTEM_ACTOR, incident.id, "eskalasi",
                              f"Belum diterima: diteruskan ke {LEVEL_NAMES[category.escalation[level].level]}",
                              level=str(level), to=category.escalation[level].level)
                except NotAllowedNow:  # acknowledged meanwhile: the chase is over
                    break
                out.append((incident, category, level))
        return out

    async def tick(self, now: datetime | None = None) -> list[tuple[str, int]]:
        """Escalate what is due at `now`; returns (incident id, level) for each level reached."""
        now = now or utc_now()
        claimed = await asyncio.to_thread(self._claim, now)
        for incident, category, level in claimed:
            opd = self.config.monitors.opds.get(incident.opd or "")
            step = category.escalation[level]
            channels = list(dict.fromkeys(step.notify + (opd.notify if step.opd_channels and opd else [])))
            await tell(self.config, self.client, self.session, channels,
                       message(incident, category, level, opd.name if opd else ""), incident=incident.id,
                       level=str(level))
        return [(incident.id, level) for incident, _, level in claimed]
