"""The dashboard's build id: which code and assets this process serves.

Open walls carry the build id they were loaded with; the push stream sends the server's, and the
watchdog (assets/wall/watchdog.js) reloads a wall whose server now runs another build, so a
deployment reaches every wall without anyone touching them. /healthz shows it too.

`CC_BUILD_ID` (e.g. the git commit a deployment ships) wins; otherwise a digest of the Python code
and the assets the browser loads, the same on every worker started from the same files.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dash

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("core", "dashboard", "assets")
SUFFIXES = {".py", ".js", ".css", ".json", ".geojson", ".png", ".svg", ".ico"}


def build_id(root: Path = ROOT) -> str:
    """12 hex digits naming the code and assets under `root`, and the Dash version serving them."""
    configured = os.environ.get("CC_BUILD_ID", "").strip()
    if configured:
        return configured[:64]
    digest = hashlib.sha1(f"dash {dash.__version__}".encode())
    for folder in SOURCES:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.suffix in SUFFIXES and p.is_file()
                           and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode())
            try:
                digest.update(path.read_bytes())
            except OSError:
                continue  # removed while we read: the next start will see the new set
    return digest.hexdigest()[:12]
