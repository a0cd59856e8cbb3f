"""A wall page: the header with the outage banner, then the screen's tiles in its grid.

`/wall/<name>` shows `layouts/<name>.yaml`: one screen, or a playlist of screens
(dashboard/walls/playlist.py). `layout` builds the tree once per page load (already showing the current
data); afterwards the page's persistent callback (`Walls.stream`) only sends the leaf props that
`render` says have changed. A playlist page holds every screen it rotates through, each in its
own section, and shows one at a time: a switch is one `hidden` prop per section, no tree is
rebuilt (Dash 4.4.1 replaces every element of a returned tree on each update), nothing
accumulates, and the wall's camera players stop while their section is hidden. Only the section on screen gets updates.

`?kiosk=1` marks the page for an unattended wall PC (no cursor, no scrollbars, no context menu:
assets/wall/wall.css and kiosk.js). Every wall carries the build id and its layout token; when the
server sends other ones (a deployment, an edited layout file) the watchdog reloads the page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from dash import html, set_props

from core.streams import utc_now
from dashboard import home
from dashboard.build import build_id
from dashboard.live.channels import PLAYLISTS
from dashboard.live.hub import Pusher
from dashboard.live.screen import BANNER_ID, BANNER_TEXT_ID, WALL_ID, fill, kiosk_from_query, page_leaves
from dashboard.live.signal import first_of
from dashboard.live.snapshot import Frame
from dashboard.text.i18n import language_from_query, text
from dashboard.tiles import KINDS
from dashboard.tiles.base import Leaves, WallContext
from dashboard.tiles.camera_list import wall_cameras
from dashboard.walls.layout import Screen
from dashboard.walls.layout_watch import LayoutWatch
from dashboard.walls.playlist import Playlist, PlaylistStates, Position, item_label, position

log = logging.getLogger("dashboard.wall")

TITLE_ID = "wall-title"
PLAYLIST_ID = "wall-playlist"
PLAYLIST_POS_ID = "wall-playlist-pos"
PLAYLIST_LABEL_ID = "wall-playlist-label"
PLAYLIST_BAR_ID = "wall-playlist-bar"
PAGE = ""  # the group of page-wide leaves (not a tile, never held back)
SWITCH = "~switch"  # which section shows: sent after the tiles of the section coming on screen
# Redrawing a figure (the map) costs the wall's browser ~80 ms of CPU, a text update almost
# nothing: figures go in a group of their own, updated at most this often.
FIGURE_RATE = 1.0
SWITCH_RATE = 1000.0  # a switch is never held back
NAMESPACE = "--"  # playlist sections' tile ids: `<screen>--<tile>`, unique on the page


def section_id(index: int) -> str:
    return f"wall-section-{index}"


def tile_groups(screen: Screen, ctx: WallContext, frame: Frame) -> dict[str, Leaves]:
    """The leaf props of a screen's tiles for this frame, grouped by tile id (figures apart)."""
    groups: dict[str, Leaves] = {}
    for tile in screen.tiles:
        for (cid, prop), value in KINDS[tile.kind].leaves(tile, ctx, frame).items():
            group = figure_group(tile.id) if prop == "figure" else tile.id
            groups.setdefault(group, {})[(cid, prop)] = value
    return groups


def render(screen: Screen, ctx: WallContext, frame: Frame) -> dict[str, Leaves]:
    """Every leaf prop of the page for this frame, grouped by tile id (PAGE for the header)."""
    return {PAGE: page_leaves(ctx, frame), **tile_groups(screen, ctx, frame)}


def figure_group(tile_id: str) -> str:
    return f"{tile_id}#figure"


def rates(screen: Screen, push_rate: float) -> dict[str, float]:
    """The groups that get fewer updates than `push_rate`: each figure at most FIGURE_RATE a second."""
    return {figure_group(t.id): min(push_rate, FIGURE_RATE) for t in screen.tiles}


# ---- what a wall URL shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """What `/wall/<name>` shows: one screen, or a playlist's screens (one section each)."""

    name: str
    sections: tuple[Screen, ...]
    playlist: Playlist | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The layout files it is built from (its token covers them)."""
        return (self.name, *self.playlist.screens) if self.playlist else (self.name,)

    def section_of(self, item: int) -> int:
        return self.playlist.screens.index(self.playlist.items[item].screen)

    def rates(self, push_rate: float) -> dict[str, float]:
        out = {SWITCH: SWITCH_RATE}
        for screen in self.sections:
            out.update(rates(screen, push_rate))
        return out


def _namespaced(screen: Screen) -> Screen:
    """The screen with its tile ids prefixed by its name, so several screens share a page."""
    tiles = tuple(t.model_copy(update={"id": f"{screen.name}{NAMESPACE}{t.id}"}) for t in screen.tiles)
    return replace(screen, tiles=tiles)


def resolve(name: str, screens: dict[str, Screen], playlists: dict[str, Playlist]) -> View | None:
    """The view of a wall name, or None when no screen or playlist has that name."""
    playlist = playlists.get(name)
    if playlist is not None:
        if any(s not in screens for s in playlist.screens):
            return None  # cannot happen with LayoutWatch, which keeps what a playlist shows
        return View(name, tuple(_namespaced(screens[s]) for s in playlist.screens), playlist)
    screen = screens.get(name)
    return View(name, (screen,)) if screen is not None else None


@dataclass(frozen=True)
class Shown:
    """Where a playlist stands for one frame, as the wall shows it."""

    at: Position
    section: int
    title: str
    label: str


def shown(view: View, ctx: WallContext, screens: dict[str, Screen], at: Position) -> Shown:
    """The item at `at` as the wall shows it: its section, the screen's title and the item's label."""
    section = view.section_of(at.index)
    return Shown(at, section, view.sections[section].title_in(ctx.lang),
                 item_label(view.playlist, at.index, screens, ctx.lang))


def playlist_leaves(view: View, on_show: Shown) -> Leaves:
    """The page indicator (`2/4 Harga Pangan`), the progress bar's timing, the title on screen."""
    at = on_show.at
    return {
        (WALL_ID, "data-screen"): view.playlist.items[at.index].screen,
        (WALL_ID, "data-index"): str(at.index),
        (WALL_ID, "data-paused"): "true" if at.paused else "false",
        # Unix ms, server clock: assets/wall/playlist.js draws the bar from them.
        (WALL_ID, "data-item-start"): "" if at.started_at is None else str(round(at.started_at * 1000)),
        (WALL_ID, "data-switch-at"): "" if at.ends_at is None else str(round(at.ends_at * 1000)),
        (WALL_ID, "data-item-ms"): str(round(at.seconds * 1000)),
        (WALL_ID, "data-elapsed-ms"): str(round(at.elapsed * 1000)) if at.paused else "",
        (TITLE_ID, "children"): on_show.title,
        (PLAYLIST_ID, "className"): "wall-playlist is-paused" if at.paused else "wall-playlist",
        (PLAYLIST_POS_ID, "children"): f"{at.index + 1}/{len(view.playlist.items)}",
        (PLAYLIST_LABEL_ID, "children"): on_show.label,
    }


def render_view(view: View, ctx: WallContext, frame: Frame, on_show: Shown | None, build: str,
                token: str) -> dict[str, Leaves]:
    """The page's leaves for a frame: header, the section on screen, then which section shows."""
    page = page_leaves(ctx, frame)
    page[(WALL_ID, "data-build")] = build
    page[(WALL_ID, "data-layout")] = token
    if on_show is None:
        return {PAGE: page, **tile_groups(view.sections[0], ctx, frame)}
    page.update(playlist_leaves(view, on_show))
    groups = {PAGE: page, **tile_groups(view.sections[on_show.section], ctx, frame)}
    groups[SWITCH] = {(section_id(i), "hidden"): i != on_show.section for i in range(len(view.sections))}
    return groups


def _section(screen: Screen, ctx: WallContext, index: int, hidden: bool, playlist: bool) -> html.Main:
    grid = screen.grid
    attrs = {"id": section_id(index), "hidden": hidden, "data-screen": screen.name} if playlist else {}
    return html.Main(
        [KINDS[tile.kind].layout(tile, ctx) for tile in screen.tiles],
        className="wall-grid",
        style={"gridTemplateColumns": f"repeat({grid.columns}, minmax(0, 1fr))",
               "gridTemplateRows": f"repeat({grid.rows}, minmax(0, 1fr))"},
        **attrs,
    )


def _header(title: str, lang: str, playlist: bool) -> html.Header:
    indicator = [html.Div([html.Span("", id=PLAYLIST_POS_ID, className="playlist-pos"),
                           html.Span("", id=PLAYLIST_LABEL_ID, className="playlist-label"),
                           html.Span(text("playlist_paused", lang), className="playlist-paused")],
                          id=PLAYLIST_ID, className="wall-playlist")] if playlist else []
    return html.Header(
        [
            html.Div([html.Div(text("province", lang), className="wall-kicker"),
                      html.H1(title, className="wall-title", id=TITLE_ID)], className="wall-heading"),
            html.Div([html.Span("!", className="outage-icon"), html.Span("", id=BANNER_TEXT_ID)],
                     id=BANNER_ID, className="outage-banner", role="alert", **{"data-outage": "false"}),
            *indicator,
            html.Div([html.Span(className="live-dot"),
                      html.Span(text("live", lang), className="live-on"),
                      html.Span(text("lost", lang), className="live-off")],
                     id="live-indicator", className="live-indicator"),
        ],
        className="wall-header",
    )


def view_layout(view: View, ctx: WallContext, frame: Frame, on_show: Shown | None = None, *, build: str = "",
                token: str = "", kiosk: bool = False) -> html.Div:
    """The whole wall, built once, showing `frame` (and, for a playlist, the item `on_show`)."""
    lang = ctx.lang
    playlist = view.playlist is not None
    current = on_show.section if on_show else 0
    sections = [_section(s, ctx, i, i != current, playlist) for i, s in enumerate(view.sections)]
    title = on_show.title if on_show else view.sections[0].title_in(lang)
    classes = ["wall", f"wall-{view.name}"] + (["wall-has-playlist"] if playlist else []) + \
        (["is-kiosk"] if kiosk else [])
    root = html.Div(
        [*([html.Div(html.Div(id=PLAYLIST_BAR_ID, className="playlist-bar-fill"), className="playlist-bar")]
           if playlist else []),
         _header(title, lang, playlist),
         *sections],
        id=WALL_ID,
        className=" ".join(classes),
        lang=lang,
        **{"data-wall": view.name, "data-lang": lang, "data-tick": "", "data-build": build, "data-layout": token,
           "data-kiosk": "true" if kiosk else "false"},
    )
    groups = render_view(view, ctx, frame, on_show, build, token)
    groups.pop(SWITCH, None)  # built with the right section showing
    for screen in view.sections:  # every section starts with data, not only the one on screen
        groups.update(tile_groups(screen, ctx, frame))
    fill(root, groups)
    return root


def layout(screen: Screen, ctx: WallContext, frame: Frame) -> html.Div:
    """The wall of one screen, built once, showing `frame`."""
    return view_layout(View(screen.name, (screen,)), ctx, frame)


# ---- the walls of one dashboard process -----------------------------------------------------------


class Walls:
    """Serves `/wall/<name>`: the page, its push stream, the playlists' clocks and layout reloads."""

    def __init__(self, pc, watch: LayoutWatch, build: str):
        self.pc = pc
        self.watch = watch
        self.build = build
        self.states = PlaylistStates(pc.redis_url, watch.playlists, lambda: pc.hub.channel(PLAYLISTS))

    async def start(self) -> None:
        await self.pc.hub.start(wait_first_read=1.0)
        await self.watch.start()
        await self.states.start()

    async def stop(self) -> None:
        await self.watch.stop()
        await self.states.stop()

    def _context(self, lang: str, cameras: list[str] | None = None) -> WallContext:
        # The cameras known when the page was built (config + listings) stay the page's: its
        # cells are built once; the stream gets their ids from the page's meta.
        return WallContext(self.pc.config, lang, self.pc.geometry,
                           wall_cameras(self.pc.config, self.pc.hub.snapshot, cameras))

    def _shown(self, view: View, ctx: WallContext, now: float) -> Shown | None:
        if view.playlist is None:
            return None
        at = position(view.playlist, self.states.get(view.name), now)
        return shown(view, ctx, self.watch.screens, at)

    async def route(self, name: str, search: str, lang: str) -> tuple[Any, dict]:
        """The page for `/wall/<name>` (or the list of screens when there is none by that name)."""
        self.watch.scan()  # a file saved a moment ago is already in this page
        await self.start()
        view = resolve(name, self.watch.screens, self.watch.playlists)
        if view is None:
            return home.layout(self.pc, lang, missing=name), {"wall": None, "lang": lang}
        ctx = self._context(lang)
        frame = Frame(self.pc.hub.snapshot, utc_now())
        token = self.watch.token(view.names)
        kiosk = kiosk_from_query(search)
        page = view_layout(view, ctx, frame, self._shown(view, ctx, frame.now.timestamp()), build=self.build,
                           token=token, kiosk=kiosk)
        return page, {"wall": name, "lang": lang, "layout": token, "kiosk": kiosk, "cameras": list(ctx.camera_infos())}

    async def stream(self, meta: dict, closed: Callable[[], bool],
                     send: Callable[[str, dict[str, Any]], None] = set_props) -> None:
        """Keep one wall page current until its connection closes: the tiles of the section on
        screen, the playlist's position, the build id and the layout token."""
        await self.start()
        view = resolve(meta.get("wall") or "", self.watch.screens, self.watch.playlists)
        if view is None:
            return
        ctx = self._context(meta.get("lang") or self.pc.language, meta.get("cameras"))
        hub, push_rate = self.pc.hub, self.pc.config.dashboard.push_rate
        pusher = Pusher(push_rate, view.rates(push_rate))
        hub.walls += 1
        try:
            while not closed():
                snap, layouts, states = hub.snapshot, self.watch.changed.version, self.states.changed.version
                frame = Frame(snap, utc_now())
                on_show = self._shown(view, ctx, frame.now.timestamp())
                wait = 1.0 - frame.now.timestamp() % 1.0 + 0.002  # just after the next whole second
                try:
                    groups = render_view(view, ctx, frame, on_show, self.build, self.watch.token(view.names))
                    due = pusher.push(groups, time.monotonic(), send)
                    if due is not None:
                        wait = min(wait, due - time.monotonic())
                except Exception:  # noqa: BLE001 - one bad frame must not end the wall's stream
                    log.exception("rendering a wall failed")
                if on_show is not None and not on_show.at.paused:
                    wait = min(wait, on_show.at.ends_at - frame.now.timestamp() + 0.002)
                wait = max(0.0, wait)
                await first_of([hub.wait_change(snap.version, wait), self.watch.changed.wait(layouts, wait),
                                 self.states.changed.wait(states, wait)], wait + 0.05)
        finally:
            hub.walls -= 1

    def health(self) -> dict:
        """For /healthz: the build id, the layouts' state and mistakes (looked at now)."""
        self.watch.scan()
        return {"build": self.build, "layouts": self.watch.health()}


# ---- the page module (dashboard/pages.py) -------------------------------------------------------------

PREFIX = "/wall/"


def register(app, pc) -> None:
    """The walls of this process (the page has no callbacks of its own: the live push keeps it current)."""
    pc.walls = Walls(pc, pc.layouts, build_id())


async def route(pathname: str, search: str, meta: dict | None, pc) -> tuple[Any, dict]:
    """`/wall/<name>`: a screen or a playlist."""
    name = (pathname or "").rstrip("/")[len(PREFIX):]
    return await pc.walls.route(name, search, language_from_query(search, pc.language))


async def push(line, pc) -> None:
    """Keep one open wall current (dashboard/live/line.py): the wall its path names, which the user
    was allowed to open."""
    if line.meta.get("wall") and line.meta.get("wall") == line.meta.get("path", "")[len(PREFIX):]:
        await pc.walls.stream(line.meta, closed=line.closed, send=line.send)
