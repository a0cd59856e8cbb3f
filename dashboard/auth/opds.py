"""Which OPDs (the province's agencies) a user sees: the IT control center and the incidents both ask."""

from __future__ import annotations

from core.config import Config
from dashboard.auth.roles import ANALYSTS, OPERATOR, User


def visible_opds(user: User, config: Config) -> list[str]:
    """The OPDs a user may see: all for analysts and up, an operator's own (by their feeds)."""
    if user.role in ANALYSTS:
        return list(config.monitors.opds)
    if user.role == OPERATOR:
        return [oid for oid, opd in config.monitors.opds.items() if set(opd.feeds) & set(user.feeds)]
    return []
