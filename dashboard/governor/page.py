"""The governor's screen (`/screen/governor`): how is the province today, in one look.

Seven tiles, one per application: its headline figure, the line under it, and its change against
yesterday and last week ("▲ 3,2 % dari kemarin"; "belum ada pembanding" without history). Beside
them the kab/kota map (coloured by active alerts, or by one application's measure) and what is red
and why: the active alerts in plain Bahasa Indonesia. A tap opens the drill-down: a tile its
application page, a kab/kota that page at `?wilayah=<code>`, an alert its region and unit.

Built once per load, filled with the current figures (dashboard/figures/province_summary.py); afterwards
the page's persistent WebSocket callback sends only the leaf props that changed (dashboard/live/hub.py
Pusher), with the server's clock every second on `#wall[data-tick]`, so the wall watchdog
(assets/wall/watchdog.js) brings a screen back after a lost connection. Every figure shows its
data age and turns stale (DATA LAMA) past its feeds' stale_after. Links are full page loads.
Component ids start with "gov-" (the header's `wall`, `outage-banner` and `live-indicator` are the
wall's, for the watchdog).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from dash import Input, Output, State, ctx, dcc, html, no_update

from core.clock import wib_today
from core.config import APPLICATIONS, Config
from core.regions import PROVINCE_CODE
from core.streams import utc_now
from dashboard.build import build_id
from dashboard.context import PageContext
from dashboard.figures import province_summary as summary
from dashboard.figures.specs import SPECS
from dashboard.figures.view import View
from dashboard.live import screen as shell
from dashboard.live.hub import Pusher
from dashboard.live.line import Line
from dashboard.live.shared_read import province_summary
from dashboard.live.signal import first_of
from dashboard.live.snapshot import Frame
from dashboard.maps.region_map import map_figure, map_paint
from dashboard.text import definitions, formatting
from dashboard.text.i18n import application_name, language_from_query, text
from dashboard.tiles import it_count
from dashboard.tiles import late_incidents as governor_late
from dashboard.tiles.base import Freshness, Leaves, WallContext, iso
from dashboard.tiles.map import Geometry, MapPaint

PATH = "/screen/governor"
PAGE = "governor"
ALERT_SLOTS = 7
MODES = ("status",) + APPLICATIONS  # what colours the map
MAP_GROUP = "gov-map#figure"
FIGURE_RATE = 1.0  # redrawing the map costs the screen ~80 ms: at most once a second (as walls do)
build = cache(build_id)  # this process's code: the watchdog reloads a screen loaded with another


# ---- the map: colours, labels and where a tap on each kab/kota leads -------------------------------


@dataclass(frozen=True)
class RegionMap:
    """The clickable kab/kota map (the application page's) with colours, labels and one link per kab/kota."""

    paint: MapPaint
    hrefs: tuple[str, ...]
    geometry: Geometry = field(compare=False, repr=False)

    @property
    def _pick(self) -> int:
        # map_figure's last trace takes the clicks: after the shapes (or seats) and the labels.
        return (len(self.geometry.regions) if self.geometry.mode == "polygons" else 1) + 1

    def figure(self) -> dict[str, Any]:
        fig = map_figure(self.geometry)
        painted = self.paint.figure()["data"]
        fig["data"][: len(painted)] = painted
        fig["data"][self._pick]["customdata"] = list(self.hrefs)
        return fig

    def as_patch(self, previous: RegionMap | None):
        patch = self.paint.as_patch(previous.paint if previous else None)
        if previous is None or previous.hrefs != self.hrefs:
            patch["data"][self._pick]["customdata"] = list(self.hrefs)
        return patch


def region_map(data: summary.SummaryData | None, geometry: Geometry, mode: str, lang: str) -> RegionMap:
    """The map in a mode: "status" (active alerts per kab/kota) or an application's map measure."""
    if data is None:
        data = summary.SummaryData(PROVINCE_CODE, {}, {}, (), utc_now())
    if mode in SPECS:
        regions = data.regions.get(mode) or {}
        measure = SPECS[mode].map_measure(regions.get(PROVINCE_CODE) or {})
        paint = map_paint(geometry, regions, measure, View(mode, lang=lang))
        hrefs = tuple(summary.app_href(mode, lang, r.code) for r in geometry.regions)
    else:
        paint = summary.status_paint(geometry, data, lang)
        hrefs = tuple(summary.app_href(summary.region_app(r.code, data), lang, r.code)
                      for r in geometry.regions)
    return RegionMap(paint, hrefs, geometry)


# ---- every leaf prop of the page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """What the page's leaves depend on besides the data."""

    config: Config
    geometry: Geometry
    lang: str = "id"
    kiosk: bool = False  # `?kiosk=1`: an unattended office screen (no cursor, no scrollbars: wall.css)


def _len_class(shown: str) -> str:
    n = len(shown)
    return "len-s" if n <= 7 else "len-m" if n <= 9 else "len-l" if n <= 11 else "len-xl"


def _age(fresh: Freshness, lang: str) -> str:
    return text("gov_updated", lang, age=formatting.age(fresh.age_s, lang)) if fresh.age_s is not None \
        else text("no_data", lang)


def app_leaves(app: str, data: summary.SummaryData | None, frame: Frame, screen: Screen) -> Leaves:
    """One application's tile: figure, comparisons, its alerts and how fresh it is."""
    lang, now = screen.lang, frame.now
    figure = summary.app_figure(data, app, wib_today(now)) if data else None
    fresh = summary.app_freshness(app, figure.updated if figure else None, frame.snapshot.health,
                                  screen.config, now, frame.snapshot.redis.ok and data is not None)
    alerts = summary.alerts_by_app(data.alerts).get(app, []) if data else []
    severity = summary.worst(alerts)
    value = figure.value_text(lang) if figure else formatting.DASH
    cid = f"gov-app-{app}"
    classes = ["tile", "gov-app", f"app-{app}"] + (["is-stale"] if fresh.stale else []) + (
        [f"has-{severity}"] if severity in ("critical", "warning") else [])
    out: Leaves = {
        (cid, "className"): " ".join(classes),
        (cid, "data-stale"): "true" if fresh.stale else "false",
        (cid, "data-updated"): iso(fresh.updated),
        (f"{cid}-label", "children"): figure.label(lang) if figure else text("no_data", lang),
        (f"{cid}-label", "title"): _definition(app, figure, lang),
        (f"{cid}-value", "children"): value,
        (f"{cid}-value", "className"): f"tile-value gov-value {_len_class(value)}",
        (f"{cid}-detail", "children"): figure.detail(lang) if figure else "",
        (f"{cid}-alerts", "children"): text("gov_alerts_count", lang, n=len(alerts)) if alerts else "",
        (f"{cid}-age", "children"): _age(fresh, lang),
    }
    for which, part in (("yesterday", "day"), ("last_week", "week")):
        out[(f"{cid}-{part}", "children")] = figure.change_text(which, lang) if figure else \
            text("gov_no_comparison", lang)
        out[(f"{cid}-{part}", "data-tone")] = figure.tone(which) if figure else "none"
    return out


def _definition(app: str, figure: summary.AppFigure | None, lang: str) -> str:
    """What the tile's figure means (dashboard/text/definitions.py): its label's hover and tap text."""
    definition = definitions.figure(app, figure.pick.series) if figure and figure.pick else None
    return definition(lang) if definition else ""


def map_leaves(data: summary.SummaryData | None, frame: Frame, screen: Screen,
               mode: str) -> tuple[Leaves, Leaves]:
    """(the map's figure, its frame: legend, mode buttons, age)."""
    lang = screen.lang
    if mode in SPECS:
        figures = (data.regions.get(mode) or {}) if data else {}
        province = figures.get(PROVINCE_CODE) or {}
        measure = SPECS[mode].map_measure(province)
        fresh = summary.app_freshness(mode, summary.updated_at(province), frame.snapshot.health,
                                      screen.config, frame.now, frame.snapshot.redis.ok and data is not None)
        legend = text("gov_legend_app", lang, label=f"{measure.name(lang)} — {application_name(mode, lang)}")
        scale = "worse-up" if measure.higher_is_worse else "better-up"
    else:
        read_at = data.read_at if data else None
        age = (frame.now - read_at).total_seconds() if read_at else None
        fresh = Freshness(read_at, read_at is None or not frame.snapshot.redis.ok or age > 60, age)
        legend, scale = text("gov_legend_status", lang), "worse-up"
    figure = {("gov-map", "figure"): region_map(data, screen.geometry, mode, lang)}
    around: Leaves = {
        ("gov-map-tile", "className"): "tile gov-map-tile" + (" is-stale" if fresh.stale else ""),
        ("gov-map-tile", "data-mode"): mode,
        ("gov-map-tile", "data-stale"): "true" if fresh.stale else "false",
        ("gov-map-legend", "children"): legend,
        ("gov-map-scale", "className"): f"legend-bar {scale}",
        ("gov-map-age", "children"): _age(fresh, lang),
    }
    for m in MODES:
        around[(f"gov-mode-{m}", "className")] = "gov-mode is-on" if m == mode else "gov-mode"
    return figure, around


def alert_leaves(data: summary.SummaryData | None, frame: Frame, screen: Screen) -> Leaves:
    """What is red and why: the most serious active alerts, each a link to where it is."""
    lang = screen.lang
    alerts = list(data.alerts) if data else []
    shown = alerts[:ALERT_SLOTS]
    serious = [a for a in alerts if a.severity in ("critical", "warning")]
    out: Leaves = {
        ("gov-alerts", "className"): "tile tile-alerts gov-alerts " + (
            "has-critical" if any(a.severity == "critical" for a in alerts) else "has-warning" if alerts
            else "all-clear"),
        ("gov-alerts", "data-count"): str(len(alerts)),
        ("gov-alerts-count", "children"): str(len(alerts)),
        ("gov-alerts-more", "children"): text("alerts_more", lang, n=len(alerts) - ALERT_SLOTS)
        if len(alerts) > ALERT_SLOTS else "",
        ("gov-attention", "children"): text("gov_attention", lang, n=len(serious)) if serious
        else text("gov_all_clear", lang),
        ("gov-attention", "className"): "gov-attention " + ("is-red" if serious else "is-clear"),
    }
    for i in range(ALERT_SLOTS):
        cid = f"gov-alert-{i}"
        if i < len(shown):
            a = shown[i]
            sev = a.severity if a.severity in summary.SEVERITY_RANK else "info"
            out.update({(cid, "className"): f"alert-item gov-alert sev-{sev}",
                        (cid, "href"): summary.alert_href(a, lang),
                        (f"{cid}-sev", "children"): text(f"gov_sev_{sev}", lang),
                        (f"{cid}-app", "children"): a.source.upper(),
                        (f"{cid}-app", "className"): f"app-badge gov-alert-app app-{a.source}",
                        (f"{cid}-app", "title"): application_name(a.source, lang),
                        (f"{cid}-msg", "children"): a.message})
        else:
            empty = i == 0
            out.update({(cid, "className"): "alert-item gov-alert " + ("sev-ok" if empty else "is-empty"),
                        (cid, "href"): None, (f"{cid}-sev", "children"): "", (f"{cid}-app", "children"): "",
                        (f"{cid}-app", "className"): "gov-alert-app", (f"{cid}-app", "title"): "",
                        (f"{cid}-msg", "children"): text("gov_alerts_none", lang) if empty else ""})
    return out


def render(data: summary.SummaryData | None, frame: Frame, screen: Screen, mode: str) -> dict[str, Leaves]:
    """Every leaf prop, grouped as the Pusher rate-limits them: the header, each tile, the map's figure."""
    lang, now = screen.lang, frame.now.replace(microsecond=0)
    head = shell.page_leaves(WallContext(screen.config, lang, screen.geometry), frame)
    head[(shell.WALL_ID, "data-build")] = build()
    head[("gov-clock", "children")] = formatting.wib_time(now, lang, seconds=True, suffix=False)
    head[("gov-date", "children")] = formatting.wib_date_long(now, lang)
    head.update(it_count.leaves(frame, lang))  # agencies' IT services down (dashboard/it/)
    head.update(governor_late.leaves(frame, lang, screen.config))  # incidents past a deadline, with owners
    groups: dict[str, Leaves] = {"": head}
    for app in APPLICATIONS:
        groups[f"gov-app-{app}"] = app_leaves(app, data, frame, screen)
    figure, around = map_leaves(data, frame, screen, mode)
    groups[MAP_GROUP] = figure
    groups["gov-map"] = around
    groups["gov-alerts"] = alert_leaves(data, frame, screen)
    return groups


# ---- the page ----------------------------------------------------------------------------------------


def _app_tile(app: str, lang: str) -> html.A:
    cid = f"gov-app-{app}"
    return html.A(
        [
            html.Div([html.Span(app.upper(), className="app-badge"),
                      html.Span(application_name(app, lang), className="app-name"),
                      html.Span("", id=f"{cid}-alerts", className="gov-app-alerts")], className="tile-head"),
            html.Div("", id=f"{cid}-label", className="tile-label has-definition", tabIndex="0"),
            html.Div("", id=f"{cid}-value", className="tile-value gov-value"),
            html.Div("", id=f"{cid}-detail", className="tile-sub gov-detail"),
            html.Div("", id=f"{cid}-day", className="gov-change", **{"data-tone": "none"}),
            html.Div("", id=f"{cid}-week", className="gov-change", **{"data-tone": "none"}),
            html.Div([html.Span(className="fresh-dot"), html.Span("", id=f"{cid}-age", className="tile-age"),
                      html.Span(text("stale_mark", lang), className="stale-mark")], className="tile-foot"),
        ],
        id=cid, href=summary.app_href(app, lang), className=f"tile gov-app app-{app}",
        **{"data-app": app, "data-stale": "true", "data-updated": ""},
    )


def _alert_slot(i: int) -> html.A:
    cid = f"gov-alert-{i}"
    return html.A([html.Span("", id=f"{cid}-sev", className="alert-time gov-alert-sev"),
                   html.Span("", id=f"{cid}-app", className="gov-alert-app"),
                   html.Span("", id=f"{cid}-msg", className="alert-msg")],
                  id=cid, className="alert-item gov-alert is-empty")


def _header(lang: str) -> html.Header:
    """Title, how many things need attention, the outage banner, the server's clock, LIVE."""
    time_line = html.Div([html.Span("", id="gov-clock", className="gov-clock"),
                          html.Span(text("clock_zone", lang), className="clock-zone")],
                         className="gov-clock-line")
    clock = html.Div([time_line, html.Div("", id="gov-date", className="gov-date")], className="gov-when")
    return html.Header(
        [
            html.Div([html.Div(text("province", lang), className="wall-kicker"),
                      html.H1(text("gov_title", lang), className="wall-title")], className="wall-heading"),
            html.Div("", id="gov-attention", className="gov-attention"),
            it_count.element(lang),
            governor_late.element(lang),
            html.Div([html.Span("!", className="outage-icon"), html.Span("", id=shell.BANNER_TEXT_ID)],
                     id=shell.BANNER_ID, className="outage-banner", role="alert", **{"data-outage": "false"}),
            clock,
            html.Div([html.Span(className="live-dot"), html.Span(text("live", lang), className="live-on"),
                      html.Span(text("lost", lang), className="live-off")],
                     id="live-indicator", className="live-indicator"),
        ],
        className="wall-header gov-header",
    )


def _map_tile(screen: Screen, mode: str) -> html.Section:
    """The kab/kota map with its mode buttons (alerts, or one application's measure) and legend."""
    lang = screen.lang
    def mode_button(m: str) -> html.Button:
        status = m == "status"
        return html.Button(text("gov_mode_status", lang) if status else m.upper(), id=f"gov-mode-{m}",
                           n_clicks=0, className="gov-mode",
                           title=text("gov_legend_status", lang) if status else application_name(m, lang))

    modes = [mode_button(m) for m in MODES]
    graph = dcc.Graph(id="gov-map", className=f"map-graph gov-map mode-{screen.geometry.mode}",
                      responsive=True,
                      config=formatting.plot_config(lang, displayModeBar=False, scrollZoom=False, responsive=True))
    foot = html.Div([html.Span("", id="gov-map-legend", className="gov-map-legend"),
                     html.Span(id="gov-map-scale", className="legend-bar worse-up"),
                     html.Span(className="fresh-dot"), html.Span("", id="gov-map-age", className="tile-age"),
                     html.Span(text("stale_mark", lang), className="stale-mark")],
                    className="map-legend gov-map-foot")
    head = html.Div([html.Span(text("gov_map_title", lang), className="tile-label"),
                     html.Div(modes, className="gov-modes")], className="tile-head gov-map-head")
    return html.Section([head, graph, foot], id="gov-map-tile", className="tile gov-map-tile",
                        **{"data-mode": mode, "data-stale": "false"})


def _alerts_tile(lang: str) -> html.Section:
    head = html.Div([html.Span(text("gov_alerts_title", lang), className="alerts-title"),
                     html.Span("0", id="gov-alerts-count", className="alerts-count"),
                     html.Span("", id="gov-alerts-more", className="alerts-more")], className="alerts-head")
    body = html.Div([head, html.Div([_alert_slot(i) for i in range(ALERT_SLOTS)], className="alerts-list")],
                    className="alerts-body")
    return html.Section(body, id="gov-alerts", className="tile tile-alerts gov-alerts", **{"data-count": "0"})


def layout(screen: Screen, data: summary.SummaryData | None, frame: Frame, mode: str = "status") -> html.Div:
    """The whole screen, built once, already showing `data`."""
    lang = screen.lang
    tiles = html.Section([_app_tile(app, lang) for app in APPLICATIONS], className="gov-apps", id="gov-apps")
    root = html.Div(
        [dcc.Store(id="gov-map-mode", data=mode), dcc.Store(id="gov-nav"), _header(lang),
         html.Main([tiles, _map_tile(screen, mode), _alerts_tile(lang)], className="gov-grid")],
        id=shell.WALL_ID, className="wall gov-screen" + (" is-kiosk" if screen.kiosk else ""), lang=lang,
        **{"data-page": PAGE, "data-lang": lang, "data-tick": "", "data-build": build()},
    )
    shell.fill(root, render(data, frame, screen, mode))
    return root


async def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    """The screen, filled with the figures as they are now (one Redis round trip)."""
    lang = language_from_query(search, pc.language)
    await pc.hub.start(wait_first_read=1.0)
    # None while Redis is away: the screen opens empty (and says so); its push fills it later.
    data = await province_summary(pc.reads, pc.redis, PROVINCE_CODE).get()
    frame = Frame(pc.hub.snapshot, utc_now())
    screen = Screen(pc.config, pc.geometry, lang, shell.kiosk_from_query(search))
    meta = {"wall": None, "page": PAGE, "lang": lang, "kiosk": screen.kiosk, "mode": "status"}
    return layout(screen, data, frame), meta


def register(app, pc: PageContext) -> None:
    """The map mode buttons and the map's tap; the live push keeps an open screen current (`push`)."""
    @app.callback(Output("gov-map-mode", "data"), *[Input(f"gov-mode-{m}", "n_clicks") for m in MODES],
                  State("wall-meta", "data"), prevent_initial_call=True)
    def choose_mode(*args):
        """A mode button colours the map by alerts or by one application: the page's push redraws it."""
        meta = args[-1] or {}
        trigger = ctx.triggered_id or ""
        mode = trigger[len("gov-mode-"):] if trigger.startswith("gov-mode-") else ""
        if mode not in MODES:
            return no_update
        pc.open_pages.ask(meta.get("id"), mode=mode)
        return mode

    # A tap on a kab/kota: its link is in the click layer's customdata (the push keeps it current).
    app.clientside_callback(
        """function (click) {
            const p = click && click.points && click.points[0];
            if (p && typeof p.customdata === "string" && p.customdata.startsWith("/app/")) {
                window.location.assign(p.customdata);
            }
            return window.dash_clientside.no_update;
        }""",
        Output("gov-nav", "data"), Input("gov-map", "clickData"), prevent_initial_call=True)


async def push(line: Line, pc: PageContext) -> None:
    """Keep one open screen current: new figures as they come, the clock and ages every second, the
    map in the mode its buttons asked for; only changed leaves are sent."""
    meta = line.meta
    screen = Screen(pc.config, pc.geometry, meta.get("lang") or pc.language, bool(meta.get("kiosk")))
    hub = pc.hub
    await hub.start()
    rate = pc.config.dashboard.push_rate
    pusher = Pusher(rate, {MAP_GROUP: min(rate, FIGURE_RATE)})
    read = province_summary(pc.reads, pc.redis, PROVINCE_CODE)
    shown: tuple | None = None
    while not line.closed():
        asked, version = line.changed.version, read.version()
        mode = line.asked.get("mode") or meta.get("mode") or "status"
        data = await read.get()
        now = utc_now()
        snap = hub.snapshot
        key = (mode, data.read_at if data else None, int(now.timestamp()), snap.version)
        if key != shown:
            shown = key
            pusher.push(render(data, Frame(snap, now), screen, mode), time.monotonic(), line.send)
        wait = 1.0 - now.timestamp() % 1.0 + 0.002  # the clock: just after the next whole second
        await first_of([hub.wait_change(snap.version, wait), line.changed.wait(asked, wait), read.wait(version, wait)],
                       wait + 0.05)
