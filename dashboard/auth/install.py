"""The gate put in front of the app, in create_app:

    gate = install(app, config, redis_url)   # the middleware, the WebSocket hook, the sign-in and admin pages

Imports go one way: this module uses checks (who is asking) and gate (every request); neither knows it.
"""

from __future__ import annotations

from pathlib import Path

from dash import hooks

from core.config import Config
from core.users import UserBook, users_path
from dashboard.auth import audit_page as admin
from dashboard.auth import login_page as login
from dashboard.auth.checks import Auth, on_websocket_message
from dashboard.auth.gate import Guard

_HOOKED = False


def _register_hooks() -> None:
    global _HOOKED
    if not _HOOKED:
        hooks.websocket_message()(on_websocket_message)
        _HOOKED = True


def install(app, config: Config, redis_url: str, root: Path | None = None) -> Auth:
    """Put the gate in front of the app: accounts from the users file, the middleware, the WebSocket
    hook, the sign-in and admin pages."""
    root = root or Path(__file__).resolve().parents[2]
    auth = Auth(config, redis_url, UserBook(users_path(config, root), config), app)
    app.server.state.cc_auth = auth
    # FastAPI's API docs would list every route to anyone: not served.
    app.server.router.routes = [r for r in app.server.router.routes
                                if getattr(r, "path", None) not in ("/openapi.json", "/docs", "/docs/oauth2-redirect",
                                                                    "/redoc")]
    login.mount(app.server, auth)
    admin.mount(app.server, auth)
    app.server.add_middleware(Guard, auth=auth)
    _register_hooks()
    return auth
