"""The push channel, Redis -> browser: one reader per process, one diffing pusher per open wall.

`LiveHub` reads Redis for the whole process: XREAD BLOCK on the KPI-update, alert,
health-event and camera-event streams wakes it the moment ingest or the video gateway writes, and
a 1 s tick re-reads feed health and camera status and measures the link. It keeps a `Snapshot` of
every figure, feed health, recent alert and camera status; while Redis
is unreachable it keeps the last one and says since when it is down.

Each wall page runs `push_wall` inside its persistent WebSocket callback: it renders the tiles'
leaf props from the snapshot, sends only what differs from what that page already has, and lets a
tile take at most `dashboard.push_rate` updates a second (later values replace earlier ones).
No page reads Redis itself, so ten walls cost what one does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import redis
import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from core.cameras import decode_registry
from core.config import Config
from core.health import FeedHealth
from core.redis import connect_async, safe_url
from core.streams import (
    ALERTS,
    HEALTH_EVENTS,
    KPI_UPDATES,
    KpiValue,
    camera_events,
    camera_registry,
    camera_snapshot,
    camera_snapshot_time,
    camera_status,
    entry_time,
    feed_health,
    from_iso,
    incident_events,
    incidents_current,
    kpi,
    monitor_events,
    utc_now,
)
from dashboard.incidents.tile import read_incidents
from dashboard.it.status import it_status_keys, read_it_status
from dashboard.live.snapshot import CameraStatus, Frame, RedisStatus, Snapshot, StreamAlert

log = logging.getLogger("dashboard.live.hub")

TICK_S = 1.0  # feed health, link check and ages
BLOCK_MS = 5000  # longest XREAD wait; a wake-up comes sooner whenever ingest writes
RETRY_S = 1.0  # pause between attempts while Redis is down
ALERTS_KEPT = 20  # newest cc:alerts entries kept in the snapshot
_REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError, OSError)


def _text(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


def _camera(fields: dict, snapshot_at: Any) -> CameraStatus:
    """A camera's status hash (written by the video gateway) and its snapshot time, as a screen shows them."""
    f = {_text(k): _text(v) for k, v in (fields or {}).items()}
    try:
        fps = float(f.get("fps") or 0)
    except ValueError:
        fps = 0.0
    try:
        taken = from_iso(_text(snapshot_at)) if snapshot_at else None
    except ValueError:
        taken = None
    # No hash yet: the gateway has not reported the camera (not started, or still connecting).
    return CameraStatus(state=f.get("state") or "connecting", reason=f.get("reason", ""), fps=fps, snapshot_at=taken)


def _alert(entry_id: Any, fields: dict) -> StreamAlert | None:
    f = {_text(k): _text(v) for k, v in fields.items()}
    if not f.get("message"):
        return None
    try:
        at = from_iso(f["at"]) if f.get("at") else None
    except ValueError:
        at = None
    if at is None:
        at = entry_time(_text(entry_id))
    return StreamAlert(_text(entry_id), f["message"], f.get("severity", "info").lower(), at, f.get("source") or None)


def current_alerts(newest_first: list) -> list:
    """The entries still worth showing: a rule alert that was resolved or acknowledged later is off
    the strip (an operator has it in hand), and the acknowledgement itself is a record of who saw it,
    not a new alert (ids from core/alerts.py). Raised again after that, it shows again."""
    ended, out = set(), []
    for entry_id, fields in newest_first:
        f = {_text(k): _text(v) for k, v in fields.items()}
        alert_id, state = f.get("alert_id"), f.get("state", "")
        if state in ("resolved", "acknowledged") and alert_id:
            ended.add(alert_id)
        elif state != "acknowledged" and (not alert_id or alert_id not in ended):
            out.append((entry_id, fields))
    return out


class LiveHub:
    """The process's one Redis reader and the snapshot every wall renders from."""

    def __init__(self, config: Config, redis_url: str):
        self.config = config
        self.redis_url = redis_url
        self.started_at = utc_now()
        self.walls = 0  # open push connections (one per wall page)
        self._snapshot = Snapshot()
        self._changed: asyncio.Event | None = None
        self._first_read: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task] = []
        self._client: redis.asyncio.Redis | None = None
        self._stream_client: redis.asyncio.Redis | None = None
        self._stopping = False

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    # --- life cycle -------------------------------------------------------------------------------

    async def start(self, wait_first_read: float = 0.0) -> None:
        """Start reading on the running event loop (once; again after the loop changed)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._stopping = False
            self._tasks = []
            self._changed = asyncio.Event()
            self._first_read = asyncio.Event()
            # No client-side retries: the loops below retry, and an outage must show within a second.
            no_retry = Retry(NoBackoff(), 0)
            self._client = connect_async(self.redis_url, socket_timeout=2, retry=no_retry)
            self._stream_client = connect_async(self.redis_url, socket_timeout=BLOCK_MS / 1000 + 5, retry=no_retry)
            self._tasks = [loop.create_task(self._tick(), name="hub-tick"),
                           loop.create_task(self._follow(), name="hub-follow")]
        if wait_first_read and not self._first_read.is_set():
            try:
                await asyncio.wait_for(self._first_read.wait(), wait_first_read)
            except TimeoutError:
                pass

    async def stop(self) -> None:
        """Stop reading and close the connections."""
        self._stopping = True
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        if tasks:
            # redis-py 8 can lose a cancellation that lands inside a command; closing the
            # connections ends a blocked XREAD at once, and the loops see `_stopping`.
            _, pending = await asyncio.wait(tasks, timeout=0.2)
            if pending:
                for client in (self._client, self._stream_client):
                    if client is not None:
                        await client.connection_pool.disconnect()
                await asyncio.wait(pending, timeout=BLOCK_MS / 1000 + 1)
        for client in (self._client, self._stream_client):
            if client is not None:
                await client.aclose()
        self._client = self._stream_client = None
        self._loop = None

    async def wait_change(self, version: int, timeout: float) -> None:
        """Return when the snapshot's version differs from `version`, or after `timeout` seconds."""
        event = self._changed
        if event is None or self._snapshot.version != version or timeout <= 0:
            return
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass

    # --- reading ----------------------------------------------------------------------------------

    async def camera_picture(self, camera_id: str) -> tuple[bytes, str] | None:
        """A camera's latest keyframe JPEG and its capture time (ISO) from Redis; None once its TTL
        ran out or while Redis is away."""
        await self.start()
        try:
            picture, taken = await self._client.mget(camera_snapshot(camera_id), camera_snapshot_time(camera_id))
        except _REDIS_ERRORS:
            return None
        return (picture, _text(taken or "")) if picture else None

    async def check(self) -> RedisStatus:
        """PING Redis now (for /healthz): ok with latency, or the error."""
        await self.start()
        t0 = time.perf_counter()
        try:
            await self._client.ping()
        except _REDIS_ERRORS as exc:
            self._mark_down(exc)
            return self._snapshot.redis
        return RedisStatus(ok=True, latency_ms=round((time.perf_counter() - t0) * 1000, 2))

    async def refresh(self, metrics: set[str] | None = None) -> None:
        """Read figures (all, or the named ones), feed health and recent alerts in one round trip."""
        metric_ids = [m for m in self.config.metrics if metrics is None or m in metrics]
        feed_ids = list(self.config.feeds)
        # Config's cameras and the listing cameras of the registry as last read (a camera the gateway
        # just published gets its status on the next read, a second later).
        camera_ids = list(dict.fromkeys([*self.config.cameras, *self._snapshot.camera_registry]))
        t0 = time.perf_counter()
        async with self._client.pipeline(transaction=False) as pipe:
            for m in metric_ids:
                pipe.hgetall(kpi(m))
            for f in feed_ids:
                pipe.hgetall(feed_health(f))
            for c in camera_ids:
                pipe.hgetall(camera_status(c))
                pipe.get(camera_snapshot_time(c))
            pipe.get(camera_registry())
            pipe.xrevrange(ALERTS, count=ALERTS_KEPT)
            it_keys = it_status_keys(self.config)
            for key in it_keys:  # the IT control center: services' states, wall figures, probes
                pipe.hgetall(key)
            pipe.hgetall(incidents_current())
            replies = await pipe.execute()
        incidents = read_incidents(replies.pop())
        it = read_it_status(self.config, replies[len(replies) - len(it_keys):])
        replies = replies[:len(replies) - len(it_keys)]
        latency = round((time.perf_counter() - t0) * 1000, 2)
        kpis = dict(self._snapshot.kpis)
        for m, fields in zip(metric_ids, replies):
            if not fields:
                kpis.pop(m, None)
                continue
            try:
                kpis[m] = KpiValue.decode(m, fields)
            except (ValueError, KeyError) as exc:
                log.error("unreadable figure %s: %s", kpi(m), exc)
        health = {}
        for f, fields in zip(feed_ids, replies[len(metric_ids):]):
            try:
                health[f] = FeedHealth.decode(fields) if fields else None
            except (ValueError, KeyError) as exc:
                log.error("unreadable health %s: %s", feed_health(f), exc)
                health[f] = self._snapshot.health.get(f)
            if health[f] is None:
                # Never reported: judged from when this dashboard started, so it turns stale too.
                health[f] = FeedHealth(f, stale_after=float(self.config.feeds[f].stale_after), updated=self.started_at)
            elif not health[f].feed_id:
                health[f] = replace(health[f], feed_id=f)
        at = len(metric_ids) + len(feed_ids)
        cameras = {c: _camera(replies[at + 2 * i], replies[at + 2 * i + 1]) for i, c in enumerate(camera_ids)}
        alerts = tuple(a for a in (_alert(i, fields) for i, fields in current_alerts(replies[-1])) if a)
        self._publish(kpis=kpis, health=health, alerts=alerts, cameras=cameras, it=it, incidents=incidents,
                      camera_registry=decode_registry(replies[-2]), redis=RedisStatus(ok=True, latency_ms=latency),
                      read_at=utc_now())
        if self._first_read is not None:
            self._first_read.set()

    def _publish(self, **changes) -> None:
        old = self._snapshot
        new = replace(old, **changes)
        shown = ("kpis", "health", "alerts", "cameras", "camera_registry", "it", "incidents")
        if any(getattr(old, k) != getattr(new, k) for k in shown) or old.redis.ok != new.redis.ok:
            new = replace(new, version=old.version + 1)
            self._snapshot = new
            if self._changed is not None:
                event, self._changed = self._changed, asyncio.Event()
                event.set()
        else:
            self._snapshot = new

    def _mark_down(self, exc: BaseException) -> None:
        current = self._snapshot.redis
        if current.ok:
            log.warning("Redis at %s unreachable: %s; walls keep the last data", safe_url(self.redis_url), exc)
        since = current.down_since if not current.ok and current.down_since else utc_now()
        self._publish(redis=RedisStatus(ok=False, error=str(exc) or type(exc).__name__, down_since=since))
        if self._first_read is not None:
            self._first_read.set()  # nothing to wait for: show what there is

    def _running(self) -> bool:
        """False once stop() was called. redis-py can turn a cancelled read into a ConnectionError,
        which the loops below would otherwise take for an outage and retry for ever."""
        task = asyncio.current_task()
        return not self._stopping and not (task and task.cancelling())

    async def _tick(self) -> None:
        while self._running():
            started = time.monotonic()
            was_down = not self._snapshot.redis.ok
            try:
                await self.refresh()
                if was_down:
                    log.info("Redis at %s reachable again", safe_url(self.redis_url))
            except _REDIS_ERRORS as exc:
                if not self._running():
                    return
                self._mark_down(exc)
            except Exception:
                log.exception("reading the snapshot failed")
            await asyncio.sleep(max(0.05, TICK_S - (time.monotonic() - started)))

    async def _follow(self) -> None:
        """Wake on every KPI update, alert, feed health and camera state change; re-read what they name."""
        streams: dict[str, str] | None = None
        while self._running():
            try:
                if streams is None:
                    streams = {}
                    for key in (KPI_UPDATES, ALERTS, HEALTH_EVENTS, camera_events(), monitor_events(),
                                incident_events()):
                        last = await self._client.xrevrange(key, count=1)
                        streams[key] = _text(last[0][0]) if last else "0-0"
                    await self.refresh()
                reply = await self._stream_client.xread(streams, block=BLOCK_MS, count=1000)
                if not reply:
                    continue
                metrics: set[str] | None = set()
                for key, entries in reply:
                    key = _text(key)
                    streams[key] = _text(entries[-1][0])
                    for _, fields in entries:
                        named = fields.get(b"metric") or fields.get("metric")
                        if key == KPI_UPDATES and named and _text(named) in self.config.metrics:
                            if metrics is not None:
                                metrics.add(_text(named))
                        else:
                            metrics = None  # read everything
                await self.refresh(metrics)
            except _REDIS_ERRORS as exc:
                if not self._running():
                    return
                self._mark_down(exc)
                streams = None
                await asyncio.sleep(RETRY_S)
            except Exception:
                log.exception("following the update streams failed")
                streams = None
                await asyncio.sleep(RETRY_S)


class Pusher:
    """What one page has been sent, and how often each tile was updated lately."""

    def __init__(self, push_rate: float, rates: dict[str, float] | None = None):
        self.push_rate = push_rate
        self.rates = rates or {}  # groups with a lower rate of their own (the map's figure)
        self.sent: dict[tuple[str, str], Any] = {}
        self.history: dict[str, deque] = {}

    def _limit(self, group: str) -> tuple[int, float]:
        # At most `burst` pushes in any `window` seconds: the rate on average, and an update
        # right after the once-a-second age tick is not held back.
        rate = self.rates.get(group, self.push_rate)
        burst = max(1, int(rate))
        return burst, burst / rate

    def push(self, groups: dict[str, dict[tuple[str, str], Any]], now: float,
             send: Callable[[str, dict[str, Any]], None]) -> float | None:
        """Send changed leaves of each group (a tile id, or "" for page-wide parts) that may be
        updated now; return the monotonic time when a held-back group may go, if any."""
        next_due: float | None = None
        for group, leaves in groups.items():
            changed = {k: v for k, v in leaves.items() if self.sent.get(k, _MISSING) != v}
            if not changed:
                continue
            if group:
                burst, window = self._limit(group)
                history = self.history.setdefault(group, deque(maxlen=burst))
                if len(history) == burst and now - history[0] < window:
                    due = history[0] + window
                    next_due = due if next_due is None else min(next_due, due)
                    continue
                history.append(now)
            by_component: dict[str, dict[str, Any]] = {}
            for (component, prop), value in changed.items():
                payload = value.as_patch(self.sent.get((component, prop))) if hasattr(value, "as_patch") else value
                by_component.setdefault(component, {})[prop] = payload
                self.sent[(component, prop)] = value
            for component, props in by_component.items():
                send(component, props)
        return next_due


_MISSING = object()


async def push_wall(hub: LiveHub, render: Callable[[Frame], dict[str, dict]], push_rate: float,
                    send: Callable[[str, dict[str, Any]], None], closed: Callable[[], bool],
                    rates: dict[str, float] | None = None) -> None:
    """Keep one page current until its connection closes: render, send the differences, wait for
    the next change, the next second (clock and ages) or a held-back tile's turn."""
    await hub.start()
    pusher = Pusher(push_rate, rates)
    hub.walls += 1
    try:
        while not closed():
            snap = hub.snapshot
            now = utc_now()
            due = None
            try:
                due = pusher.push(render(Frame(snap, now)), time.monotonic(), send)
            except Exception:
                log.exception("rendering a wall failed")
            wait = 1.0 - now.timestamp() % 1.0 + 0.002  # just after the next whole second
            if due is not None:
                wait = min(wait, due - time.monotonic())
            await hub.wait_change(snap.version, max(0.0, wait))
    finally:
        hub.walls -= 1
