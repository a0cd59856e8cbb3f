"""The meeting room's stage: the tiles one topic puts in front of the room, one of them spotlit.

An application: its key figures (with the trend against yesterday), the kab/kota map coloured by
its measure, its daily trend and its active alerts, at the province or one kab/kota. A kab/kota
(or the province) overview: every application's headline there, the alert map, its alerts. A
camera: the camera itself (WHEP from this origin, assets/meeting/meeting-camera.js; never a camera
address), the cameras on the map, what and where it is, the alerts around it.

The stage is built once (`layout`); a new topic, region or spotlight changes only leaf props
(texts, classes, grid places, figures), as every screen here does: Dash 4.4.1 replaces every
element of a tree a callback returns, on every update, which costs renderer CPU and loses the
elements' state (a playing video among them). Figures come from the same readers and figure
builders as the application pages (dashboard/applications/page.py) and the governor's screen
(dashboard/figures/province_summary.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dash import dcc, html

from core.clock import wib_today
from core.config import APPLICATIONS, Config
from core.regions import KABKOTA, PROVINCE_CODE, region_name
from dashboard.figures import province_summary as summary
from dashboard.figures.charts import trend_figure
from dashboard.figures.show import show
from dashboard.figures.specs import SPECS
from dashboard.figures.view import View
from dashboard.live.snapshot import CameraStatus, Frame
from dashboard.maps.region_map import map_paint
from dashboard.meeting.state import CAMERA, OVERVIEW, RoomView
from dashboard.text import definitions, formatting
from dashboard.text.i18n import application_name, text
from dashboard.tiles import camera_grid
from dashboard.tiles.base import Freshness, Leaves
from dashboard.tiles.map import CAMERA_COLORS, Geometry, MapPaint

STAT_SLOTS = 7
ALERT_SLOTS = 6
COLUMNS, ROWS = 12, 6  # the stage's grid; arrange() places the tiles on it
READ_STALE_S = 60.0  # a summary read longer ago than this (Redis away) makes the alert tiles stale


@dataclass(frozen=True)
class StageContext:
    config: Config
    geometry: Geometry
    lang: str = "id"


# ---- where each tile goes ----------------------------------------------------------------------------


def arrange(tiles: tuple[str, ...], spotlight: str) -> dict[str, tuple[int, int, int, int]]:
    """(column, row, width, height) on the 12x6 stage grid: the spotlit tile large on the left and the
    others stacked on the right; without a spotlight, a 2x2 grid (with three tiles, the first one tall)."""
    if not tiles:
        return {}
    if spotlight in tiles:
        others = [t for t in tiles if t != spotlight]
        places = {spotlight: (1, 1, 9 if others else COLUMNS, ROWS)}
        span = ROWS // max(1, len(others))
        for i, t in enumerate(others):
            places[t] = (10, 1 + i * span, 3, span if i < len(others) - 1 else ROWS - i * span)
        return places
    if len(tiles) == 1:
        return {tiles[0]: (1, 1, COLUMNS, ROWS)}
    if len(tiles) == 3:
        return {tiles[0]: (1, 1, 6, ROWS), tiles[1]: (7, 1, 6, 3), tiles[2]: (7, 4, 6, 3)}
    return {t: (1 + (i % 2) * 6, 1 + (i // 2) * 3, 6, 3) for i, t in enumerate(tiles[:4])}


def grid_style(place: tuple[int, int, int, int] | None) -> dict[str, str]:
    if place is None:
        return {"display": "none"}
    col, row, width, height = place
    return {"gridColumn": f"{col} / span {width}", "gridRow": f"{row} / span {height}"}


# ---- the map ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageMap:
    """The stage's map: a paint of tiles/map.py, the kab/kota outlined, and which layers it has. A new
    set of layers (the camera layer comes and goes) sends the whole figure, anything else a Patch."""

    paint: MapPaint
    highlight: str | None
    layers: str  # "regions" or "cameras"

    def _outline(self, data, previous: StageMap | None) -> None:
        geometry = self.paint.geometry
        if geometry.mode != "polygons" or (previous is not None and previous.highlight == self.highlight):
            return
        for i, r in enumerate(geometry.regions):
            chosen = r.code == self.highlight
            data[i]["line"] = {"color": "#f3f6fb" if chosen else "#0b1220", "width": 3 if chosen else 1.5}

    def figure(self) -> dict[str, Any]:
        fig = self.paint.figure()
        self._outline(fig["data"], None)
        return fig

    def as_patch(self, previous: StageMap | None):
        if previous is None or previous.layers != self.layers:
            return self.figure()
        patch = self.paint.as_patch(previous.paint)
        self._outline(patch["data"], previous)
        return patch


def stage_map(view: RoomView, data: summary.SummaryData | None, frame: Frame, sctx: StageContext) -> StageMap:
    geometry, lang = sctx.geometry, sctx.lang
    highlight = view.region if view.region in KABKOTA else None
    empty = summary.SummaryData(view.region, {}, {}, (), frame.now)
    data = data or empty
    if view.kind == "app":
        regions = data.regions.get(view.topic) or {}
        measure = SPECS[view.topic].map_measure(regions.get(PROVINCE_CODE) or {})
        paint = map_paint(geometry, regions, measure, View(view.topic, highlight, lang=lang))
        return StageMap(paint, highlight, "regions")
    base = summary.status_paint(geometry, data, lang, highlight)
    if view.kind != CAMERA:
        return StageMap(base, highlight, "regions")
    cameras = tuple(sctx.config.cameras.items())
    states = [camera_grid.shown_state(frame.snapshot.cameras.get(cid, CameraStatus())) for cid, _ in cameras]
    texts = tuple(f"{'▶ ' if cid == view.camera else ''}{cam.name} — {text(f'cam_state_{s}', lang)}"
                  for (cid, cam), s in zip(cameras, states))
    colors = tuple(CAMERA_COLORS[s] for s in states)
    paint = MapPaint(base.colors, base.labels, geometry, cameras, colors, texts)
    return StageMap(paint, highlight, "cameras")


# ---- the tiles' leaves -------------------------------------------------------------------------------


def region_label(code: str, lang: str) -> str:
    return region_name(code, text("province", lang))


def topic_title(view: RoomView, config: Config, lang: str) -> str:
    """What the room is looking at, in words: 'Layanan Kesehatan — Kota Serang'."""
    if view.kind == "app":
        return f"{application_name(view.topic, lang)} — {region_label(view.region, lang)}"
    if view.kind == OVERVIEW:
        return f"{text('meet_overview', lang)} — {region_label(view.region, lang)}"
    if view.kind == CAMERA and view.camera in config.cameras:
        return f"{text('meet_camera', lang)}: {config.cameras[view.camera].name}"
    return text("meet_waiting", lang)


@dataclass
class Stat:
    """One slot of the key figures: a small heading, a label, the value, its change since yesterday."""

    kicker: str = ""
    label: str = ""
    value: str = ""
    change: str = ""
    tone: str = "none"
    stale: bool = False
    meaning: str = ""  # the figure's definition (dashboard/text/definitions.py): its label's hover and tap


def _age(fresh: Freshness, lang: str) -> str:
    if fresh.age_s is None:
        return text("no_data", lang)
    return text("gov_updated", lang, age=formatting.age(fresh.age_s, lang))


def _since(read_at, frame: Frame, limit: float | None = None) -> Freshness:
    """Freshness of what was read at `read_at`: stale without a read, while Redis is away, past `limit`."""
    age = max(0.0, (frame.now - read_at).total_seconds()) if read_at else None
    stale = read_at is None or not frame.snapshot.redis.ok or (limit is not None and age > limit)
    return Freshness(read_at, stale, age)


def _app_stats(view: RoomView, data: summary.SummaryData, frame: Frame, sctx: StageContext):
    """An application at the province or a kab/kota: its headline with the change, then its other figures."""
    lang = sctx.lang
    figures = (data.regions.get(view.topic) or {}).get(view.region) or {}
    head = summary.app_figure(data, view.topic, wib_today(frame.now), view.region)
    fresh = summary.app_freshness(view.topic, head.updated, frame.snapshot.health, sctx.config, frame.now,
                                  frame.snapshot.redis.ok)
    out = []
    if head.pick:
        out.append(Stat(head.label(lang), head.detail(lang), head.value_text(lang),
                        head.change_text("yesterday", lang), head.tone("yesterday"), fresh.stale,
                        _meaning(definitions.figure(view.topic, head.pick.series), lang)))
    for label, value, kind in SPECS[view.topic].headline(figures) if figures else []:
        if not (head.pick and label.id == head.pick.name.id):
            out.append(Stat("", label(lang), show(value, kind, lang), stale=fresh.stale,
                            meaning=_meaning(definitions.labelled(view.topic, label), lang)))
    return out, fresh


def _meaning(definition: definitions.Definition | None, lang: str) -> str:
    return definition(lang) if definition else ""


def _overview_stats(view: RoomView, data: summary.SummaryData, frame: Frame, sctx: StageContext):
    """A kab/kota (or the province): every application's headline there."""
    lang, today, out, newest = sctx.lang, wib_today(frame.now), [], None
    for app in APPLICATIONS:
        f = summary.app_figure(data, app, today, view.region)
        fresh = summary.app_freshness(app, f.updated, frame.snapshot.health, sctx.config, frame.now,
                                      frame.snapshot.redis.ok)
        newest = max([t for t in (newest, fresh.updated) if t], default=None)
        out.append(Stat(application_name(app, lang), f.label(lang), f.value_text(lang),
                        f.change_text("yesterday", lang) if f.pick else "", f.tone("yesterday"), fresh.stale,
                        _meaning(definitions.figure(app, f.pick.series) if f.pick else None, lang)))
    return out, _since(newest, frame)


def _camera_stats(view: RoomView, frame: Frame, sctx: StageContext):
    """A camera: what and where it is, whose, its state and its latest picture's age."""
    lang, config = sctx.lang, sctx.config
    cam = config.cameras[view.camera]
    status = frame.snapshot.cameras.get(view.camera, CameraStatus())
    state = camera_grid.shown_state(status)
    group = config.camera_groups.get(cam.group)
    taken = status.snapshot_at
    picture = (formatting.age((frame.now - taken).total_seconds(), lang) if taken
               else text("cam_no_picture", lang))
    tone = "good" if state == "live" else "bad" if state == "offline" else "flat"
    return [Stat(text("meet_camera", lang), "", cam.name),
            Stat(text("meet_cam_region", lang), "", region_label(cam.kab, lang)),
            Stat(text("meet_cam_group", lang), "", group.title if group and group.title else cam.group),
            Stat(text("meet_cam_state", lang), "", text(f"cam_state_{state}", lang), tone=tone),
            Stat(text("meet_cam_picture", lang), "", picture)], _since(frame.snapshot.read_at, frame)


def _stats(view: RoomView, data: summary.SummaryData | None, frame: Frame, sctx: StageContext):
    if view.kind == "app" and data is not None:
        return _app_stats(view, data, frame, sctx)
    if view.kind == OVERVIEW and data is not None:
        return _overview_stats(view, data, frame, sctx)
    if view.kind == CAMERA and view.camera in sctx.config.cameras:
        return _camera_stats(view, frame, sctx)
    return [], Freshness(None, False, None)


def _alerts_here(view: RoomView, data: summary.SummaryData | None) -> list:
    """The active alerts of the topic: its application's, and only its kab/kota's below the province."""
    if data is None or not view.kind:
        return []
    alerts = list(data.alerts)
    if view.kind == "app":
        alerts = [a for a in alerts if a.source == view.topic]
    if view.region != PROVINCE_CODE:
        alerts = [a for a in alerts if a.region == view.region]
    return alerts


def _tile(name: str, view: RoomView, places: dict, fresh: Freshness | None, lang: str) -> Leaves:
    """A tile's frame: shown or not, where on the grid, spotlit, stale, and its data's age."""
    on = name in places
    stale = bool(on and fresh and fresh.stale)
    classes = ["tile", "meet-tile", f"meet-tile-{name}"]
    classes += ([] if on else ["is-off"]) + (["is-spot"] if view.spotlight == name else [])
    classes += (["is-stale"] if stale else []) + ([f"app-{view.topic}"] if view.kind == "app" else [])
    return {(f"meet-tile-{name}", "className"): " ".join(classes),
            (f"meet-tile-{name}", "style"): grid_style(places.get(name)),
            (f"meet-tile-{name}", "data-stale"): "true" if stale else "false",
            (f"meet-tile-{name}-age", "children"): _age(fresh, lang) if on and fresh else ""}


def stat_leaves(stats: list[Stat]) -> Leaves:
    out: Leaves = {}
    for i in range(STAT_SLOTS):
        s = stats[i] if i < len(stats) else None
        cid = f"meet-stat-{i}"
        shown = ("meet-stat is-stale" if s.stale else "meet-stat") if s else "meet-stat is-empty"
        out.update({(cid, "className"): shown,
                    (f"{cid}-kicker", "children"): s.kicker if s else "",
                    (f"{cid}-label", "children"): s.label if s else "",
                    (f"{cid}-label", "title"): s.meaning if s else "",
                    (f"{cid}-value", "children"): s.value if s else "",
                    (f"{cid}-change", "children"): s.change if s else "",
                    (f"{cid}-change", "data-tone"): s.tone if s else "none"})
    return out


def alert_leaves(alerts: list, lang: str) -> Leaves:
    out: Leaves = {("meet-alerts-count", "children"): str(len(alerts))}
    shown = alerts[:ALERT_SLOTS]
    for i in range(ALERT_SLOTS):
        cid = f"meet-alert-{i}"
        if i < len(shown):
            sev = shown[i].severity if shown[i].severity in summary.SEVERITY_RANK else "info"
            out.update({(cid, "className"): f"alert-item meet-alert sev-{sev}",
                        (f"{cid}-sev", "children"): text(f"gov_sev_{sev}", lang),
                        (f"{cid}-msg", "children"): shown[i].message})
        else:
            first = i == 0  # "nothing here" says so, rather than an empty tile
            out.update({(cid, "className"): "alert-item meet-alert " + ("sev-ok" if first else "is-empty"),
                        (f"{cid}-sev", "children"): "",
                        (f"{cid}-msg", "children"): text("meet_no_alerts", lang) if first else ""})
    return out


def render(view: RoomView, data: summary.SummaryData | None, frame: Frame,
           sctx: StageContext) -> dict[str, Leaves]:
    """Every leaf of the stage for the room's view, grouped per tile (the figures on their own)."""
    lang, config = sctx.lang, sctx.config
    places = arrange(view.tiles, view.spotlight)
    groups: dict[str, Leaves] = {"meet-stage": {
        ("meet-stage", "data-kind"): view.kind or "none", ("meet-stage", "data-spotlight"): view.spotlight,
        ("meet-stage", "data-region"): view.region, ("meet-stage", "data-topic"): view.topic,
        ("meet-waiting", "className"): "meet-waiting" + (" is-off" if view.kind else "")}}
    stats, fresh = _stats(view, data, frame, sctx)
    groups["meet-tile-angka"] = _tile("angka", view, places, fresh, lang) | stat_leaves(stats)
    if view.kind == "app":
        province = ((data.regions.get(view.topic) or {}).get(PROVINCE_CODE) or {}) if data else {}
        map_fresh = summary.app_freshness(view.topic, summary.updated_at(province), frame.snapshot.health,
                                          config, frame.now, frame.snapshot.redis.ok and data is not None)
    else:
        map_fresh = _since(data.read_at if data else None, frame, READ_STALE_S)
    groups["meet-tile-peta"] = _tile("peta", view, places, map_fresh, lang)
    groups["meet-map#figure"] = {("meet-map", "figure"): stage_map(view, data, frame, sctx)}
    groups["meet-tile-tren"] = _tile("tren", view, places, map_fresh if view.kind == "app" else None, lang)
    if view.kind == "app":
        series = (data.trends.get(view.topic) or {}) if data and data.region == view.region else {}
        where = View(view.topic, view.region if view.region in KABKOTA else None, lang=lang)
        figure = trend_figure(SPECS[view.topic], where, series)
        groups["meet-trend#figure"] = {("meet-trend", "figure"): figure}
    alerts_fresh = _since(data.read_at if data else None, frame, READ_STALE_S)
    groups["meet-tile-peringatan"] = (_tile("peringatan", view, places, alerts_fresh, lang)
                                      | alert_leaves(_alerts_here(view, data), lang))
    # The camera's state is the live hub's last read.
    camera_fresh = _since(frame.snapshot.read_at, frame)
    groups["meet-tile-kamera"] = (_tile("kamera", view, places, camera_fresh, lang)
                                  | camera_leaves(view, frame, sctx))
    return groups


def camera_leaves(view: RoomView, frame: Frame, sctx: StageContext) -> Leaves:
    """The camera cell: which camera (an id, never an address), its state, badge, snapshot and age.
    The spotlit camera plays its main stream, a small one its substream."""
    lang = sctx.lang
    camera_id = view.camera if view.kind == CAMERA else ""
    cam = sctx.config.cameras.get(camera_id) if camera_id else None
    status = frame.snapshot.cameras.get(camera_id, CameraStatus()) if cam else CameraStatus()
    state, taken = camera_grid.shown_state(status), status.snapshot_at
    age = ""
    if cam and state != "live":
        age = (text("cam_picture_age", lang, age=formatting.age((frame.now - taken).total_seconds(), lang))
               if taken is not None else text("cam_no_picture", lang))
    return {("meet-camera", "data-camera"): camera_id,
            ("meet-camera", "data-state"): state,
            ("meet-camera", "data-variant"): "main" if view.spotlight == "kamera" else "sub",
            ("meet-camera", "data-shown"): "true" if cam else "false",
            ("meet-camera-badge", "children"): camera_grid.badge(state, lang) if cam else "",
            ("meet-camera-name", "children"): cam.name if cam else "",
            ("meet-camera-age", "children"): age,
            ("meet-camera-snapshot", "data-snapshot"): camera_grid.snapshot_address(camera_id, taken) if cam else ""}


# ---- the stage, built once ---------------------------------------------------------------------------


def _head(name: str, lang: str, *extra) -> html.Div:
    foot = html.Div([html.Span(className="fresh-dot"),
                     html.Span("", id=f"meet-tile-{name}-age", className="tile-age"),
                     html.Span(text("stale_mark", lang), className="stale-mark")], className="tile-foot")
    return html.Div([html.Span(text(f"meet_tile_{name}", lang), className="tile-label"), *extra, foot],
                    className="tile-head meet-tile-head")


def _stat_slot(i: int) -> html.Div:
    return html.Div([html.Div("", id=f"meet-stat-{i}-kicker", className="meet-stat-kicker"),
                     html.Div("", id=f"meet-stat-{i}-label", className="meet-stat-label has-definition",
                              tabIndex="0"),
                     html.Div("", id=f"meet-stat-{i}-value", className="meet-stat-value"),
                     html.Div("", id=f"meet-stat-{i}-change", className="meet-stat-change",
                              **{"data-tone": "none"})],
                    id=f"meet-stat-{i}", className="meet-stat is-empty")


def _alert_slot(i: int) -> html.Div:
    return html.Div([html.Span("", id=f"meet-alert-{i}-sev", className="alert-time"),
                     html.Span("", id=f"meet-alert-{i}-msg", className="alert-msg")],
                    id=f"meet-alert-{i}", className="alert-item meet-alert is-empty")


def _camera_cell() -> html.Div:
    """A cell as the camera grid draws one (assets/cctv/camera-grid.css); meeting-camera.js plays it."""
    caption = html.Div([html.Span("", id="meet-camera-name", className="cam-name"),
                        html.Span("", id="meet-camera-age", className="cam-age")], className="cam-caption")
    return html.Div([html.Img(id="meet-camera-snapshot", className="cam-snapshot", alt="", **{"data-snapshot": ""}),
                     html.Video(className="cam-video", muted=True, autoPlay=True, **{"data-player": "idle"}),
                     html.Div("", id="meet-camera-badge", className="cam-badge"), caption],
                    id="meet-camera", className="cam-cell meet-camera",
                    **{"data-camera": "", "data-state": "connecting", "data-variant": "sub",
                       "data-shown": "false"})


def layout(lang: str, geometry: Geometry) -> html.Div:
    """The stage with every tile any topic needs; the leaves say which show, where, and what."""
    plot = formatting.plot_config(lang, displayModeBar=False, responsive=True, scrollZoom=False)
    count = html.Span("0", id="meet-alerts-count", className="alerts-count")
    stats = html.Div([_stat_slot(i) for i in range(STAT_SLOTS)], className="meet-stats")
    alerts = html.Div([_alert_slot(i) for i in range(ALERT_SLOTS)], className="alerts-list meet-alerts")
    tiles = {
        "angka": [_head("angka", lang), stats],
        "peta": [_head("peta", lang), dcc.Graph(id="meet-map", responsive=True, config=plot,
                                                className=f"map-graph meet-map mode-{geometry.mode}")],
        "tren": [_head("tren", lang), dcc.Graph(id="meet-trend", className="meet-trend", responsive=True,
                                                config=plot)],
        "peringatan": [_head("peringatan", lang, count), alerts],
        "kamera": [_head("kamera", lang), _camera_cell()],
    }
    return html.Div(
        [html.Div(text("meet_waiting", lang), id="meet-waiting", className="meet-waiting")]
        + [html.Section(children, id=f"meet-tile-{name}", className="tile meet-tile is-off",
                        style={"display": "none"}, **{"data-tile": name, "data-stale": "false"})
           for name, children in tiles.items()],
        id="meet-stage", className="meet-stage",
        **{"data-kind": "none", "data-spotlight": "", "data-region": PROVINCE_CODE, "data-topic": ""},
    )
