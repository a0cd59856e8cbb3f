"""The audit trail: who did what, when, to what, and whether it was allowed.

    audit.record(client, who="budi", action="upload", target="feed:harga_pasar", outcome="ok",
                 detail="120 baris", ip="10.0.0.5")

Both halves write it (the dashboard for logins, exports, acknowledgements and camera views; ingest
for uploads and refused tokens); admins read it at /admin/audit. `client` is a sync or async redis
client: `record` returns the XADD's result or awaitable.
"""

from __future__ import annotations

from typing import Any

from core.streams import AUDIT, AUDIT_MAXLEN, to_iso, utc_now

ACTIONS = ("login", "login_failed", "logout", "session_expired", "csrf_refused", "rate_limited",
           "refused", "export", "upload", "upload_refused", "token_refused", "acknowledge", "camera_view",
           "user_changed", "screen_control",  # screen_control: a wall playlist paused/moved from /remote
           "incident")  # a step on an incident (its own timeline holds the detail)


def entry(who: str, action: str, target: str = "", outcome: str = "ok", detail: str = "",
          ip: str = "") -> dict[str, str]:
    """The fields of one audit entry; `who` is a username, or "" for an anonymous request."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return {"at": to_iso(utc_now()), "who": who or "-", "action": action, "target": target,
            "outcome": outcome, "detail": detail[:500], "ip": ip}


def record(client: Any, who: str, action: str, target: str = "", outcome: str = "ok", detail: str = "",
           ip: str = ""):
    return client.xadd(AUDIT, entry(who, action, target, outcome, detail, ip), maxlen=AUDIT_MAXLEN,
                       approximate=True)
