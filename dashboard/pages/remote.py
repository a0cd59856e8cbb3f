"""The playlist remote control (issue #5): pause, next, the current page of a wall.

Placeholder until built: answers its path with a notice. Component ids start with "remote-".
"""

from __future__ import annotations

from dash import html

from dashboard.pages.context import PageContext

PATH = "/remote"


def is_page(path: str) -> bool:
    return path == PATH or path.startswith(PATH + "/")


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    return html.Div("/remote", id="remote-page"), {"wall": None, "page": "remote"}


def register(app, pc: PageContext) -> None:
    """No callbacks yet."""
