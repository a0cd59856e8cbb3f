"""The governor's screen (issue #5): the province in one view.

Placeholder until built: answers its path with a notice. Component ids start with "gov-".
"""

from __future__ import annotations

from dash import html

from dashboard.pages.context import PageContext

PATH = "/screen/governor"


def is_page(path: str) -> bool:
    return path == PATH or path.startswith(PATH + "/")


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    return html.Div("/screen/governor", id="gov-page"), {"wall": None, "page": "governor"}


def register(app, pc: PageContext) -> None:
    """No callbacks yet."""
