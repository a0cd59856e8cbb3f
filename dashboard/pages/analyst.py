"""The analysts' page (issue #5): applications, regions, range and measure; compare; export.

Placeholder until built: answers its path with a notice. Component ids start with "ana-".
"""

from __future__ import annotations

from dash import html

from dashboard.pages.context import PageContext

PATH = "/analyst"


def is_page(path: str) -> bool:
    return path == PATH or path.startswith(PATH + "/")


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    return html.Div("/analyst", id="ana-page"), {"wall": None, "page": "analyst"}


def register(app, pc: PageContext) -> None:
    """No callbacks yet."""
