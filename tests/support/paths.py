"""Where things are: the repository root, and the saved source payloads (in the sources' real shapes)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = ROOT / "tests" / "support" / "payloads"
