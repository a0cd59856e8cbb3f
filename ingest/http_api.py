"""The ingest process's HTTP side: webhooks (POST /ingest/<feed_id>), operator uploads
(POST /upload/<feed_id>) and GET /healthz.

Webhooks and uploads are rate limited per feed and sender address (`auth.ingest_limit`, a token
bucket: 429 with Retry-After); refused tokens and floods are audited (core/audit.py).
"""

from __future__ import annotations

import logging
import time

import redis.asyncio
from aiohttp import web

from core import audit
from core.config import ConfigError
from core.credentials import ingest_token
from core.health import FeedHealth
from core.ratelimit import TokenBuckets
from core.redis import safe_url
from core.streams import utc_now
from core.users import UserBook, users_path
from ingest.feeds.webhook import Unauthorized, WebhookFeed
from ingest.monitor.api import mount as mount_monitor
from ingest.redis_memory import MemoryWatch
from ingest.supervisor import Supervisor
from ingest.upload import OPERATOR_HEADER, UPLOAD_MAX_BYTES, FileRefused, Forbidden, upload, upload_caller

log = logging.getLogger("ingest.http")
MEMORY_WATCH = web.AppKey("memory_watch", MemoryWatch)


def create_api(supervisor: Supervisor, client: redis.asyncio.Redis, redis_url: str) -> web.Application:
    """The aiohttp application of the ingest process."""
    started = time.monotonic()
    config = supervisor.config
    max_body = config.ingest.max_body
    app = web.Application(client_max_size=max_body)
    limit = config.auth.ingest_limit
    buckets = TokenBuckets(limit.per_second, limit.burst)
    internal_token = ingest_token(config)
    books: list[UserBook] = []

    def account(name: str):
        """The account a forwarded upload names (the users file, read when first needed and again when
        it changes); None when there is none or the file cannot be read (the upload is refused)."""
        if not books:
            try:
                books.append(UserBook(users_path(config), config))
            except ConfigError as exc:
                log.error("users file unreadable, forwarded uploads refused: %s", exc)
                return None
        return books[0].get(name)
    memory = MemoryWatch(client, config.redis.memory_alert)

    def too_large(request: web.Request, limit_bytes: int) -> web.Response | None:
        """413 from the announced length, before any check reads the body."""
        if request.content_length is not None and request.content_length > limit_bytes:
            return web.json_response({"error": f"body larger than {limit_bytes} bytes"}, status=413)
        return None

    async def too_many(request: web.Request) -> web.Response | None:
        """429 when this sender has used up its requests for this feed (reported once a minute)."""
        feed_id = request.match_info["feed_id"]
        wait = buckets.take((feed_id, request.remote))
        if not wait:
            return None
        if buckets.first_refusal_in((feed_id, request.remote), 60):
            log.warning("%s %s: rate limited %s", request.path, feed_id, request.remote)
            await _audit("rate_limited", "", feed_id, "refused", f"{request.method} {request.path}", request.remote)
        seconds = max(1, int(wait + 0.999))
        return web.json_response({"error": "too many requests"}, status=429, headers={"Retry-After": str(seconds)})

    async def ingest(request: web.Request) -> web.Response:
        if (refused := await too_many(request)) is not None:
            return refused
        feed = supervisor.feeds.get(request.match_info["feed_id"])
        if not isinstance(feed, WebhookFeed):
            return web.json_response({"error": "no webhook feed with this id"}, status=404)
        if (refused := too_large(request, min(feed.options.max_body, max_body))) is not None:
            return refused
        try:
            feed.authorize(request.headers.get("Authorization"))
        except Unauthorized as exc:
            log.warning("webhook %s: refused request from %s: %s", feed.feed_id, request.remote, exc)
            await _audit("token_refused", "", feed.feed_id, "refused", f"webhook: {exc}", request.remote)
            return web.json_response({"error": str(exc)}, status=401, headers={"WWW-Authenticate": "Bearer"})
        body = await request.read()
        if len(body) > feed.options.max_body:
            return web.json_response({"error": "body too large"}, status=413)
        try:
            result = await feed.receive(body)
        except ValueError as exc:
            return web.json_response({"error": str(exc)}, status=400)
        except redis.RedisError as exc:
            # Nothing was stored: tell the sender to retry rather than pretend we took it.
            return web.json_response({"error": f"storage unavailable: {type(exc).__name__}"}, status=503)
        return web.json_response(result.as_json(), status=202)

    async def upload_file(request: web.Request) -> web.Response:
        """An operator's CSV/Excel file for a feed (multipart field `file`): all rows written, or none."""
        if (refused := await too_many(request)) is not None:
            return refused
        feed_id = request.match_info["feed_id"]
        feed = supervisor.feeds.get(feed_id)
        if feed is None or not feed.feed.accepts_uploads:
            return web.json_response({"error": "no feed with uploads at this id"}, status=404)
        if (refused := too_large(request, min(UPLOAD_MAX_BYTES + 65536, max_body))) is not None:
            return refused
        try:
            # A feed's upload token (an agency's system), or the dashboard's internal token with the
            # signed-in operator it has checked (the /operator screen), checked again here.
            who = upload_caller(feed_id, feed.feed, request.headers.get("Authorization"),
                                request.headers.get(OPERATOR_HEADER), internal_token, account)
        except Unauthorized as exc:
            log.warning("upload %s: refused request from %s: %s", feed_id, request.remote, exc)
            await _audit("token_refused", "", feed_id, "refused", str(exc), request.remote)
            if isinstance(exc, Forbidden):
                return web.json_response({"error": str(exc)}, status=403)
            return web.json_response({"error": str(exc)}, status=401, headers={"WWW-Authenticate": "Bearer"})
        try:
            reader = await request.multipart()
            part = await reader.next()
            while part is not None and part.name != "file":
                part = await reader.next()
        except (ValueError, AssertionError):
            part = None
        if part is None:
            return web.json_response({"error": "kirim berkas sebagai multipart, kolom 'file'"}, status=400)
        raw = bytearray()
        while chunk := await part.read_chunk(65536):
            raw.extend(chunk)
            if len(raw) > UPLOAD_MAX_BYTES:
                return web.json_response({"error": "berkas terlalu besar"}, status=413)
        try:
            result = await upload(feed_id, feed.feed, feed.intake, bytes(raw))
        except FileRefused as exc:
            await _audit("upload", who, feed_id, "refused", str(exc), request.remote)
            return web.json_response({"error": str(exc)}, status=400)
        except redis.RedisError as exc:
            return web.json_response({"error": f"storage unavailable: {type(exc).__name__}"}, status=503)
        if result.ok:
            await _audit("upload", who, feed_id, "ok", f"{result.rows} baris: {result.accepted} diterima, "
                         f"{result.duplicates} duplikat", request.remote)
        else:
            await _audit("upload", who, feed_id, "refused", f"{result.rows} baris, {len(result.errors)} kesalahan: "
                         "tidak ada yang disimpan", request.remote)
        return web.json_response(result.as_json(), status=202 if result.ok else 422)

    async def _audit(action: str, who: str, feed_id: str, outcome: str, detail: str, ip: str | None) -> None:
        """An upload in the audit trail (the operator screen lists a feed's last uploads from it)."""
        try:
            await audit.record(client, who, action, f"feed:{feed_id}", outcome, detail, ip or "")
        except redis.RedisError as exc:
            log.warning("audit entry %s for %s not written: %s", action, feed_id, exc)

    async def healthz(request: web.Request) -> web.Response:
        try:
            t0 = time.perf_counter()
            await client.ping()
            redis_state = {"ok": True, "latency_ms": round((time.perf_counter() - t0) * 1000, 2),
                           "memory": (await memory.check()).as_json()}
        except redis.RedisError as exc:
            redis_state = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "url": safe_url(redis_url)}
        now = utc_now()
        feeds = {fid: h.as_json(now) for fid, h in (await _shared_health()).items()}
        ok = (redis_state["ok"] and not redis_state["memory"]["near_limit"]
              and all(f["state"] in ("ok", "starting") for f in feeds.values()))
        return web.json_response({
            "status": "ok" if ok else "degraded", "redis": redis_state, "feeds": feeds,
            "ingest": {"ok": True, "uptime_s": round(time.monotonic() - started, 1)},
        }, status=200 if redis_state["ok"] else 503)

    async def _shared_health() -> dict[str, FeedHealth]:
        """Every feed's health as all ingest processes keep it (a webhook's pushes reach any of them);
        with Redis away, what this process last saw."""
        trackers = supervisor.health
        try:
            async with client.pipeline(transaction=False) as pipe:
                for tracker in trackers.values():
                    pipe.hgetall(tracker.key)
                stored = await pipe.execute()
        except redis.RedisError:
            return {fid: t.health for fid, t in trackers.items()}
        return {fid: FeedHealth.decode(fields) if fields else t.health
                for (fid, t), fields in zip(trackers.items(), stored, strict=True)}

    app.router.add_post("/ingest/{feed_id}", ingest)
    app.router.add_get("/healthz", healthz)
    app.router.add_post("/upload/{feed_id}", upload_file)
    app[MEMORY_WATCH] = memory  # the ingest role checks Redis memory on its own schedule too
    # The IT control center: probe agents' results and systems' heartbeats (ingest/monitor/api.py).
    mount_monitor(app, supervisor.config, client)
    return app
