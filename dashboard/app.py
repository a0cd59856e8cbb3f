"""The dashboard app: Dash 4 on FastAPI with WebSocket callbacks. Wiring only.

    app = create_app(config, redis_url)
    uvicorn.run(app.server, host=config.dashboard.host, port=config.dashboard.port)

Pages: `/` lists the screens, `/wall/<name>` shows `layouts/<name>.yaml` (`?lang=en` for English),
`/healthz` reports Redis, feeds and open walls; `/whep/*` and `/snapshot/*` serve the cameras
(dashboard/cameras/routes.py). Everything is served from this process: no CDN.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from contextlib import asynccontextmanager
from pathlib import Path

from dash import Dash, Input, Output, State, ctx, dcc, html
from dash.exceptions import WebsocketDisconnected
from fastapi.responses import JSONResponse

from core.config import Config
from core.redis import connect
from core.streams import utc_now
from dashboard import app_colours, home
from dashboard.auth.access import current_user, may_open
from dashboard.auth.install import install as install_auth
from dashboard.cameras.routes import GatewayProxy
from dashboard.context import PageContext
from dashboard.live.hub import LiveHub
from dashboard.live.line import Line
from dashboard.live.shared_read import SharedReads
from dashboard.pages import PAGES, page_of
from dashboard.renderer_fix import RendererFix
from dashboard.text.i18n import language_from_query
from dashboard.tiles.map import load_geometry
from dashboard.walls.layout_watch import LayoutWatch

ROOT = Path(__file__).resolve().parents[1]


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
    pc = PageContext(config, screens, geometry, hub, pages_redis, redis_url, layouts=layouts, reads=SharedReads(hub))
    modules = [page.load() for page in PAGES if page.module]

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
    app.index_string = app_colours.with_colours(app.index_string)  # `--app` of each application (core/apps.py)
    app.layout = html.Div([dcc.Location(id="url"), dcc.Store(id="wall-meta"), html.Div(id="screen")],
                          className="shell")
    # Before the gate, so that the gate's headers cover it too (the last middleware added runs first).
    app.server.add_middleware(RendererFix)  # Dash's renderer without its store-pinning selector bug
    # Sessions, roles and the audit: every route, callback and WebSocket passes this gate.
    gate = install_auth(app, config, redis_url)

    pc.audit = gate.audit
    for module in modules:
        module.register(app, pc)

    @app.callback(Output("screen", "children"), Output("wall-meta", "data"),
                  Input("url", "pathname"), Input("url", "search"), State("wall-meta", "data"))
    async def route(pathname, search, meta=None):
        """Build the page once for its path (dashboard/pages.py); afterwards only its push changes it."""
        lang = language_from_query(search, config.site.language)
        path = (pathname or "/").rstrip("/") or "/"
        refusal = await gate.page_refusal(pathname, search, lang)
        if refusal is not None:  # not this user's page: the way to sign in, or a refusal
            return refusal, {"wall": None, "lang": lang}
        page = page_of(path)
        if page is None:
            return home.layout(pc, lang), {"wall": None, "lang": lang}
        answer = page.load().route(pathname, search, meta, pc)
        children, meta = (await answer) if asyncio.iscoroutine(answer) else answer
        if page.push and isinstance(meta, dict):  # what the live push starts from: this load, its path, query
            meta = {**meta, "id": secrets.token_urlsafe(12), "path": path, "search": search or ""}
        return children, meta

    async def live(meta):
        """The one live push of a page: started with the page the router built (its meta), it runs
        that page's push, and only for whom may open the page, until the page's connection closes."""
        ws = ctx.websocket
        path = (meta or {}).get("path")
        page = page_of(path) if ws is not None and path and meta.get("id") else None
        if page is None or not page.push or not may_open(current_user(), path):
            return  # no socket (no SharedWorker), a page without a push, or not this user's page
        try:
            await pc.open_pages.run(Line(meta, lambda: ws.is_shutdown), lambda line: page.load().push(line, pc), ws)
        except (WebsocketDisconnected, TimeoutError):
            return  # the page went away

    # Started when the router has put the page in `wall-meta`; started again by Dash after the
    # WebSocket reconnected (a callback without inputs), with the page's meta as state.
    app.callback(Input("wall-meta", "data"), prevent_initial_call=True)(live)
    app.callback(State("wall-meta", "data"), persistent=True)(live)

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
                          **pc.walls.health()},  # build id (the watchdog reloads walls on a new one), layouts
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
                await pc.walls.stop()
                await hub.stop()

    app.server.router.lifespan_context = lifespan
    app.server.state.hub = hub
    # Dash 4.4.1's FastAPI backend prepares the page (collects assets/ CSS and JS) on the first
    # request to "/" or "/_dash-*" only: a wall opened first by its own URL would get a page
    # without the wall theme and the watchdog. Prepare it now, with every callback registered.
    app._setup_server()
    return app
