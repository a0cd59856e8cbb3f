"""Each application's colour (core/apps.py) as CSS, written into the head of every Dash page.

Tiles, badges and pages carry the class `app-<id>` and the stylesheets (assets/wall/wall.css,
assets/governor/governor.css, ...) read `var(--app)`; this sets `--app` per application. The rules
follow the stylesheets' links, so they win over `.tile`'s neutral default.
"""

from __future__ import annotations

from core import apps

MARK = "{%css%}"


def stylesheet() -> str:
    """`:root { --applications: 7; }`, then `.app-e-bansos { --app: #fb923c; }` and so on."""
    registered = apps.all_applications()
    return "\n".join([f":root {{ --applications: {len(registered)}; }}",
                      *(f".app-{a.id} {{ --app: {a.colour}; }}" for a in registered)])


def with_colours(index_string: str) -> str:
    """Dash's page template with the colours after its stylesheets."""
    if MARK not in index_string:
        raise ValueError(f"the page template has no {MARK} to put the application colours after")
    return index_string.replace(MARK, f'{MARK}\n        <style id="app-colours">\n{stylesheet()}\n        </style>', 1)
