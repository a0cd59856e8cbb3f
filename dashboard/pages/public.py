"""The public portal (issue #6): aggregates only, small counts suppressed, open data.

Placeholder until built: answers its path with a notice. Component ids start with "pub-".
"""

from __future__ import annotations

from dash import html

from dashboard.pages.context import PageContext

PATH = "/publik"


def is_page(path: str) -> bool:
    return path == PATH or path.startswith(PATH + "/")


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    return html.Div("/publik", id="pub-page"), {"wall": None, "page": "public"}


def register(app, pc: PageContext) -> None:
    """No callbacks yet."""
