"""The ingest process's HTTP side: webhooks (POST /ingest/<feed_id>), operator uploads
(POST /upload/<feed_id>) and GET /healthz."""

from __future__ import annotations

import logging
import time

import redis.asyncio
from aiohttp import web

from core.redis import safe_url
from core.streams import utc_now
from ingest.feeds.webhook import Unauthorized, WebhookFeed
from ingest.supervisor import Supervisor
from ingest.upload import UPLOAD_MAX_BYTES, FileRefused, authorize_upload, upload

log = logging.getLogger("ingest.http")


def create_api(supervisor: Supervisor, client: redis.asyncio.Redis, redis_url: str) -> web.Application:
    """The aiohttp application of the ingest process."""
    started = time.monotonic()
    app = web.Application(client_max_size=max(
        [f.options.max_body for f in supervisor.feeds.values() if isinstance(f, WebhookFeed)] or [1_048_576]))

    async def ingest(request: web.Request) -> web.Response:
        feed = supervisor.feeds.get(request.match_info["feed_id"])
        if not isinstance(feed, WebhookFeed):
            return web.json_response({"error": "no webhook feed with this id"}, status=404)
        try:
            feed.authorize(request.headers.get("Authorization"))
        except Unauthorized as exc:
            log.warning("webhook %s: refused request from %s: %s", feed.feed_id, request.remote, exc)
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
        feed_id = request.match_info["feed_id"]
        feed = supervisor.feeds.get(feed_id)
        if feed is None or not feed.feed.upload_tokens:
            return web.json_response({"error": "no feed with uploads at this id"}, status=404)
        try:
            # A per-feed token for now; operator accounts and roles come with issue #6.
            authorize_upload(feed.feed, request.headers.get("Authorization"))
        except Unauthorized as exc:
            log.warning("upload %s: refused request from %s: %s", feed_id, request.remote, exc)
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
            return web.json_response({"error": str(exc)}, status=400)
        except redis.RedisError as exc:
            return web.json_response({"error": f"storage unavailable: {type(exc).__name__}"}, status=503)
        return web.json_response(result.as_json(), status=202 if result.ok else 422)

    async def healthz(request: web.Request) -> web.Response:
        try:
            t0 = time.perf_counter()
            await client.ping()
            redis_state = {"ok": True, "latency_ms": round((time.perf_counter() - t0) * 1000, 2)}
        except redis.RedisError as exc:
            redis_state = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "url": safe_url(redis_url)}
        now = utc_now()
        feeds = {fid: t.health.as_json(now) for fid, t in supervisor.health.items()}
        ok = redis_state["ok"] and all(f["state"] in ("ok", "starting") for f in feeds.values())
        return web.json_response({
            "status": "ok" if ok else "degraded", "redis": redis_state, "feeds": feeds,
            "ingest": {"ok": True, "uptime_s": round(time.monotonic() - started, 1)},
        }, status=200 if redis_state["ok"] else 503)

    app.router.add_post("/ingest/{feed_id}", ingest)
    app.router.add_get("/healthz", healthz)
    app.router.add_post("/upload/{feed_id}", upload_file)
    return app
