"""Screens as data: `layouts/<name>.yaml` is the wall at `/wall/<name>`.

A screen file names a title, a grid and its tiles; each tile has an id, a kind (one module in
`dashboard/tiles/`), its cell and span, and its kind's options. Mistakes are reported all at once,
each with its YAML path and line (`tiles[3].metric: unknown metric 'foo'`), never as a blank box.

    title: Command Center Provinsi Banten
    grid: {columns: 16, rows: 7}
    tiles:
      - {id: beras, kind: metric, metric: harga_beras, col: 8, row: 1, width: 3, height: 2}

A file with `kind: playlist` is a playlist of screens instead (dashboard/walls/playlist.py), served at
`/wall/<name>` too. `load_files` reads the whole folder; given the previous good library it keeps
the last good version of every file that is now broken (dashboard/walls/layout_watch.py reloads with it).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from core.config import Config, ConfigError, ConfigProblem, Model, line_of, problems_from_validation, read_yaml
from dashboard.tiles import KINDS
from dashboard.tiles.base import TileBase
from dashboard.tiles.layout_folder import ROOT, layouts_dir, yaml_path  # noqa: F401 (ROOT: the loader's callers)
from dashboard.walls.playlist import Playlist, parse_playlist

SCREEN_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class Grid(Model):
    columns: int = Field(ge=1, le=48)
    rows: int = Field(ge=1, le=48)


class ScreenFile(Model):
    kind: Literal["screen"] = "screen"
    title: str
    title_en: str | None = None
    grid: Grid
    tiles: list[dict[str, Any]] = Field(min_length=1)


@dataclass(frozen=True)
class Screen:
    """One validated screen: where it is served and what it shows."""

    name: str
    title: str
    title_en: str | None
    grid: Grid
    tiles: tuple[TileBase, ...]
    file: str

    @property
    def path(self) -> str:
        return f"/wall/{self.name}"

    def title_in(self, lang: str) -> str:
        return (self.title_en if lang == "en" and self.title_en else None) or self.title


def _check_tiles(tiles: list[TileBase], index: list[int], grid: Grid, config: Config) -> list[tuple[str, str]]:
    """Ids unique, tiles inside the grid and apart, kind options valid against config."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    cells: dict[tuple[int, int], int] = {}
    for tile, i in zip(tiles, index):
        at = f"tiles[{i}]"
        if tile.id in seen:
            problems.append((f"{at}.id", f"duplicate tile id '{tile.id}' (also tiles[{seen[tile.id]}])"))
        seen.setdefault(tile.id, i)
        inside = True
        for start, span, size, axis, start_key, span_key in (
            (tile.col, tile.width, grid.columns, "column", "col", "width"),
            (tile.row, tile.height, grid.rows, "row", "row", "height"),
        ):
            if start > size:
                problems.append((f"{at}.{start_key}", f"{axis} {start} is outside the grid (1..{size})"))
                inside = False
            elif start + span - 1 > size:
                problems.append((f"{at}.{span_key}",
                                 f"reaches {axis} {start + span - 1}, past the grid's {size} {axis}s"))
                inside = False
        if inside:
            clash = next((cells[c] for c in ((x, y) for x in range(tile.col, tile.col + tile.width)
                                             for y in range(tile.row, tile.row + tile.height)) if c in cells), None)
            if clash is not None:
                problems.append((at, f"overlaps tile '{tiles[index.index(clash)].id}' (tiles[{clash}])"))
            else:
                for x in range(tile.col, tile.col + tile.width):
                    for y in range(tile.row, tile.row + tile.height):
                        cells[(x, y)] = i
        problems += [(f"{at}.{key}", msg) for key, msg in KINDS[tile.kind].check(tile, config)]
    return problems


def parse_screen(name: str, data: Any, config: Config) -> tuple[Screen | None, list[tuple[str, str]]]:
    """A Screen from a parsed file, or the problems as (YAML path, message)."""
    problems: list[tuple[str, str]] = []
    if not SCREEN_NAME.match(name):
        problems.append(("(file)", "the file name must use lower case letters, digits, - and _"))
    if not isinstance(data, dict):
        return None, problems + [("(top)", "must be a mapping with title, grid and tiles")]
    try:
        screen_file = ScreenFile.model_validate(data)
    except ValidationError as err:
        problems += [(yaml_path(p.path), p.message) for p in problems_from_validation(err)]
        # Still check each tile, so one run reports every mistake in the file.
        screen_file = None
    raw_tiles = data.get("tiles") if isinstance(data.get("tiles"), list) else []
    tiles, index = [], []
    for i, raw in enumerate(raw_tiles):
        if not isinstance(raw, dict):
            continue  # reported by ScreenFile
        kind = raw.get("kind")
        if kind not in KINDS:
            message = "required" if kind is None else f"unknown kind '{kind}' (one of {', '.join(KINDS)})"
            problems.append((f"tiles[{i}].kind", message))
            continue
        try:
            tiles.append(KINDS[kind].Tile.model_validate(raw))
            index.append(i)
        except ValidationError as err:
            problems += [(yaml_path(p.path), p.message) for p in problems_from_validation(err, f"tiles[{i}]")]
    if screen_file is not None:
        problems += _check_tiles(tiles, index, screen_file.grid, config)
    if problems:
        return None, problems
    return Screen(name, screen_file.title, screen_file.title_en, screen_file.grid, tuple(tiles), ""), []


def _line(node, path: str) -> int | None:
    """The line of a path, or of its nearest parent when the key is missing from the file."""
    while path:
        line = line_of(node, path)
        if line is not None:
            return line
        path = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", path) if re.search(r"[.\[]", path) else ""
    return None


def load_screen(path: Path, config: Config) -> Screen:
    """One screen file, validated against the config; raises ConfigError listing every problem."""
    data, node = read_yaml(path)
    screen, problems = parse_screen(path.stem, data, config)
    if problems:
        raise ConfigError([ConfigProblem(p, m, _line(node, p), str(path)) for p, m in problems])
    return Screen(screen.name, screen.title, screen.title_en, screen.grid, screen.tiles, str(path))


def layout_files(folder: Path) -> list[Path]:
    """The screen and playlist files of a layouts folder, by name."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


@dataclass
class Library:
    """Every screen and playlist of the layouts folder, by name, with a digest of each one's file
    (the same on every dashboard process, so a page and its push stream agree on a version)."""

    screens: dict[str, Screen] = field(default_factory=dict)
    playlists: dict[str, Playlist] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # name -> sha1 of the file's bytes

    def names(self) -> set[str]:
        return set(self.screens) | set(self.playlists)


def load_files(config: Config, previous: Library | None = None) -> tuple[Library, list[ConfigProblem]]:
    """Read every file of the layouts folder: the library of good ones and the problems of the
    others. With `previous`, a broken or removed file that was good before keeps its last good
    version when something still shows it (a broken file always; a removed screen while a playlist
    names it), so a typo never blanks a wall."""
    folder = layouts_dir(config)
    if not folder.is_dir():
        return Library(), [ConfigProblem("dashboard.layouts_dir", f"folder not found: {folder}")]
    files = layout_files(folder)
    if not files:
        return Library(), [ConfigProblem("dashboard.layouts_dir", f"no screen files (*.yaml) in {folder}")]
    lib = Library()
    problems: list[ConfigProblem] = []
    broken: set[str] = set()
    playlist_files: list[tuple[Path, Any, Any, str]] = []
    for path in files:
        name = path.stem
        if name in lib.digests or any(p.stem == name for p, *_ in playlist_files):
            problems.append(ConfigProblem("(file)", f"a second screen named '{name}'", None, str(path)))
            continue
        try:
            digest = hashlib.sha1(path.read_bytes()).hexdigest()[:12]
            data, node = read_yaml(path)
        except ConfigError as err:
            problems += err.problems
            broken.add(name)
            continue
        except OSError as err:  # removed or unreadable between listing and reading
            problems.append(ConfigProblem("(file)", f"cannot read: {err}", None, str(path)))
            broken.add(name)
            continue
        if isinstance(data, dict) and data.get("kind") == "playlist":
            playlist_files.append((path, data, node, digest))
            continue
        if isinstance(data, dict) and data.get("kind", "screen") != "screen":
            problems.append(ConfigProblem("kind", "must be screen (the default) or playlist", _line(node, "kind"),
                                          str(path)))
            broken.add(name)
            continue
        screen, found = parse_screen(name, data, config)
        if found:
            problems += [ConfigProblem(p, m, _line(node, p), str(path)) for p, m in found]
            broken.add(name)
            continue
        lib.screens[name] = Screen(screen.name, screen.title, screen.title_en, screen.grid, screen.tiles, str(path))
        lib.digests[name] = digest
    if previous is not None:
        for name in broken:
            if name in previous.screens:
                lib.screens[name], lib.digests[name] = previous.screens[name], previous.digests[name]
    for path, data, node, digest in playlist_files:
        name = path.stem
        if not SCREEN_NAME.match(name):
            problems.append(ConfigProblem("(file)", "the file name must use lower case letters, digits, - and _",
                                          None, str(path)))
            broken.add(name)
            continue
        playlist, found = parse_playlist(name, data, set(lib.screens))
        if found:
            problems += [ConfigProblem(yaml_path(p), m, _line(node, yaml_path(p)), str(path)) for p, m in found]
            broken.add(name)
            continue
        lib.playlists[name] = Playlist(name, playlist.title, playlist.title_en, playlist.items, str(path))
        lib.digests[name] = digest
    if previous is not None:
        for name in broken:
            if name in previous.playlists:
                lib.playlists[name], lib.digests[name] = previous.playlists[name], previous.digests[name]
        # A kept playlist may still name a screen whose file is gone: keep that screen too.
        for playlist in list(lib.playlists.values()):
            for name in playlist.screens:
                if name not in lib.screens and name in previous.screens:
                    lib.screens[name], lib.digests[name] = previous.screens[name], previous.digests[name]
                    problems.append(ConfigProblem("(file)", f"removed, but playlist '{playlist.name}' still "
                                                  "shows it: its last version stays until the playlist changes",
                                                  None, previous.screens[name].file))
    if any(isinstance(t, KINDS["map"].Tile) for s in lib.screens.values() for t in s.tiles):
        try:
            KINDS["map"].load_geometry(config)
        except ConfigError as err:
            problems += err.problems
    return lib, problems


def load_library(config: Config) -> Library:
    """Every screen and playlist in the layouts folder; raises ConfigError listing every problem in every file."""
    lib, problems = load_files(config)
    if problems:
        raise ConfigError(problems)
    return lib


def load_layouts(config: Config) -> dict[str, Screen]:
    """Every screen in the layouts folder, by name (playlists checked too); raises ConfigError
    listing every problem in every file."""
    return load_library(config).screens
