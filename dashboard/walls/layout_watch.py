"""Screens picked up without a restart: the layouts folder is watched and reloaded when it changes.

Once a second one task per dashboard process looks at the files' modification times (a few
`stat` calls, no new dependency). When any changed, every file is read again
(`dashboard.walls.layout.load_files`); good files replace their screen or playlist in the live dicts that
every page holds, a broken file keeps its last good version on screen, and its mistakes are logged
with file, line and YAML path and listed in /healthz until fixed.

Each screen and playlist has a digest of its file; `token(names)` combines the digests of what a
wall shows. A wall page carries its token; its push stream sends the current one, and the
watchdog (assets/wall/watchdog.js) reloads the page when they differ.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from core.config import Config, ConfigError, ConfigProblem
from dashboard.live.signal import Signal
from dashboard.walls.layout import Library, layout_files, layouts_dir, load_files

log = logging.getLogger("dashboard.layouts")

SCAN_S = 1.0


def _stamps(folder: Path) -> dict[str, tuple[int, int, int]]:
    """What tells a file changed: modification time, size and inode (an editor may replace it)."""
    out = {}
    try:
        files = layout_files(folder)
    except OSError:
        return out
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        out[str(path)] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return out


class LayoutWatch:
    """The layouts folder of one process: the live library, its mistakes, and a signal on change."""

    def __init__(self, config: Config):
        self.config = config
        self.folder = layouts_dir(config)
        self._stamps = _stamps(self.folder)
        lib, problems = load_files(config)
        if problems:
            raise ConfigError(problems)  # at start nothing is kept: refuse, as every role does
        self.library = lib
        self.problems: list[ConfigProblem] = []
        self.changed = Signal()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None

    @property
    def screens(self) -> dict:
        return self.library.screens

    @property
    def playlists(self) -> dict:
        return self.library.playlists

    def token(self, names: Iterable[str]) -> str:
        """A short digest of the named screens' and playlists' files: it changes when any of them does."""
        digests = self.library.digests
        text = "|".join(f"{n}:{digests.get(n, '-')}" for n in sorted(set(names)))
        return hashlib.sha1(text.encode()).hexdigest()[:12]

    def scan(self) -> bool:
        """Reload when a file changed since the last look; True when a screen or playlist changed."""
        stamps = _stamps(self.folder)
        if stamps == self._stamps:
            return False
        self._stamps = stamps
        new, problems = load_files(self.config, previous=self.library)
        changed = self._apply(new)
        if problems != self.problems:
            if problems:
                log.error("layouts: %d mistake(s); the last good version of each stays on screen:\n  %s",
                          len(problems), "\n  ".join(str(p) for p in problems))
            else:
                log.info("layouts: every file is valid again")
        self.problems = problems
        if changed:
            log.info("layouts reloaded: %s", ", ".join(sorted(changed)))
            self.changed.bump()
        return bool(changed)

    def _apply(self, new: Library) -> set[str]:
        """Bring the live dicts in line with `new`, in place (pages hold these very dicts)."""
        old = self.library
        changed = {n for n in old.names() | new.names() if old.digests.get(n) != new.digests.get(n)}
        for live, fresh in ((old.screens, new.screens), (old.playlists, new.playlists)):
            for name in [n for n in live if n not in fresh]:
                live.pop(name, None)
            for name, item in fresh.items():
                if live.get(name) is not item:
                    live[name] = item
        old.digests.clear()
        old.digests.update(new.digests)
        return changed

    # --- the background look ---------------------------------------------------------------------

    async def start(self) -> None:
        """Look every SCAN_S on the running loop (once; again after the loop changed)."""
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        self._loop = loop
        self._task = loop.create_task(self._run(), name="layout-watch")

    async def stop(self) -> None:
        task, self._task, self._loop = self._task, None, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task], timeout=1)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(SCAN_S)
            try:
                self.scan()
            except Exception:  # noqa: BLE001 - a watcher that dies would freeze every wall's layout
                log.exception("looking at the layouts folder failed")

    def health(self) -> dict:
        """For /healthz: how many screens and playlists are served, and every current mistake (by file
        name within the layouts folder: /healthz is public, the server's paths are not)."""
        shown = [replace(p, file=Path(p.file).name) if p.file else p for p in self.problems]
        return {"ok": not self.problems, "screens": len(self.library.screens),
                "playlists": len(self.library.playlists), "problems": [str(p) for p in shown]}
