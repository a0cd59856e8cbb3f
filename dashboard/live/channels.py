"""The live hub's named channels: what a page can wait on besides the snapshot, named by what the
entries of the streams the hub follows say changed (dashboard/live/hub.py moves them)."""

from __future__ import annotations

from core.streams import ALERTS, AUDIT, KPI_UPDATES

APPS = "apps"                  # any application's figures (cc:kpi-updates entries naming an application)
ALERTS_CHANNEL = "alerts"      # an alert raised, resolved or acknowledged
PLAYLISTS = "playlists"        # any wall playlist moved by the remote
UPLOADS = "uploads"            # a file uploaded (or refused) for a feed
UPLOAD_ACTIONS = ("upload", "upload_refused", "token_refused")


def app_channel(application: str) -> str:
    """One application's figures."""
    return f"app:{application}"


def control_channel(target: str) -> str:
    """A screen moved by its controls: `meeting:<room>`, `playlist:<name>` (the audit's target)."""
    return f"control:{target}"


def channels_named(stream: str, fields: dict[str, str]) -> set[str]:
    """The channels one stream entry changes."""
    if stream == KPI_UPDATES and fields.get("app"):
        return {APPS, app_channel(fields["app"])}
    if stream == ALERTS:
        return {ALERTS_CHANNEL}
    if stream == AUDIT and fields.get("action") in UPLOAD_ACTIONS:
        return {UPLOADS}
    if stream == AUDIT and fields.get("action") == "screen_control" and fields.get("target"):
        target = fields["target"]
        return {control_channel(target)} | ({PLAYLISTS} if target.startswith("playlist:") else set())
    return set()
