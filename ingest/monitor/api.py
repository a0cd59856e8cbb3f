"""The monitor's doors on the ingest API: probe agents post their results (POST /monitor/results
with the probe's own token), and systems call in their heartbeat (POST or GET /monitor/push/<service>
with the service's token, `?status=down&msg=...` to report a failure themselves).

Both land on the monitor's inbox stream; the monitor role applies them. A result for a service the
probe does not own, or one that cannot be read, is refused with its reason and kept on the
dead-letter stream; nothing accepted is lost.
"""

from __future__ import annotations

import hmac
import logging

import redis
import redis.asyncio
from aiohttp import web

from core import audit
from core.config import Config
from core.streams import (
    DEADLETTER,
    dead_letter,
    monitor_heartbeat,
    monitor_inbox,
    monitor_probe,
    to_iso,
    utc_now,
)
from ingest.monitor.result import CheckResult

log = logging.getLogger("ingest.monitor")
INBOX_MAXLEN = 100_000
BATCH_MAX = 5000


def _bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else request.query.get("token", "")


def mount(app: web.Application, config: Config, client: redis.asyncio.Redis) -> None:
    settings = config.monitors
    services = settings.services()

    async def refused(action_target: str, why: str, request: web.Request) -> web.Response:
        log.warning("%s: refused %s: %s", action_target, request.remote, why)
        try:
            await audit.record(client, "", "token_refused", action_target, "refused", why, request.remote or "")
        except redis.RedisError:
            pass
        return web.json_response({"error": why}, status=401, headers={"WWW-Authenticate": "Bearer"})

    async def results(request: web.Request) -> web.Response:
        token = _bearer(request)
        probe = next((pid for pid, p in settings.probes.items() if hmac.compare_digest(p.token, token)), None)
        if probe is None:
            return await refused("monitor:results", "unknown probe token", request)
        try:
            body = await request.json()
            items = body["results"]
            if not isinstance(items, list) or len(items) > BATCH_MAX:
                raise ValueError(f"results: a list of at most {BATCH_MAX}")
        except (ValueError, KeyError, TypeError) as exc:
            return web.json_response({"error": f"body: {exc}"}, status=400)
        accepted, rejected = [], []
        for i, item in enumerate(items):
            try:
                result = CheckResult.decode(dict(item, probe=probe))
            except KeyError as exc:
                rejected.append({"index": i, "reason": f"missing field {exc}"})
                continue
            except (ValueError, TypeError, AttributeError) as exc:
                rejected.append({"index": i, "reason": f"unreadable: {exc}"})
                continue
            owner = services.get(result.service)
            if owner is None or owner[1].probe != probe:
                rejected.append({"index": i, "reason": f"service '{result.service}' is not checked by probe {probe}"})
                continue
            accepted.append(result)
        try:
            async with client.pipeline(transaction=False) as pipe:
                for result in accepted:
                    pipe.xadd(monitor_inbox(), result.encode(), maxlen=INBOX_MAXLEN, approximate=True)
                for bad in rejected:
                    pipe.xadd(DEADLETTER, dead_letter(f"monitor:{probe}", bad["reason"], items[bad["index"]]),
                              maxlen=config.retention.deadletter.maxlen or 50_000, approximate=True)
                pipe.hset(monitor_probe(probe), mapping={"seen": to_iso(utc_now()), "state": "online",
                                                         "reason": "", "name": settings.probes[probe].name})
                await pipe.execute()
        except redis.RedisError as exc:
            return web.json_response({"error": f"storage unavailable: {type(exc).__name__}"}, status=503)
        return web.json_response({"accepted": len(accepted), "rejected": rejected}, status=202)

    async def push(request: web.Request) -> web.Response:
        service = request.match_info["service"]
        owner = services.get(service)
        if owner is None or owner[1].kind != "push":
            return web.json_response({"error": "no push-checked service with this id"}, status=404)
        if not hmac.compare_digest(owner[1].token or "", _bearer(request)):
            return await refused(f"monitor:push:{service}", "wrong token", request)
        now = utc_now()
        try:
            if request.query.get("status", "up") == "down":
                failed = CheckResult(service, now, False, None, (request.query.get("msg") or "dilaporkan gagal")[:300])
                await client.xadd(monitor_inbox(), failed.encode(), maxlen=INBOX_MAXLEN, approximate=True)
            else:
                await client.set(monitor_heartbeat(service), to_iso(now), ex=int(owner[1].interval * 10) + 60)
        except redis.RedisError as exc:
            return web.json_response({"error": f"storage unavailable: {type(exc).__name__}"}, status=503)
        return web.json_response({"ok": True, "at": to_iso(now)})

    app.router.add_post("/monitor/results", results)
    app.router.add_route("*", "/monitor/push/{service}", push)
