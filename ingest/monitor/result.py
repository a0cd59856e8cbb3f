"""One check's outcome and how it is stored on a service's results stream."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.streams import decoded, from_iso, to_iso


@dataclass(frozen=True)
class Outcome:
    """What a check kind found: success, response time, why it failed, and a certificate's expiry."""

    ok: bool
    ms: float | None = None
    reason: str = ""
    cert_expires: datetime | None = None


@dataclass(frozen=True)
class CheckResult:
    """An outcome with the service it belongs to, when it was taken and by which probe."""

    service: str
    at: datetime
    ok: bool
    ms: float | None = None
    reason: str = ""
    cert_expires: datetime | None = None
    probe: str = "pusat"

    @classmethod
    def of(cls, service: str, at: datetime, outcome: Outcome, probe: str) -> CheckResult:
        return cls(service, at, outcome.ok, outcome.ms, outcome.reason, outcome.cert_expires, probe)

    def encode(self) -> dict[str, str]:
        return {"service": self.service, "at": to_iso(self.at), "ok": "1" if self.ok else "0",
                "ms": "" if self.ms is None else f"{self.ms:.3f}", "reason": self.reason[:300],
                "cert": to_iso(self.cert_expires) if self.cert_expires else "", "probe": self.probe}

    @classmethod
    def decode(cls, fields: Mapping[Any, Any]) -> CheckResult:
        """A result from stream fields or from a probe's JSON (raises ValueError/KeyError on bad input)."""
        f = decoded(fields)
        ok = f["ok"]
        return cls(service=str(f["service"]), at=from_iso(str(f["at"])),
                   ok=ok in (True, 1, "1", "true"),
                   ms=float(f["ms"]) if f.get("ms") not in (None, "") else None,
                   reason=str(f.get("reason") or "")[:300],
                   cert_expires=from_iso(f["cert"]) if f.get("cert") else None,
                   probe=str(f.get("probe") or "pusat"))
