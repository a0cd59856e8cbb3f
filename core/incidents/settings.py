"""The incident desk's contract (`incidents:` in config.yaml): categories, their service-level clocks,
their escalation ladders, and which alerts open incidents of which category and owner.

    incidents:
      categories:
        harga:
          name: Harga pangan
          alert_kinds: [price]            # alerts of these kinds open (or join) an incident here
          opd: disperindag                # the OPD an alert's incident is meant for (monitors.opds)
          acknowledge: 4h                 # a duration, or "3 hari kerja" (working days, WIB)
          assign: 1 hari kerja
          resolve: 5 hari kerja
          escalation:                     # while nobody has acknowledged: who is told, after what wait
            - {level: operator, wait: 30m, opd_channels: true}   # the OPD's own channels
            - {level: kepala_opd, wait: 2h, notify: [email-kepala]}
            - {level: sekda, wait: 4h, notify: [wa-sekda]}

Channels are the IT control center's (`monitors.channels`): one set of addresses for every notice.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.durations import parse_duration

_WORKING = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*hari\s+kerja\s*$", re.IGNORECASE)
Level = Literal["operator", "kepala_opd", "sekda"]
LEVEL_NAMES = {"operator": "Operator OPD", "kepala_opd": "Kepala OPD", "sekda": "Sekda / Kantor Gubernur"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Budget(_Model):
    """A service-level time: plain seconds, or whole working days (Mon-Fri less holidays, WIB)."""

    seconds: float = 0.0
    working_days: float = 0.0

    @property
    def in_working_days(self) -> bool:
        return self.working_days > 0


def parse_budget(value) -> Budget:
    """'4h', '30m', 3600 or '3 hari kerja'."""
    if isinstance(value, Budget):
        return value
    if isinstance(value, dict):
        return Budget(**value)
    match = _WORKING.match(str(value))
    if match:
        return Budget(working_days=float(match.group(1).replace(",", ".")))
    seconds = parse_duration(value)
    if seconds <= 0:
        raise ValueError("must be more than zero")
    return Budget(seconds=seconds)


class EscalationLevel(_Model):
    level: Level
    # Waited after the previous level was reached (the first: after the incident opened).
    wait: float = Field(gt=0)
    notify: list[str] = Field(default_factory=list)
    # Also the incident's own OPD's channels (monitors.opds.<opd>.notify): its operators, its head.
    opd_channels: bool = False

    @field_validator("wait", mode="before")
    @classmethod
    def _wait(cls, v):
        return parse_duration(v)


class Category(_Model):
    name: str = Field(min_length=1)
    alert_kinds: list[str] = Field(default_factory=list)
    # The IT control center's incidents (a service DOWN, with what it takes down) open incidents here,
    # for the OPD of the service at the root of it.
    service_down: bool = False
    opd: str | None = None
    acknowledge: Budget = Budget(seconds=4 * 3600)
    assign: Budget = Budget(seconds=24 * 3600)
    resolve: Budget = Budget(working_days=5)
    escalation: list[EscalationLevel] = Field(default_factory=list)

    @field_validator("acknowledge", "assign", "resolve", mode="before")
    @classmethod
    def _budget(cls, v):
        return parse_budget(v)


class IncidentSettings(_Model):
    enabled: bool = True
    # A running clock turns amber when this share of its time is used, red when all of it is.
    amber_at: float = Field(default=0.75, gt=0, lt=1)
    # How often the escalation desk looks at the open incidents (a level is reached within this much).
    tick: float = Field(default=30.0, gt=0, le=60)
    categories: dict[str, Category] = Field(default_factory=dict)
    # The governor's morning report: made at this WIB time each day and sent on these channels.
    report_at: str = Field(default="07:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    report_notify: list[str] = Field(default_factory=list)

    @field_validator("tick", mode="before")
    @classmethod
    def _tick(cls, v):
        return parse_duration(v)

    def category_of_alert(self, kind: str) -> str | None:
        return next((cid for cid, c in self.categories.items() if kind in c.alert_kinds), None)

    def service_down_category(self) -> str | None:
        return next((cid for cid, c in self.categories.items() if c.service_down), None)


def check_incidents(settings: IncidentSettings, opds: set[str], channels: set[str]) -> list[tuple[str, str]]:
    """What the models alone cannot know: OPDs and channels that exist, an alert kind in one category."""
    problems: list[tuple[str, str]] = []
    kinds: dict[str, str] = {}
    down = [cid for cid, c in settings.categories.items() if c.service_down]
    for cid in down[1:]:
        problems.append((f"incidents.categories.{cid}.service_down",
                         f"only one category takes services down ('{down[0]}' does)"))
    for cid, category in settings.categories.items():
        at = f"incidents.categories.{cid}"
        if not re.match(r"^[a-z0-9][a-z0-9_-]*$", cid):
            problems.append((at, "must use lower case letters, digits, - and _"))
        if category.opd is not None and category.opd not in opds:
            problems.append((f"{at}.opd", f"unknown OPD '{category.opd}' (monitors.opds)"))
        for i, kind in enumerate(category.alert_kinds):
            if kind in kinds:
                problems.append((f"{at}.alert_kinds[{i}]", f"alert kind '{kind}' is also in category '{kinds[kind]}'"))
            kinds.setdefault(kind, cid)
        for i, level in enumerate(category.escalation):
            for j, channel in enumerate(level.notify):
                if channel not in channels:
                    problems.append((f"{at}.escalation[{i}].notify[{j}]",
                                     f"unknown channel '{channel}' (monitors.channels)"))
    for i, channel in enumerate(settings.report_notify):
        if channel not in channels:
            problems.append((f"incidents.report_notify[{i}]", f"unknown channel '{channel}' (monitors.channels)"))
    return problems
