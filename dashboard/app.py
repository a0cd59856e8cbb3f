"""The dashboard app: Dash 4 on FastAPI with WebSocket callbacks. Wiring only.

    app = create_app(config, redis_url)
    uvicorn.run(app.server, host=config.dashboard.host, port=config.dashboard.port)

Pages: `/` lists the screens, `/wall/<name>` shows `layouts/<name>.yaml` (`?lang=en` for English),
`/healthz` reports Redis, feeds and open walls; `/whep/*` and `/snapshot/*` serve the cameras
(dashboard/cameras/routes.py). Everything is served from this process: no CDN.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from pathlib import Path

from dash import Dash, Input, Output, State, ctx, dcc, html, set_props
from fastapi.responses import JSONResponse

from core.config import Config
from core.redis import connect
from core.streams import utc_now
from dashboard import home
from dashboard.analyst import page as analyst
from dashboard.applications import page as application
from dashboard.auth.access import current_user, may_open
from dashboard.auth.checks import install as install_auth
from dashboard.build import build_id
from dashboard.cameras.routes import GatewayProxy
from dashboard.context import PageContext
from dashboard.governor import page as governor
from dashboard.incidents import page as incidents_page
from dashboard.incidents import public_page as incidents_public
from dashboard.incidents import reports_page
from dashboard.it import it_page, status_page
from dashboard.live.hub import LiveHub
from dashboard.meeting import page as meeting
from dashboard.operator import page as operator
from dashboard.public import page as public
from dashboard.renderer_fix import RendererFix
from dashboard.text.i18n import language_from_query
from dashboard.tiles.map import load_geometry
from dashboard.walls import page as wall
from dashboard.walls import remote_page as remote
from dashboard.walls.layout_watch import LayoutWatch

ROOT = Path(__file__).resolve().parents[1]
WALL_PREFIX = "/wall/"
META_WAIT_S = 10.0  # how long a page's stream waits for its screen to be rendered
# Page modules (dashboard/context.py says what each offers), asked in this order; walls and
# the home page are the router's own.
PAGES = (public, governor, meeting, analyst, operator, remote, it_page, status_page, incidents_page, reports_page,
         incidents_public)


def create_app(config: Config, redis_url: str) -> Dash:
    """The Dash app for the screens in layouts/, reading Redis at `redis_url`; `app.server` is FastAPI."""
    # layouts/ is watched: an edited screen or playlist replaces its entry in these dicts in place.
    layouts = LayoutWatch(config)
    screens = layouts.screens
    geometry = load_geometry(config)
    hub = LiveHub(config, redis_url)
    started = time.monotonic()
    # The application pages and the page modules read Redis with a sync client of their own.
    pages_redis = connect(redis_url, decode_responses=True)
    pc = PageContext(config, screens, geometry, hub, pages_redis, redis_url, layouts=layouts)
    walls = wall.Walls(pc, layouts, build_id())

    app = Dash(
        __name__,
        backend="fastapi",
        websocket_callbacks=True,
        websocket_inactivity_timeout=0,  # a wall is never "inactive"
        assets_folder=str(ROOT / "assets"),
        serve_locally=True,
        title=config.site.name,
        update_title=None,
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = html.Div([dcc.Location(id="url"), dcc.Store(id="wall-meta"), html.Div(id="screen")],
                          className="shell")
    # Before the gate, so that the gate's headers cover it too (the last middleware added runs first).
    app.server.add_middleware(RendererFix)  # Dash's renderer without its store-pinning selector bug
    # Sessions, roles and the audit (issue #6): every route, callback and WebSocket passes this gate.
    gate = install_auth(app, config, redis_url)

    @app.callback(Output("screen", "children"), Output("wall-meta", "data"),
                  Input("url", "pathname"), Input("url", "search"), State("wall-meta", "data"))
    async def route(pathname, search, meta=None):
        """Build the page once for its path; afterwards only the stream below changes it."""
        lang = language_from_query(search, config.site.language)
        path = (pathname or "/").rstrip("/")
        refusal = await gate.page_refusal(pathname, search, lang)
        if refusal is not None:  # not this user's page: the way to sign in, or a refusal
            return refusal, {"wall": None, "lang": lang}
        if application.is_page(path):  # /app/<application>: its drill state lives in the query
            return application.route(pathname, search, meta, geometry, config.site.name, config.site.language)
        for page in PAGES:
            if page.is_page(path):
                answer = page.route(pathname, search, meta, pc)
                return (await answer) if asyncio.iscoroutine(answer) else answer
        if not path.startswith(WALL_PREFIX):
            return home.layout(pc, lang), {"wall": None, "lang": lang}
        return await walls.route(path[len(WALL_PREFIX):], search, lang)  # a screen or a playlist

    @app.callback(persistent=True)
    async def stream():
        """One per open page, restarted by Dash when its WebSocket reconnects: push the wall's changes."""
        ws = ctx.websocket
        if ws is None:
            return  # no WebSocket (no SharedWorker in this browser): the page keeps its first paint
        meta = None
        deadline = time.monotonic() + META_WAIT_S
        while not meta and time.monotonic() < deadline and not ws.is_shutdown:
            meta = await ws.get_prop("wall-meta", "data")
            if not meta:
                await asyncio.sleep(0.05)
        if not (meta or {}).get("wall"):
            return
        if not may_open(current_user(), WALL_PREFIX + str(meta["wall"])):
            return  # the page names the wall itself: push it only to whom may open it
        await walls.stream(meta, closed=lambda: ws.is_shutdown, send=set_props)

    @app.server.get("/healthz", include_in_schema=False)
    async def healthz():
        """Redis, every feed's judged health and the open walls; 503 while Redis is unreachable."""
        await hub.start(wait_first_read=1.0)
        redis = await hub.check()
        now = utc_now()
        body = {
            "status": "ok" if redis.ok else "degraded",
            "redis": {"ok": redis.ok, "latency_ms": redis.latency_ms, "error": redis.error},
            "feeds": {fid: h.as_json(now) for fid, h in sorted(hub.snapshot.health.items())},
            "dashboard": {"ok": True, "uptime_s": round(time.monotonic() - started, 1), "walls": hub.walls,
                          **walls.health()},  # build id (the watchdog reloads walls on a new one), layouts
        }
        return JSONResponse(body, status_code=200 if redis.ok else 503)

    # Cameras through this origin: WHEP to the video gateway, snapshots from Redis (no CORS, no URLs).
    cameras = GatewayProxy(config, hub, audit=gate.audit)
    cameras.mount(app.server)

    inner_lifespan = app.server.router.lifespan_context

    @asynccontextmanager
    async def lifespan(server):
        async with inner_lifespan(server) as state:
            try:
                yield state
            finally:
                await cameras.close()
                await gate.close()
                await walls.stop()
                await hub.stop()

    app.server.router.lifespan_context = lifespan
    application.register(app, pages_redis, geometry, config.site.language, audit=gate.audit)
    for page in PAGES:
        page.register(app, pc)
    app.server.state.hub = hub
    # Dash 4.4.1's FastAPI backend prepares the page (collects assets/ CSS and JS) on the first
    # request to "/" or "/_dash-*" only: a wall opened first by its own URL would get a page
    # without the wall theme and the watchdog. Prepare it now, with every callback registered.
    app._setup_server()
    return app
