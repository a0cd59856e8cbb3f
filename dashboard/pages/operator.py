"""The operator's page (issue #3/#6): acknowledge alerts, upload files, for their own feeds.

Placeholder until built: answers its path with a notice. Component ids start with "op-".
"""

from __future__ import annotations

from dash import html

from dashboard.pages.context import PageContext

PATH = "/operator"


def is_page(path: str) -> bool:
    return path == PATH or path.startswith(PATH + "/")


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    return html.Div("/operator", id="op-page"), {"wall": None, "page": "operator"}


def register(app, pc: PageContext) -> None:
    """No callbacks yet."""
