"""A plain HTML page (no Dash) for the sign-in and admin pages: the vendored Bootstrap, our own CSS.

Every text put into these pages goes through `escape` first; callers pass already-escaped HTML.
"""

from __future__ import annotations

from html import escape


def page(title: str, body: str, lang: str, site_name: str, page_id: str) -> str:
    """A whole HTML document; `body` is trusted HTML built from escaped parts."""
    return (f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)} · {escape(site_name)}</title>'
            '<link rel="stylesheet" href="/assets/vendor/bootstrap.min.css">'
            '<link rel="stylesheet" href="/assets/auth/auth.css"></head>'
            f'<body class="auth-page" id="{escape(page_id)}">{body}</body></html>')
