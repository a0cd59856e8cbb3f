"""The meeting room: one topic in front of everyone, moved through by the presenter.

- `/screen/meeting/presenter` (with `?ruang=<room>`, default "utama"): the presenter's controls
  beside a preview of the stage: a topic (an application, a kab/kota or province overview, a
  camera), a region, a spotlit tile, and the prepared views of `layouts/meeting/*.yaml`
  (dashboard/meeting/plan.py) stepped through with Berikutnya/Sebelumnya, the arrow keys or a
  presentation clicker (PageDown/PageUp).
- `/screen/meeting` (same `?ruang=`): the room's screen, e.g. the projector. It follows the
  presenter: the room's view is a Redis hash with a version (dashboard/meeting/state.py). A change
  is audited in the same transaction; the live hub reads the audit stream and moves the room's
  channel, and each open screen's push redraws the stage at once, across dashboard processes too.

A presenter's click only writes the room's hash; the presenter's own page redraws from Redis like
every other screen, so all of them always agree. The stage (dashboard/meeting/stage.py) is built
once and changed by leaf props. Component ids start with "meet-" (the header's `wall`,
`outage-banner` and `live-indicator` are the wall's, for the wall watchdog).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import parse_qs, urlencode

from dash import Input, Output, State, ctx, html, no_update

from core.cameras import visible_cameras
from core.config import APPLICATIONS, Config, ConfigError
from core.redis import REDIS_ERRORS
from core.regions import KABKOTA, PROVINCE_CODE
from core.streams import utc_now
from dashboard.auth.access import current_user
from dashboard.build import build_id
from dashboard.context import PageContext
from dashboard.live import screen as shell
from dashboard.live.channels import control_channel
from dashboard.live.hub import Pusher
from dashboard.live.line import Line
from dashboard.live.shared_read import province_summary
from dashboard.live.signal import first_of
from dashboard.live.snapshot import Frame
from dashboard.meeting import stage as stage
from dashboard.meeting.plan import Plan, load_plans
from dashboard.meeting.state import (
    CAMERA,
    OVERVIEW,
    TILES,
    RoomView,
    change,
    read_view,
    room_name,
    tiles_of,
)
from dashboard.text import formatting
from dashboard.text.i18n import application_name, language_from_query, text
from dashboard.tiles.base import Leaves, WallContext
from dashboard.tiles.map import Geometry

log = logging.getLogger("dashboard.meeting")

PATH = "/screen/meeting"
PRESENTER = PATH + "/presenter"
PAGE = "meeting"
STEP_SLOTS = 12  # the longest prepared-view list the presenter's panel lists (more still step by next/prev)
PLAN_SLOTS = 6  # buttons for the prepared-view lists (files read again on every use: edits need no restart)
PLANS_EVERY_S = 5.0  # how often an open page reads the prepared views again (an edited file shows)
build = cache(build_id)  # this process's code: the watchdog reloads a screen loaded with another


@dataclass(frozen=True)
class Room:
    """Which room a page shows, in which language, and whether it presents."""

    name: str
    lang: str
    presenter: bool
    kiosk: bool = False  # `?kiosk=1`: the room's projector PC (no cursor, no scrollbars: wall.css)

    def href(self, presenter: bool) -> str:
        query = {k: v for k, v in (("ruang", self.name if self.name != "utama" else None),
                                   ("lang", "en" if self.lang == "en" else None)) if v}
        return (PRESENTER if presenter else PATH) + ("?" + urlencode(query) if query else "")


def parse_room(pathname: str, search: str, default_lang: str) -> Room:
    q = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items() if v}
    return Room(room_name(q.get("ruang")), language_from_query(search, default_lang),
                (pathname or "").rstrip("/") == PRESENTER, shell.kiosk_from_query(search))


# ---- the presenter's controls ------------------------------------------------------------------------


def control_ids(config: Config) -> list[str]:
    """Every button of the presenter's panel, in one list (the one callback that writes the room)."""
    return ([f"meet-topic-{a}" for a in APPLICATIONS] + [f"meet-topic-{OVERVIEW}"]
            + [f"meet-topic-cam-{c}" for c in config.cameras]
            + [f"meet-region-{c}" for c in (PROVINCE_CODE, *KABKOTA)]
            + ["meet-spot-none"] + [f"meet-spot-{t}" for t in TILES]
            + [f"meet-plan-{i}" for i in range(PLAN_SLOTS)] + [f"meet-step-{i}" for i in range(STEP_SLOTS)]
            + ["meet-prev", "meet-next"])


def _button(cid: str, label: str, title: str | None = None, kind: str = "meet-button") -> html.Button:
    return html.Button(label, id=cid, n_clicks=0, className=kind, title=title or label)


def watchable(config: Config) -> set[str]:
    """The cameras the signed-in presenter may show (camera_groups roles in config.yaml). Every camera
    keeps its button, since the one callback's inputs are fixed: the others are switched off."""
    return set(visible_cameras(config.cameras, config.camera_groups, current_user().role))


def _on(on: bool, kind: str = "meet-button") -> str:
    return f"{kind} is-on" if on else kind


def controls(room: Room, config: Config) -> html.Aside:
    lang = room.lang

    def group(title: str, buttons: list, *extra) -> html.Section:
        return html.Section([html.H2(title, className="meet-controls-title"),
                             html.Div(buttons, className="meet-buttons"), *extra], className="meet-group")

    lists = [_button(f"meet-plan-{i}", "", kind="meet-button is-empty") for i in range(PLAN_SLOTS)]
    lists.append(html.Span(text("meet_plan_none", lang), id="meet-plan-none", className="meet-muted"))
    steps = html.Ol([html.Li(_button(f"meet-step-{i}", "", kind="meet-step is-empty"))
                     for i in range(STEP_SLOTS)], className="meet-steps")
    navs = html.Div([_button("meet-prev", text("meet_prev", lang), kind="meet-button meet-nav"),
                     html.Span("", id="meet-plan-pos", className="meet-plan-pos"),
                     _button("meet-next", text("meet_next", lang), kind="meet-button meet-nav")],
                    className="meet-navs")
    plan_group = group(text("meet_plan", lang), lists, steps, navs, html.Div(text("meet_keys", lang),
                                                                              className="meet-muted"))
    topics = [_button(f"meet-topic-{a}", a.upper(), application_name(a, lang)) for a in APPLICATIONS]
    topics.append(_button(f"meet-topic-{OVERVIEW}", text("meet_overview", lang)))
    cameras = [_button(f"meet-topic-cam-{cid}", cam.name) for cid, cam in config.cameras.items()]
    regions = [_button(f"meet-region-{PROVINCE_CODE}", text("province", lang))] + [
        _button(f"meet-region-{code}", k.short, k.name) for code, k in KABKOTA.items()]
    spots = [_button("meet-spot-none", text("meet_spotlight_none", lang))] + [
        _button(f"meet-spot-{t}", text(f"meet_tile_{t}", lang)) for t in TILES]
    return html.Aside(
        [plan_group,
         group(text("meet_topic", lang), topics),
         group(text("meet_region", lang), regions),
         *([group(text("meet_camera", lang), cameras)] if cameras else []),
         group(text("meet_spotlight", lang), spots),
         html.Div("", id="meet-saved", className="meet-muted meet-saved", role="status"),
         html.A(text("meet_open_screen", lang), href=room.href(False), target="_blank",
                className="meet-open")],
        id="meet-controls", className="meet-controls",
    )


def control_leaves(view: RoomView, config: Config, plans: dict[str, Plan], lang: str) -> Leaves:
    """Which buttons are on, the prepared view's steps and where the presenter is in them."""
    out: Leaves = {}
    for a in (*APPLICATIONS, OVERVIEW):
        out[(f"meet-topic-{a}", "className")] = _on(view.topic == a)
    allowed_cameras = watchable(config)
    for cid in config.cameras:
        on = _on(view.topic == CAMERA and view.camera == cid)
        out[(f"meet-topic-cam-{cid}", "className")] = on + ("" if cid in allowed_cameras else " is-off")
        out[(f"meet-topic-cam-{cid}", "disabled")] = cid not in allowed_cameras
    for code in (PROVINCE_CODE, *KABKOTA):
        out[(f"meet-region-{code}", "className")] = _on(view.region == code)
    allowed = tiles_of(view.topic)
    out[("meet-spot-none", "className")] = _on(not view.spotlight)
    for t in TILES:
        out[(f"meet-spot-{t}", "className")] = _on(view.spotlight == t) + ("" if t in allowed else " is-off")
        out[(f"meet-spot-{t}", "disabled")] = t not in allowed
    names = sorted(plans)[:PLAN_SLOTS]
    for i in range(PLAN_SLOTS):
        name = names[i] if i < len(names) else ""
        out[(f"meet-plan-{i}", "children")] = plans[name].title_in(lang) if name else ""
        out[(f"meet-plan-{i}", "data-plan")] = name
        out[(f"meet-plan-{i}", "className")] = _on(view.plan == name) if name else "meet-button is-empty"
    out[("meet-plan-none", "className")] = "meet-muted" + (" is-empty" if plans else "")
    plan = plans.get(view.plan)
    steps = plan.steps if plan else ()
    for i in range(STEP_SLOTS):
        out[(f"meet-step-{i}", "children")] = f"{i + 1}. {steps[i].title_in(lang)}" if i < len(steps) else ""
        out[(f"meet-step-{i}", "className")] = _on(i == view.step, "meet-step") if i < len(steps) \
            else "meet-step is-empty"
    where = text("meet_step", lang, n=view.step + 1, total=len(steps))
    out[("meet-plan-pos", "children")] = where if plan and view.step >= 0 else ""
    out[("meet-prev", "disabled")] = not plan or view.step <= 0
    out[("meet-next", "disabled")] = not plan or view.step >= len(steps) - 1
    return out


def wanted_change(trigger: str, view: RoomView, config: Config, plans: dict[str, Plan]) -> dict | None:
    """What a presenter's button asks of the room (fields for meeting_state.change), or None."""
    if trigger.startswith("meet-topic-cam-"):
        camera = trigger[len("meet-topic-cam-"):]
        if camera not in watchable(config):
            return None  # not the presenter's to show
        return {"topic": CAMERA, "camera": camera}
    if trigger.startswith("meet-topic-"):
        return {"topic": trigger[len("meet-topic-"):], "camera": ""}
    if trigger.startswith("meet-region-"):
        topic = OVERVIEW if view.topic == CAMERA else view.topic  # a camera has its own place
        return {"region": trigger[len("meet-region-"):], "topic": topic, "camera": ""}
    if trigger == "meet-spot-none":
        return {"spotlight": ""}
    if trigger.startswith("meet-spot-"):
        tile = trigger[len("meet-spot-"):]
        return {"spotlight": "" if view.spotlight == tile else tile}  # a second tap lets it go
    plan = plans.get(view.plan)
    if trigger.startswith("meet-plan-"):
        names = sorted(plans)
        slot = int(trigger[len("meet-plan-"):])
        name = names[slot] if slot < min(len(names), PLAN_SLOTS) else ""
        return {"plan": name, "step": 0, **plans[name].steps[0].view_fields()} if name else None
    if not plan:
        return None
    if trigger.startswith("meet-step-"):
        step = int(trigger[len("meet-step-"):])
    elif trigger == "meet-next":
        step = view.step + 1
    elif trigger == "meet-prev":
        step = view.step - 1
    else:
        return None
    if not 0 <= step < len(plan.steps):
        return None
    return {"step": step, **plan.steps[step].view_fields()}


# ---- the page ----------------------------------------------------------------------------------------


def header_leaves(view: RoomView, room: Room, plans: dict[str, Plan], config: Config, geometry: Geometry,
                  frame: Frame) -> Leaves:
    lang, now = room.lang, frame.now.replace(microsecond=0)
    out = shell.page_leaves(WallContext(config, lang, geometry), frame)
    plan = plans.get(view.plan)
    step = plan.steps[view.step] if plan and 0 <= view.step < len(plan.steps) else None
    step_label = ""
    if step:
        where = text("meet_step", lang, n=view.step + 1, total=len(plan.steps))
        step_label = f"{where} · {step.title_in(lang)}"
    out.update({
        (shell.WALL_ID, "data-version"): str(view.version),
        (shell.WALL_ID, "data-build"): build(),
        ("meet-topic-title", "children"): stage.topic_title(view, config, lang),
        ("meet-step-label", "children"): step_label,
        ("meet-clock", "children"): formatting.wib_time(now, lang, seconds=True, suffix=False),
        ("meet-date", "children"): formatting.wib_date_long(now, lang),
    })
    return out


def render(view: RoomView, data, frame: Frame, room: Room, pc: PageContext, plans: dict[str, Plan]) -> dict:
    """Every leaf prop of a meeting page: header, stage, and (for the presenter) the controls."""
    groups = {"": header_leaves(view, room, plans, pc.config, pc.geometry, frame)}
    groups.update(stage.render(view, data, frame, stage.StageContext(pc.config, pc.geometry, room.lang)))
    if room.presenter:
        groups["meet-controls"] = control_leaves(view, pc.config, plans, room.lang)
    return groups


def _header(kicker: str, lang: str) -> html.Header:
    """The topic, the prepared view's step, the outage banner, the server's clock, LIVE."""
    time_line = html.Div([html.Span("", id="meet-clock", className="meet-clock"),
                          html.Span(text("clock_zone", lang), className="clock-zone")],
                         className="meet-clock-line")
    return html.Header(
        [
            html.Div([html.Div(kicker, className="wall-kicker"),
                      html.H1("", id="meet-topic-title", className="wall-title")], className="wall-heading"),
            html.Div("", id="meet-step-label", className="meet-step-label"),
            html.Div([html.Span("!", className="outage-icon"), html.Span("", id=shell.BANNER_TEXT_ID)],
                     id=shell.BANNER_ID, className="outage-banner", role="alert", **{"data-outage": "false"}),
            html.Div([time_line, html.Div("", id="meet-date", className="meet-date")], className="meet-when"),
            html.Div([html.Span(className="live-dot"), html.Span(text("live", lang), className="live-on"),
                      html.Span(text("lost", lang), className="live-off")],
                     id="live-indicator", className="live-indicator"),
        ],
        className="wall-header meet-header",
    )


def layout(room: Room, view: RoomView, data, frame: Frame, pc: PageContext,
           plans: dict[str, Plan]) -> html.Div:
    """A meeting page, built once, already showing the room's view."""
    lang = room.lang
    kicker = f"{text('meet_title', lang)} · {text('meet_room', lang, room=room.name)}"
    body = [stage.layout(lang, pc.geometry)]
    if room.presenter:
        kicker += f" · {text('meet_presenter', lang)}"
        body.insert(0, controls(room, pc.config))
    role = (" is-presenter" if room.presenter else "") + (" is-kiosk" if room.kiosk else "")
    root = html.Div(
        [_header(kicker, lang), html.Main(body, className="meet-body")],
        id=shell.WALL_ID, className="wall meet-screen" + role, lang=lang,
        **{"data-page": PAGE, "data-lang": lang, "data-tick": "", "data-room": room.name, "data-version": "",
           "data-role": "presenter" if room.presenter else "follower", "data-build": build()},
    )
    shell.fill(root, render(view, data, frame, room, pc, plans))
    return root


async def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    """The presenter's page or a room screen, already showing the room's current view."""
    room = parse_room(pathname, search, pc.language)
    plans = await asyncio.to_thread(_plans, pc)
    await pc.hub.start(wait_first_read=1.0)
    try:
        view = await asyncio.to_thread(read_view, pc.redis, room.name)
    except REDIS_ERRORS:
        view = RoomView()
    data = await province_summary(pc.reads, pc.redis, view.region).get()
    page = layout(room, view, data, Frame(pc.hub.snapshot, utc_now()), pc, plans)
    meta = {"wall": None, "page": PAGE, "lang": room.lang, "room": room.name, "presenter": room.presenter}
    return page, meta


def _plans(pc: PageContext) -> dict[str, Plan]:
    """The prepared views as the files say now. A broken file stops `run.py check` and every start; one
    broken while running is logged (once per mistake) and the room carries on without prepared views."""
    try:
        return load_plans(pc.config)
    except (ConfigError, OSError) as exc:  # a bad plan must not take the meeting room down
        _log_once(str(exc))
        return {}


@lru_cache(maxsize=64)
def _log_once(message: str) -> None:
    log.error("prepared views: %s", message)


def register(app, pc: PageContext) -> None:
    """The presenter's one writing callback; every meeting page follows the room by its push."""
    ids = control_ids(pc.config)

    @app.callback(Output("meet-saved", "children"), *[Input(cid, "n_clicks") for cid in ids],
                  State("url", "pathname"), State("url", "search"), prevent_initial_call=True)
    def present(*args):
        """A presenter's button: change the room's view in Redis (every screen of the room follows)."""
        clicks, (pathname, search) = args[:-2], args[-2:]
        trigger = ctx.triggered_id
        if not isinstance(trigger, str) or not any(clicks):
            return no_update
        room = parse_room(pathname, search, pc.language)
        current = read_view(pc.redis, room.name)
        wanted = wanted_change(trigger, current, pc.config, _plans(pc))
        if wanted is None:
            return no_update
        new = change(pc.redis, room.name, pc.config, current_user().name, **wanted)
        return text("meet_saved", room.lang) if new.version != current.version else no_update


async def push(line: Line, pc: PageContext) -> None:
    """Keep one meeting page on the room's view: redrawn when the room's controls moved it (the hub's
    channel of the room) or its figures changed, the clock every second; only changed leaves are sent.
    The prepared views are read again with each change and every PLANS_EVERY_S (edits need no restart)."""
    meta = line.meta
    room = Room(room_name(meta.get("room")), meta.get("lang") or pc.language, bool(meta.get("presenter")))
    hub = pc.hub
    await hub.start()
    pusher = Pusher(pc.config.dashboard.push_rate)
    moved = hub.channel(control_channel(f"meeting:{room.name}"))
    view, seen, shown = RoomView(), None, None
    plans = await asyncio.to_thread(_plans, pc)
    plans_at = time.monotonic()
    while not line.closed():
        version = moved.version
        if version != seen or time.monotonic() - plans_at > PLANS_EVERY_S:
            try:
                view = await asyncio.to_thread(read_view, pc.redis, room.name)
                seen = version
            except REDIS_ERRORS:
                pass  # keep showing the last view; the header says Redis is away
            plans, plans_at = await asyncio.to_thread(_plans, pc), time.monotonic()
        read = province_summary(pc.reads, pc.redis, view.region)
        figures = read.version()
        data = await read.get()
        now = utc_now()
        snap = hub.snapshot
        key = (view.version, data.read_at if data else None, id(plans), int(now.timestamp()), snap.version)
        if key != shown:
            shown = key
            pusher.push(render(view, data, Frame(snap, now), room, pc, plans), time.monotonic(), line.send)
        wait = 1.0 - now.timestamp() % 1.0 + 0.002  # the clock: just after the next whole second
        await first_of([hub.wait_change(snap.version, wait), moved.wait(version, wait), read.wait(figures, wait)],
                       wait + 0.05)
