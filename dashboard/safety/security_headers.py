"""The security headers on every dashboard response, and the Content-Security-Policy that Dash allows.

What Dash 4.4 and Plotly need, checked in Chromium (tests/browser/dashboard/test_access_browser.py):
- scripts only from this origin, plus the inline scripts Dash writes into its page (the renderer's
  start-up and clientside callbacks), allowed by their hashes (`Dash.csp_hashes()`), not wholesale;
  no `'unsafe-eval'`: the SVG Plotly traces the walls draw, dash-ag-grid and Dash's renderer work
  without it (WebGL traces would need it: keep them off these screens);
- inline styles: React and Plotly set `style` attributes and Plotly injects `<style>` rules;
- images from data: and blob: (Plotly's legends and exported PNGs), WebSocket callbacks and WHEP
  over this origin (`connect-src 'self'`), the WebSocket's SharedWorker and the camera videos.
Nothing is loaded from another site: walls must work without the internet.
"""

from __future__ import annotations

from collections.abc import Iterable


def content_security_policy(script_hashes: Iterable[str]) -> str:
    hashes = " ".join(script_hashes)  # Dash quotes them: 'sha256-...'
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' {hashes}".strip(),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "media-src": "'self' blob:",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def security_headers(csp: str, https: bool) -> list[tuple[bytes, bytes]]:
    """(name, value) pairs for an ASGI response start; HSTS only over https."""
    headers = [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if https:
        headers.append((b"strict-transport-security", b"max-age=31536000"))
    return headers
