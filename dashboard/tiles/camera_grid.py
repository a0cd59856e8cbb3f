"""A video wall of cameras: a 1x1 to 4x4 grid, pages of cameras rotating, a click for full screen.

The server builds every cell once (all pages) and then pushes only each camera's state, badge,
snapshot address and picture age from the camera status in Redis. The browser side
(assets/cctv/camera-grid.js with the WHEP player in assets/cctv/whep-client.js) plays the
substream in the grid and the main stream full screen, shows one page at a time and stops the
players of pages and tiles not on screen. Video comes over WHEP from this origin (`/whep/<id>`),
never through Dash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from dash import html
from pydantic import Field, field_validator

from core.config import Config
from dashboard.live.snapshot import CameraStatus, Frame
from dashboard.text import formatting
from dashboard.text.i18n import text
from dashboard.tiles.base import Leaves, TileBase, WallContext, dom_id, iso, root_attrs
from dashboard.tiles.camera_list import camera_state

# As the video gateway writes them (ingest/cameras/health.py).
STATES = ("connecting", "live", "stalled", "offline", "inactive", "damaged", "unsupported")


class Tile(TileBase):
    kind: Literal["camera_grid"]
    columns: int = Field(default=2, ge=1, le=4)
    rows: int = Field(default=2, ge=1, le=4)
    # Which cameras: these ids, and/or every camera of these groups (config.yaml order, then the
    # camera listings' cameras); none = all. Listing cameras are chosen by group (their ids are the listing's).
    cameras: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    # Seconds each page of cameras stays before the next (0: no rotation, only the first page).
    rotate_every: float = Field(default=20.0, ge=0)

    @field_validator("rotate_every")
    @classmethod
    def _rotation_sane(cls, v):
        if 0 < v < 5:
            # A page must stay long enough for its players to connect and be watched.
            raise ValueError("at least 5 seconds, or 0 for no rotation")
        return v


def selected_cameras(tile: Tile, config: Config, cameras: dict | None = None) -> list[str]:
    """The tile's cameras in order: the listed ids, then the groups' cameras, without repeats.
    `cameras` are the page's (core.cameras.CameraInfo by id); config's when not given."""
    if cameras is None:
        cameras = {cid: cam.info(cid) for cid, cam in config.cameras.items()}
    if not tile.cameras and not tile.groups:
        return list(cameras)
    chosen = [c for c in tile.cameras if c in cameras]
    chosen += [cid for cid, cam in cameras.items() if cam.group in tile.groups and cid not in chosen]
    return chosen


def check(tile: Tile, config: Config) -> list[tuple[str, str]]:
    problems = [("cameras", f"unknown camera '{c}'") for c in tile.cameras if c not in config.cameras]
    problems += [("groups", f"unknown camera group '{g}'") for g in tile.groups if g not in config.camera_groups]
    # A group may be filled by a camera listing only once the gateway has read it.
    if not problems and not selected_cameras(tile, config) and not config.video.listings:
        problems.append(("cameras" if tile.cameras else "groups", "selects no camera"))
    return problems


def pages(tile: Tile, config: Config, cameras: dict | None = None) -> list[list[str]]:
    """The cameras cut into pages of columns x rows."""
    ids = selected_cameras(tile, config, cameras)
    size = tile.columns * tile.rows
    return [ids[i:i + size] for i in range(0, len(ids), size)] or [[]]


def _cell(tile: Tile, ctx: WallContext, camera_id: str) -> html.Div:
    camera = ctx.camera_infos()[camera_id]
    return html.Div(
        [
            html.Img(id=dom_id(tile.id, f"{camera_id}-snapshot"), className="cam-snapshot", alt="",
                     **{"data-snapshot": ""}),
            # The player attaches to this element; Dash never touches it after the first render.
            html.Video(className="cam-video", muted=True, autoPlay=True, **{"data-player": "idle"}),
            html.Div(text("cam_badge_connecting", ctx.lang), id=dom_id(tile.id, f"{camera_id}-badge"),
                     className="cam-badge"),
            html.Div([html.Span(camera.name, className="cam-name"),
                      html.Span("", id=dom_id(tile.id, f"{camera_id}-age"), className="cam-age")],
                     className="cam-caption"),
        ],
        id=dom_id(tile.id, camera_id),
        className="cam-cell",
        title=camera.name,
        **{"data-camera": camera_id, "data-state": "connecting"},
    )


def layout(tile: Tile, ctx: WallContext) -> html.Div:
    all_pages = pages(tile, ctx.config, ctx.camera_infos())
    grid_style = {"gridTemplateColumns": f"repeat({tile.columns}, minmax(0, 1fr))",
                  "gridTemplateRows": f"repeat({tile.rows}, minmax(0, 1fr))"}
    attrs = root_attrs(tile)
    attrs.update({"data-rotate": str(tile.rotate_every), "data-pages": str(len(all_pages)),
                  "data-lang": ctx.lang})
    return html.Div(
        [
            html.Div([html.Div(tile.title_in(ctx.lang) or text("cam_title", ctx.lang), className="tile-label"),
                      html.Span("", className="cam-page-number")], className="tile-head cam-head"),
            html.Div(
                [html.Div([_cell(tile, ctx, cid) for cid in cameras], className="cam-page", style=grid_style,
                          hidden=i > 0, **{"data-page": str(i)})
                 for i, cameras in enumerate(all_pages)],
                className="cam-pages",
            ),
        ],
        **attrs,
    )


def shown_state(status: CameraStatus) -> str:
    """The camera's state, an unknown one taken as connecting."""
    return status.state if status.state in STATES else "connecting"


def cell_state(camera_id: str, ctx: WallContext, frame: Frame) -> str:
    """A cell's state: the gateway's health, or inactive when the camera's listing flags it so or dropped it."""
    return shown_state(CameraStatus(state=camera_state(camera_id, ctx.config, frame.snapshot)))


def snapshot_address(camera_id: str, taken: datetime | None) -> str:
    """Where the newest picture is ("" for none). An address, not the img's `src`: the browser loads
    it only while the video is not playing (whep-client.js, cctvSnapshotUnderVideo). The capture
    time in it makes each picture's address its own."""
    return f"/snapshot/{camera_id}?t={int(taken.timestamp())}" if taken is not None else ""


def badge(state: str, lang: str) -> str:
    """What a cell says in large letters: nothing while live, else OFFLINE / STALLED / CONNECTING."""
    return "" if state == "live" else text(f"cam_badge_{state}", lang)


def leaves(tile: Tile, ctx: WallContext, frame: Frame) -> Leaves:
    out: Leaves = {(dom_id(tile.id), "data-updated"): iso(frame.snapshot.read_at)}
    for camera_id in selected_cameras(tile, ctx.config, ctx.camera_infos()):
        status = frame.snapshot.cameras.get(camera_id, CameraStatus())
        state, taken = cell_state(camera_id, ctx, frame), status.snapshot_at
        # The picture's age matters only while the snapshot stands in for the video.
        age = ""
        if state != "live":
            age = (text("cam_picture_age", ctx.lang, age=formatting.age((frame.now - taken).total_seconds(), ctx.lang))
                   if taken is not None else text("cam_no_picture", ctx.lang))
        out[(dom_id(tile.id, camera_id), "data-state")] = state
        out[(dom_id(tile.id, f"{camera_id}-badge"), "children")] = badge(state, ctx.lang)
        out[(dom_id(tile.id, f"{camera_id}-age"), "children")] = age
        out[(dom_id(tile.id, f"{camera_id}-snapshot"), "data-snapshot")] = snapshot_address(camera_id, taken)
    return out
