"""The video gateway: standard WHEP for browsers, H.264 passed through from one pull per camera.

    POST   /whep/<camera_id>[?stream=sub]   SDP offer in, 201 + SDP answer + Location out
    DELETE /whep/<camera_id>/<session>      hang up
    GET    /cameras                         ids, names, places, groups and health (never a URL)
    GET    /snapshot/<camera_id>            the latest keyframe JPEG
    GET    /healthz

Wall pages reach it through the dashboard, which proxies /whep/* to it (dashboard/cameras/routes.py)
after checking the viewer's role. Every route but /healthz asks for the dashboard's bearer token
(`video.internal_token`, else the one generated for this installation): a local process, or anyone
who reaches the port, cannot pull a police camera around the dashboard's check. A browser request
must also come from the dashboard's origin (CORS). Run with `python run.py video`.

The cameras are config's plus those of the camera listings named in `video.listings`, read by the
gateway itself (ingest/cameras/registry.py): their addresses stay here, Redis gets the public part.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import uuid

from aiohttp import web
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.rtcrtpsender import RTCRtpSender

from core.cameras import VideoSettings
from core.config import Config
from core.credentials import gateway_token
from core.redis import connect_async
from ingest.cameras.fanout import RelayTrack
from ingest.cameras.hub import CameraHub
from ingest.cameras.registry import CameraRegistry
from ingest.cameras.sharing import CameraSharing
from ingest.cameras.snapshot import SnapshotWorker
from ingest.cameras.status import CameraStatusWriter

log = logging.getLogger("video.gateway")

CONNECT_TIMEOUT = 15.0  # a viewer whose connection is not up by then is hung up


def h264_only_codecs():
    """The H.264 codecs aiortc can send (and their retransmission), to force passthrough in the SDP."""
    caps = RTCRtpSender.getCapabilities("video").codecs
    return [c for c in caps if c.mimeType == "video/H264"] + [c for c in caps if c.mimeType == "video/rtx"]


class WhepSession:
    """One viewer: its peer connection and the stream it holds."""

    def __init__(self, session_id: str, camera_id: str, pc: RTCPeerConnection, stream, viewer):
        self.id = session_id
        self.camera_id = camera_id
        self.pc = pc
        self.stream = stream
        self.viewer = viewer


class VideoGateway:
    """WHEP sessions over a CameraHub."""

    def __init__(self, hub: CameraHub, settings: VideoSettings, writer: CameraStatusWriter | None = None,
                 token: str | None = None):
        self.hub = hub
        self.settings = settings
        self.writer = writer
        self.token = token  # None: every route but /healthz refused (no caller can prove itself)
        self.sessions: dict[str, WhepSession] = {}
        self.sharing = None  # CameraSharing when run as a role: which cameras another gateway relays

    def app(self) -> web.Application:
        """The aiohttp application."""
        app = web.Application(middlewares=[self._cors, self._credential], client_max_size=256 * 1024)
        app.router.add_post("/whep/{camera_id}", self.offer)
        app.router.add_delete("/whep/{camera_id}/{session_id}", self.hang_up)
        app.router.add_get("/cameras", self.cameras)
        app.router.add_get("/snapshot/{camera_id}", self.snapshot)
        app.router.add_get("/healthz", self.healthz)
        app.router.add_route("OPTIONS", "/{tail:.*}", self.preflight)
        app.on_shutdown.append(lambda _: self.close_all())
        return app

    @web.middleware
    async def _cors(self, request: web.Request, handler):
        origin = request.headers.get("Origin")
        if origin and origin != self.settings.allowed_origin:
            # Another site's page must not use the gateway through a visitor's browser.
            return web.json_response({"error": "origin not allowed"}, status=403)
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = exc
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "Location"
            response.headers["Vary"] = "Origin"
        return response

    @web.middleware
    async def _credential(self, request: web.Request, handler):
        """The dashboard's bearer token on everything but /healthz and CORS preflights."""
        if request.path == "/healthz" or request.method == "OPTIONS":
            return await handler(request)
        presented = request.headers.get("Authorization", "").removeprefix("Bearer ").strip().encode()
        if not self.token or not presented or not hmac.compare_digest(presented, self.token.encode()):
            return web.json_response({"error": "the gateway answers the dashboard only (bearer token)"},
                                     status=401, headers={"WWW-Authenticate": "Bearer"})
        return await handler(request)

    async def preflight(self, request: web.Request) -> web.Response:
        """CORS preflight for WHEP POST and DELETE."""
        return web.Response(status=204, headers={"Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
                                                 "Access-Control-Allow-Headers": "Content-Type, Authorization",
                                                 "Access-Control-Max-Age": "600"})

    async def offer(self, request: web.Request) -> web.Response:
        """WHEP: an SDP offer for a camera's main stream or substream; answers 201 with the SDP."""
        camera_id = request.match_info["camera_id"]
        if camera_id not in self.hub.cameras:
            if self.sharing is not None and camera_id in self.sharing.cameras:
                # Another gateway pulls it: the dashboard asks that one (421: ask elsewhere).
                return web.json_response({"error": f"camera '{camera_id}' is relayed by another gateway",
                                          "owner": self.sharing.owner_of(camera_id)}, status=421)
            return web.json_response({"error": f"unknown camera '{camera_id}'"}, status=404)
        if not self.hub.is_active(camera_id):
            return web.json_response({"error": f"camera '{camera_id}' is inactive in its listing"}, status=409)
        variant = request.query.get("stream", "main")
        if variant not in ("main", "sub"):
            return web.json_response({"error": "stream must be main or sub"}, status=400)
        if request.content_type != "application/sdp":
            return web.json_response({"error": "the body must be an SDP offer (application/sdp)"}, status=415)
        sdp = await request.text()
        if "m=video" not in sdp:
            return web.json_response({"error": "the offer has no video"}, status=400)

        pc = RTCPeerConnection()
        session_id = uuid.uuid4().hex
        stream = self.hub.acquire(camera_id, variant)
        viewer = stream.fanout.subscribe(on_drop=lambda _v: self._later_close(session_id, "too slow"))
        session = self.sessions[session_id] = WhepSession(session_id, camera_id, pc, stream, viewer)

        @pc.on("connectionstatechange")
        async def _state():
            if pc.connectionState in ("failed", "closed"):
                await self.close(session_id, pc.connectionState)

        try:
            # The transceiver exists before the offer is applied, so the offer's video m-line binds
            # to it and only H.264 can be negotiated (packets are relayed, never re-encoded).
            transceiver = pc.addTransceiver(RelayTrack(viewer), direction="sendonly")
            transceiver.setCodecPreferences(h264_only_codecs())
            await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
            await pc.setLocalDescription(await pc.createAnswer())
        except Exception as exc:  # noqa: BLE001 - a bad offer is the caller's mistake, not a crash
            log.warning("camera %s: cannot answer an offer: %r", camera_id, exc)
            await self.close(session_id, "bad offer")
            return web.json_response({"error": f"cannot answer this offer: {exc}"}, status=400)
        if "H264" not in pc.localDescription.sdp or "VP8" in pc.localDescription.sdp:
            await self.close(session_id, "no H.264")
            return web.json_response({"error": "the offer does not accept H.264"}, status=406)
        asyncio.get_running_loop().call_later(CONNECT_TIMEOUT, self._hang_up_if_unconnected, session)
        location = f"/whep/{camera_id}/{session_id}"
        return web.Response(status=201, text=pc.localDescription.sdp, content_type="application/sdp",
                            headers={"Location": location})

    def _hang_up_if_unconnected(self, session: WhepSession) -> None:
        if session.id in self.sessions and session.pc.connectionState != "connected":
            self._later_close(session.id, "never connected")

    def _later_close(self, session_id: str, reason: str) -> None:
        asyncio.get_running_loop().create_task(self.close(session_id, reason))

    async def close(self, session_id: str, reason: str = "") -> bool:
        """End a viewer's session and let go of its stream; False when there was none."""
        session = self.sessions.pop(session_id, None)
        if session is None:
            return False
        log.debug("viewer %s of camera %s closed (%s)", session_id, session.camera_id, reason)
        session.stream.fanout.drop(session.viewer)
        self.hub.release(session.stream)
        await session.pc.close()
        return True

    def hang_up_cameras(self, camera_ids: set[str]) -> None:
        """Hang up every viewer of these cameras (removed, inactive or moved by their listing)."""
        for session_id, session in list(self.sessions.items()):
            if session.camera_id in camera_ids:
                self._later_close(session_id, "camera left the registry or changed")

    def apply_registry(self, cameras: dict, inactive: set[str]) -> None:
        """The registry changed: the hub pulls what is active now; viewers of what went are hung up."""
        self.hang_up_cameras(self.hub.set_cameras(cameras, inactive))

    async def close_all(self) -> None:
        """Hang up every viewer (shutdown)."""
        await asyncio.gather(*(self.close(sid, "shutdown") for sid in list(self.sessions)))

    async def hang_up(self, request: web.Request) -> web.Response:
        """WHEP: DELETE the session's Location."""
        if not await self.close(request.match_info["session_id"], "hang-up"):
            return web.json_response({"error": "no such session"}, status=404)
        return web.Response(status=200)

    async def cameras(self, request: web.Request) -> web.Response:
        """Every camera with its health; what a browser may know (no stream address)."""
        out = []
        for cid, camera in self.hub.cameras.items():
            view = camera.public_view(cid)
            view["active"] = self.hub.is_active(cid)
            view.update(self.hub.health[cid].as_fields())
            snap = self.writer.snapshots.get(cid) if self.writer else None
            view["snapshot_at"] = f"{snap[1]:.3f}" if snap else ""
            out.append(view)
        return web.json_response({"cameras": out}, headers={"Cache-Control": "no-store"})

    async def snapshot(self, request: web.Request) -> web.Response:
        """The latest keyframe JPEG of a camera."""
        snap = self.writer.snapshots.get(request.match_info["camera_id"]) if self.writer else None
        if snap is None:
            return web.json_response({"error": "no snapshot yet"}, status=404)
        return web.Response(body=snap[0], content_type="image/jpeg",
                            headers={"Cache-Control": "no-store", "X-Snapshot-At": f"{snap[1]:.3f}"})

    async def healthz(self, request: web.Request) -> web.Response:
        """Gateway liveness with counts of cameras per state, viewers, and why each camera that is
        not live is not (a broken picture, a codec not relayed, no frames...)."""
        states: dict[str, int] = {}
        problems: dict[str, dict[str, str]] = {}
        for cid, health in self.hub.health.items():
            states[health.state] = states.get(health.state, 0) + 1
            if health.state != "live":
                problems[cid] = {"state": health.state, "reason": health.reason}
        sharing = self.sharing
        return web.json_response({"ok": True, "cameras": states, "viewers": len(self.sessions),
                                  "problems": problems, "gateway": sharing.name if sharing else "",
                                  "gateways_alive": sharing.alive if sharing else []})


async def run_video(config: Config, redis_url: str, stop: asyncio.Event) -> None:
    """The video gateway role: pulls, health, snapshots and WHEP until `stop` is set."""
    settings = config.video
    demo = None
    if settings.demo_cameras:
        from pathlib import Path

        from ingest.cameras.demo_cameras import serve_demo_cameras

        names = [camera.name for camera in config.cameras.values()]
        # Encoding the clips at first run takes a few seconds each: keep the loop free meanwhile.
        demo = await asyncio.to_thread(serve_demo_cameras, settings.demo_cameras, Path("var/cameras"),
                                       settings.demo_rtsp_port, names)
    client = connect_async(redis_url)
    holder: dict[str, CameraStatusWriter] = {}
    loop = asyncio.get_running_loop()
    snapshots = SnapshotWorker(settings.frozen_after, settings.snapshot_every,
                               lambda verdict: loop.call_soon_threadsafe(holder["writer"].picture, verdict))
    registry = CameraRegistry(config)
    sharing = CameraSharing(client, settings)
    await sharing.join()
    cameras, inactive = sharing.share(*registry.cameras())
    hub = CameraHub(cameras, settings, snapshots, inactive=inactive)
    writer = holder["writer"] = CameraStatusWriter(hub, client, settings.snapshot_ttl)
    gateway = VideoGateway(hub, settings, writer, gateway_token(config))
    gateway.sharing, sharing.gateway = sharing, gateway
    runner = web.AppRunner(gateway.app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.host, settings.port).start()
    hub.start()
    log.info("video gateway: %d cameras; WHEP at http://%s:%d/whep/<camera_id>",
             len(hub.cameras), settings.host, settings.port)
    listings = asyncio.create_task(registry.run(client, stop, sharing.apply_registry), name="camera-registry")
    alive = asyncio.create_task(sharing.run(stop), name="gateway-alive")
    try:
        await writer.run(stop)
    finally:
        listings.cancel()
        await asyncio.gather(listings, return_exceptions=True)
        await asyncio.gather(alive, return_exceptions=True)
        await runner.cleanup()
        hub.stop()
        snapshots.stop()
        await client.aclose()
        if demo is not None:
            demo.terminate()
            demo.wait(timeout=5)


def main() -> None:
    """`python -m ingest.cameras.gateway CONFIG`: the gateway alone against REDIS_URL (tests, debugging)."""
    import os
    import signal
    import sys

    from core.config import load_config

    logging.basicConfig(level=logging.INFO, format="%(asctime)s video %(levelname)s %(name)s: %(message)s")
    from core.log_lines import keep_log_lines_whole

    keep_log_lines_whole()
    config = load_config(sys.argv[1] if len(sys.argv) > 1 else "config.yaml")

    async def serve() -> None:
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await run_video(config, os.environ["REDIS_URL"], stop)

    asyncio.run(serve())


if __name__ == "__main__":
    main()
