"""Where the screen files live (`dashboard.layouts_dir`: walls, playlists, the meeting room's prepared
views) and how a mistake's place in one is written for a person."""

from __future__ import annotations

import re
from pathlib import Path

from core.config import Config

ROOT = Path(__file__).resolve().parents[2]
_INDEX = re.compile(r"\.(\d+)(?=\.|$)")


def yaml_path(path: str) -> str:
    """`tiles.3.metric` -> `tiles[3].metric`, as a person reads a YAML list."""
    return _INDEX.sub(r"[\1]", path)


def layouts_dir(config: Config) -> Path:
    """The folder of screen files: `dashboard.layouts_dir`, from the working folder or the project."""
    folder = Path(config.dashboard.layouts_dir)
    if folder.is_absolute() or folder.is_dir():
        return folder
    return ROOT / folder
