"""The meeting room (issue #5): a presenter's topic and a second screen that follows.

Placeholder until built: answers its path with a notice. Component ids start with "meet-".
"""

from __future__ import annotations

from dash import html

from dashboard.pages.context import PageContext

PATH = "/screen/meeting"


def is_page(path: str) -> bool:
    return path == PATH or path.startswith(PATH + "/")


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    return html.Div("/screen/meeting", id="meet-page"), {"wall": None, "page": "meeting"}


def register(app, pc: PageContext) -> None:
    """No callbacks yet."""
