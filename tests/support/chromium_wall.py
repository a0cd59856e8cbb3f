"""One wall in a real headless Chromium, in a thread of its own, watched from outside as a person in front
of the screen would: every figure one tile shows and when, and anything that is not the wall (an error
page, a page that reloaded or went elsewhere). Nobody touches it once it is open."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tests.support.system import _RUNNING, chromium

# What a page shows when it is not the wall: a proxy's or server's error document, or Dash failing to load.
_LOOK = """(tile) => {
    const value = document.querySelector(`[data-tile="${tile}"] .tile-value`);
    const text = document.body ? document.body.innerText : '';
    const error = /Internal Server Error|Bad Gateway|Service Unavailable|Error loading|Callback error/.exec(text);
    return [value ? value.getAttribute('data-value') : null,
            !value ? 'no tile on the page: ' + text.slice(0, 200) : (error ? error[0] : '')];
}"""
SAMPLE_S = 0.1


class ChromiumWall:
    """The wall `wall` at `base`, signed in as `role`; `shown` lists (moment by `clock`, figure) each
    time the tile `tile` showed a different figure, `problems` (moment, what) each time it did not show
    the wall, and `navigations` counts the page's loads after it first showed the tile."""

    def __init__(self, base: str, tile: str, wall: str = "command-center", role: str = "executive",
                 clock: Callable[[], float] = time.monotonic):
        self.base, self.tile, self.wall, self.role, self.clock = base, tile, wall, role, clock
        self.shown: list[tuple[float, float]] = []
        self.problems: list[tuple[float, str]] = []
        self.navigations = 0
        self.ready, self._stop = threading.Event(), threading.Event()
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ChromiumWall:
        _RUNNING.append(self.base)
        self._thread.start()
        while not self.ready.wait(0.5):
            if not self._thread.is_alive():
                raise AssertionError(f"the Chromium wall did not open: {self._failed!r}")
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(30)
        if self.base in _RUNNING:
            _RUNNING.remove(self.base)

    def latest(self) -> float | None:
        return self.shown[-1][1] if self.shown else None

    def first_after(self, moment: float) -> tuple[float, float] | None:
        """The first figure shown after `moment` that differs from the one shown then, and when."""
        before = [v for t, v in self.shown if t <= moment]
        for t, v in self.shown:
            if t > moment and (not before or v != before[-1]):
                return t, v
        return None

    def _run(self) -> None:
        try:
            with chromium(self.role) as browser:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(f"{self.base}/wall/{self.wall}")
                # The tile may have no figure yet (no record so far): the wall is open once it is there.
                page.wait_for_selector(f'[data-tile="{self.tile}"] .tile-value', timeout=60_000)
                page.on("framenavigated", lambda frame: self._navigated(page, frame))
                self.ready.set()
                while not self._stop.is_set():
                    value, problem = page.evaluate(_LOOK, self.tile)
                    now = self.clock()
                    if problem:
                        self.problems.append((now, problem))
                    elif value and (not self.shown or float(value) != self.shown[-1][1]):
                        self.shown.append((now, float(value)))
                    page.wait_for_timeout(SAMPLE_S * 1000)
        except BaseException as exc:  # noqa: BLE001 - reported to the test through __enter__ or problems
            self._failed = exc
            self.problems.append((self.clock(), f"{type(exc).__name__}: {exc}"))

    def _navigated(self, page, frame) -> None:
        if frame == page.main_frame:
            self.navigations += 1
