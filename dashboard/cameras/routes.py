"""The cameras through the dashboard's own origin: WHEP proxied to the video gateway, snapshots from Redis.

    POST   /whep/<camera_id>[?stream=sub]   -> the WHEP endpoint of the gateway that owns the camera
    DELETE /whep/<camera_id>/<session>      -> hang up at the gateway that answered the offer
    GET    /snapshot/<camera_id>            the latest keyframe JPEG (Redis, with its TTL)

With several gateways, the camera's owner is the alive gateway that rendezvous hashing ranks first
(core/roster.py, the same choice every gateway makes); when it does not answer, the next
one is asked, which is the one that takes the camera over. A session's Location names its gateway,
so the hang-up reaches the gateway that holds it whichever dashboard process answers.

Walls then need no CORS and no gateway address, and a page never holds a camera URL: the gateway
keeps those to itself and answers only SDP. Who may watch a camera is `may_watch`'s one decision:
the viewer's role against `camera_groups[group].roles` in config.yaml. A refused request is
answered 401/403 and audited; each WHEP session that starts is audited as a camera view.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote, unquote

import aiohttp
import redis
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from core.cameras import reachable_base
from core.config import Config
from core.credentials import gateway_token
from core.redis import connect_async
from core.roster import VIDEO, alive, ranked
from dashboard.auth.access import current_user
from dashboard.live.hub import LiveHub
from dashboard.tiles.camera_list import known_cameras

ALIVE_READ_EVERY_S = 1.0  # the alive gateways change within seconds; an offer need not ask Redis each time
SESSION_AT = "~"  # in a session's Location: <gateway>~<session>
WHEP_TIMEOUT_S = 10.0  # the gateway answers an offer in well under a second; a hung one must not hold a wall


def may_watch(request: Request, config: Config, camera_id: str, known: dict | None = None) -> bool:
    """Whether this request may watch the camera: the signed-in user's role (dashboard/auth/checks.py sets
    it for the request; the public's when nobody signed in) is one of its group's roles. `known` are
    config's and the camera listings' cameras (dashboard/cameras/camera_list.py, with their groups)."""
    camera = (known if known is not None else config.cameras).get(camera_id)
    group = config.camera_groups.get(camera.group) if camera is not None else None
    return group is not None and current_user().role in group.roles


class GatewayProxy:
    """Forwards WHEP to the gateway with one pooled HTTP client per event loop."""

    def __init__(self, config: Config, hub: LiveHub, audit=None):
        self.config = config
        self.hub = hub
        self.audit = audit  # dashboard.auth.checks.Auth.audit: camera views and refusals
        self.base = reachable_base(config.video)  # before any gateway said it is alive
        self._session: aiohttp.ClientSession | None = None
        self._redis = None
        self._alive: tuple[float, dict[str, str]] = (-1.0, {})

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=WHEP_TIMEOUT_S))
        return self._session

    async def close(self) -> None:
        """Close the pooled clients (app shutdown)."""
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    async def forward(self, method: str, path: str, query: dict, body: bytes | None,
                      content_type: str | None, base: str | None = None) -> Response:
        """One request to a gateway; its status, SDP body and Location come back unchanged."""
        headers = {"Content-Type": content_type} if content_type else {}
        headers["Authorization"] = f"Bearer {gateway_token(self.config)}"  # the gateway refuses callers without it
        try:
            async with self._client().request(method, (base or self.base) + path, params=query, data=body,
                                              headers=headers) as upstream:
                payload = await upstream.read()
                out = {k: v for k, v in upstream.headers.items() if k.lower() in ("location", "content-type")}
                out["Cache-Control"] = "no-store"
                return Response(payload, status_code=upstream.status, headers=out)
        except (aiohttp.ClientError, TimeoutError, OSError):
            return JSONResponse({"error": "video gateway unreachable"}, status_code=502)

    async def gateways(self) -> dict[str, str]:
        """The alive gateways (name -> base URL), read at most once a second; none when Redis is away."""
        loop = asyncio.get_running_loop()
        read_at, found = self._alive
        if loop.time() - read_at < ALIVE_READ_EVERY_S:
            return found
        try:
            if self._redis is None:
                self._redis = connect_async(self.hub.redis_url, socket_timeout=2)
            found = await alive(self._redis, VIDEO)
        except redis.RedisError:
            found = {}
        self._alive = (loop.time(), found)
        return found

    async def owners(self, camera_id: str) -> list[tuple[str, str]]:
        """(name, base URL) of the gateways to ask for a camera, its owner first; the configured
        gateway when none said it is alive."""
        found = await self.gateways()
        if not found:
            return [("", self.base)]
        return [(name, found[name]) for name in ranked(camera_id, found)][:2]

    async def offer(self, camera_id: str, stream: str, body: bytes, content_type: str | None) -> Response:
        """The offer to the camera's owner; to the next gateway when the owner is gone (it takes over)."""
        answer, answered_by = JSONResponse({"error": "video gateway unreachable"}, status_code=502), ""
        for name, base in await self.owners(camera_id):
            answer, answered_by = await self.forward("POST", f"/whep/{camera_id}", {"stream": stream}, body,
                                                     content_type, base), name
            if answer.status_code not in (421, 502):
                break
        location = answer.headers.get("location")
        if answer.status_code == 201 and location and answered_by:
            # The hang-up must reach this gateway: the session's name carries it.
            head, _, session = location.rstrip("/").rpartition("/")
            answer.headers["location"] = f"{head}/{quote(answered_by, safe='')}{SESSION_AT}{session}"
        return answer

    async def hang_up(self, camera_id: str, session: str) -> Response:
        name, found, session_id = session.rpartition(SESSION_AT)
        base = self.base
        if found:
            base = (await self.gateways()).get(unquote(name)) or (await self.owners(camera_id))[0][1]
        return await self.forward("DELETE", f"/whep/{camera_id}/{session_id}", {}, None, None, base)

    async def _known(self) -> dict:
        """The cameras known now: config's and the listings' the gateway published."""
        await self.hub.start(wait_first_read=1.0)
        return known_cameras(self.config, self.hub.snapshot)

    async def _refusal(self, request: Request, camera_id: str) -> Response | None:
        """None when this request may watch the camera; else 404 (unknown), 401 or 403 (audited)."""
        known = await self._known()
        if camera_id not in known:
            return JSONResponse({"error": f"unknown camera '{camera_id}'"}, status_code=404)
        if may_watch(request, self.config, camera_id, known):
            return None
        status = 403 if current_user().signed_in else 401
        if self.audit is not None:
            await self.audit("refused", target=f"camera:{camera_id}", outcome="refused",
                             detail=f"{request.method} {request.url.path}",
                             ip=request.client.host if request.client else "")
        return JSONResponse({"error": f"camera '{camera_id}' is not for your role"}, status_code=status)

    def mount(self, server: FastAPI) -> None:
        """Add the /whep and /snapshot routes to the dashboard's FastAPI server."""

        @server.post("/whep/{camera_id}", include_in_schema=False)
        async def whep_offer(camera_id: str, request: Request):
            if (refused := await self._refusal(request, camera_id)) is not None:
                return refused
            stream = request.query_params.get("stream", "main")
            answer = await self.offer(camera_id, stream, await request.body(), request.headers.get("content-type"))
            if answer.status_code == 201 and self.audit is not None:  # a viewing session started
                await self.audit("camera_view", target=f"camera:{camera_id}", detail=f"stream {stream}",
                                 ip=request.client.host if request.client else "")
            return answer

        @server.delete("/whep/{camera_id}/{session_id}", include_in_schema=False)
        async def whep_hang_up(camera_id: str, session_id: str, request: Request):
            if (refused := await self._refusal(request, camera_id)) is not None:
                return refused
            return await self.hang_up(camera_id, session_id)

        @server.get("/snapshot/{camera_id}", include_in_schema=False)
        async def snapshot(camera_id: str, request: Request):
            if (refused := await self._refusal(request, camera_id)) is not None:
                return refused
            found = await self.hub.camera_picture(camera_id)
            if found is None:
                return JSONResponse({"error": "no snapshot"}, status_code=404, headers={"Cache-Control": "no-store"})
            picture, taken = found
            # Not cached: a wall asks for each picture (?t=, its capture time) once, while a camera
            # does not play, and a kept copy would only sit in a wall tab's memory for weeks. The
            # map's peek asks without ?t= and reads the time from X-Snapshot-At.
            return Response(picture, media_type="image/jpeg",
                            headers={"Cache-Control": "no-store", "X-Snapshot-At": taken})
