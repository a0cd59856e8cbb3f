"""The alert strip: what is wrong right now, in plain words, then the newest `cc:alerts` entries.

Order: the Redis outage, failing feeds, silent feeds, then stream alerts newest first. A stream
alert about a feed that is already listed as failing or silent is left out (it says the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from dash import html
from pydantic import Field

from core.config import Config
from dashboard.live.snapshot import Frame
from dashboard.text import formatting
from dashboard.text.i18n import text
from dashboard.tiles.base import Leaves, TileBase, WallContext, dom_id, iso, root_attrs

STREAM_ALERTS_MAX_AGE = timedelta(hours=24)
SEVERITIES = ("critical", "warning", "info")


class Tile(TileBase):
    kind: Literal["alerts"]
    max_items: int = Field(default=4, ge=1, le=12)
    # Only what concerns these feeds / applications (a prices screen: [e-disikap]); none = all.
    # A Redis outage concerns every screen and is always shown.
    feeds: list[str] = Field(default_factory=list)
    applications: list[str] = Field(default_factory=list)


def check(tile: Tile, config: Config) -> list[tuple[str, str]]:
    """Every feed and application named must exist in config.yaml."""
    known_apps = {f.application for f in config.feeds.values()}
    problems = [(f"feeds[{i}]", f"unknown feed '{f}'") for i, f in enumerate(tile.feeds) if f not in config.feeds]
    problems += [(f"applications[{i}]", f"unknown application '{a}' (one of {', '.join(sorted(known_apps))})")
                 for i, a in enumerate(tile.applications) if a not in known_apps]
    return problems


def concerns(tile: Tile, source: str | None, config: Config) -> bool:
    """Whether a problem from `source` (a feed id, or an application for rule alerts) is this tile's."""
    if not tile.feeds and not tile.applications:
        return True
    if source is None:
        return False
    feed = config.feeds.get(source)
    application = feed.application if feed is not None else source
    return source in tile.feeds or application in tile.applications


@dataclass(frozen=True)
class Problem:
    severity: str  # critical | warning | info
    when: datetime | None
    message: str
    feed: str | None = None
    status: str | None = None  # for what is wrong now (the message says since when): a short tag

    def tag(self, now: datetime, lang: str) -> str:
        """What the strip's first column shows: the status of an ongoing problem, else the time."""
        if self.status:
            return text(self.status, lang)
        return formatting.wib_when(self.when, now, lang) if self.when else ""


def _feed_title(feed_id: str, config: Config) -> str:
    feed = config.feeds.get(feed_id)
    return (feed.title if feed and feed.title else feed_id)


def current_problems(frame: Frame, config: Config, lang: str) -> list[Problem]:
    """Everything the strip should say now, most serious first."""
    snap, now = frame.snapshot, frame.now
    out: list[Problem] = []
    if not snap.redis.ok:
        since = snap.redis.down_since or now
        out.append(Problem("critical", since, text("outage_alert", lang, since=formatting.wib_when(since, now, lang)),
                           status="tag_offline"))
    failing, silent = [], []
    for feed_id, health in sorted(snap.health.items()):
        judged = health.judged(now)
        title = _feed_title(feed_id, config)
        if judged.state == "error":
            since = judged.last_success or judged.last_error_at or now
            failing.append(Problem("critical", since, text(
                "feed_error", lang, title=title, since=formatting.wib_when(since, now, lang),
                error=judged.last_error or "?"), feed_id, "tag_failing"))
        elif judged.state == "stale":
            if judged.last_success:
                msg = text("feed_stale", lang, title=title, since=formatting.wib_when(judged.last_success, now, lang))
            else:
                msg = text("feed_never", lang, title=title)
            silent.append(Problem("warning", judged.last_success, msg, feed_id, "tag_late"))
    out += failing + silent
    listed = {p.feed for p in out if p.feed}
    for alert in snap.alerts:  # newest first
        if now - alert.at > STREAM_ALERTS_MAX_AGE or (alert.source and alert.source in listed):
            continue
        severity = alert.severity if alert.severity in SEVERITIES else "info"
        out.append(Problem(severity, alert.at, alert.message, alert.source))
    return out


def layout(tile: Tile, ctx: WallContext) -> html.Div:
    tid = tile.id
    items = [
        html.Div([html.Span("", id=dom_id(tid, f"time-{i}"), className="alert-time"),
                  html.Span("", id=dom_id(tid, f"msg-{i}"), className="alert-msg")],
                 id=dom_id(tid, f"item-{i}"), className="alert-item is-empty")
        for i in range(tile.max_items)
    ]
    return html.Div(
        html.Div(
            [
                html.Div([html.Span(tile.title_in(ctx.lang) or text("alerts_title", ctx.lang),
                                    className="alerts-title"),
                          html.Span("0", id=dom_id(tid, "count"), className="alerts-count"),
                          html.Span("", id=dom_id(tid, "more"), className="alerts-more")],
                         className="alerts-head"),
                html.Div(items, className="alerts-list"),
            ],
            className="alerts-body",
        ),
        **root_attrs(tile),
        **{"data-count": "0"},
    )


def leaves(tile: Tile, ctx: WallContext, frame: Frame) -> Leaves:
    problems = [p for p in current_problems(frame, ctx.config, ctx.lang)
                if p.status == "tag_offline" or concerns(tile, p.feed, ctx.config)]
    tid, lang, now = tile.id, ctx.lang, frame.now
    out: Leaves = {
        (dom_id(tid), "data-updated"): iso(frame.snapshot.read_at),
        (dom_id(tid), "data-count"): str(len(problems)),
        (dom_id(tid), "className"): "tile tile-alerts" + (
            " has-critical" if any(p.severity == "critical" for p in problems) else
            " has-warning" if problems else " all-clear"),
        (dom_id(tid, "count"), "children"): str(len(problems)),
        (dom_id(tid, "more"), "children"): (text("alerts_more", lang, n=len(problems) - tile.max_items)
                                            if len(problems) > tile.max_items else ""),
    }
    shown = problems[: tile.max_items]
    for i in range(tile.max_items):
        if i < len(shown):
            p = shown[i]
            cls, when, msg = f"alert-item sev-{p.severity}", p.tag(now, lang), p.message
        elif i == 0:
            cls, when, msg = "alert-item sev-ok", "", text("alerts_ok", lang)
        else:
            cls, when, msg = "alert-item is-empty", "", ""
        out[(dom_id(tid, f"item-{i}"), "className")] = cls
        out[(dom_id(tid, f"time-{i}"), "children")] = when
        out[(dom_id(tid, f"msg-{i}"), "children")] = msg
    return out
