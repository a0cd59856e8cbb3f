"""The playlist remote control at `/remote`: where each wall rotation stands, pause, next, jump.

One card per playlist in `layouts/` (dashboard/walls/playlist.py): the screen on the walls now
(`2/4 Harga Pangan`), the next one and the seconds until it, whether the rotation is paused and
who changed it last; buttons for previous, pause, resume, next, and one per screen to jump to it.
A button writes the playlist's state to Redis (`playlist_state`), which every dashboard process
polls four times a second, so every wall showing the playlist follows within about a second, and
so does every other open remote. Each press is written to the audit trail.

The page is built once per load; a 1 s tick and the buttons update leaf props only. Component
ids start with `remote-` (dashboard/auth/access.py: walls' rooms only).
"""

from __future__ import annotations

import logging
from typing import Any

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from core import audit
from core.clock import timestamp
from core.streams import from_iso, playlist_state, utc_now
from dashboard.auth.access import current_user
from dashboard.context import PageContext
from dashboard.text import formatting
from dashboard.text.i18n import language_from_query, text
from dashboard.walls.playlist import Playlist, apply, item_label, position
from dashboard.walls.playlist import State as PlaylistState

log = logging.getLogger("dashboard.remote")

PATH = "/remote"
PAGE_ID = "remote-page"
TICK_ID = "remote-tick"
UPDATED_ID = "remote-updated"
COMMANDS = ("previous", "pause", "resume", "next")
COMMAND_ICONS = {"previous": "◀◀", "pause": "❚❚", "resume": "▶", "next": "▶▶"}  # in every wall PC's fonts


def is_page(path: str) -> bool:
    return path == PATH or path.startswith(PATH + "/")


def _pid(kind: str, playlist: str, **more: Any) -> dict[str, Any]:
    return {"type": f"remote-{kind}", "playlist": playlist, **more}


def _playlists(pc: PageContext) -> list[Playlist]:
    if pc.layouts is None:
        return []
    return sorted(list(pc.layouts.playlists.values()), key=lambda p: p.name)


def _states(pc: PageContext, names: list[str]) -> dict[str, PlaylistState]:
    """Every playlist's state in one round trip; the default rotation while Redis is away."""
    if not names:
        return {}
    try:
        pipe = pc.redis.pipeline(transaction=False)
        for name in names:
            pipe.hgetall(playlist_state(name))
        return {name: PlaylistState.decode(fields) for name, fields in zip(names, pipe.execute())}
    except Exception as exc:  # noqa: BLE001 - a remote without Redis still shows the playlists
        log.debug("cannot read playlist states: %s", exc)  # the hub logs the outage once
        return {}


def status(playlist: Playlist, state: PlaylistState, now: float, pc: PageContext, lang: str) -> dict[str, Any]:
    """What a card shows for one playlist at Unix time `now`."""
    at = position(playlist, state, now)
    n = len(playlist.items)
    following = (at.index + 1) % n
    here = f"{at.index + 1}/{n} {item_label(playlist, at.index, pc.screens, lang)}"
    nxt = f"{following + 1}/{n} {item_label(playlist, following, pc.screens, lang)}"
    by = ""
    if state.by and state.at:
        try:
            by = text("remote_changed", lang, who=state.by,
                      when=formatting.wib_when(from_iso(state.at), utc_now(), lang))
        except ValueError:
            by = ""
    return {
        "state": text("remote_paused" if at.paused else "remote_running", lang),
        "state_class": "remote-state is-paused" if at.paused else "remote-state is-running",
        "now": text("remote_now", lang, item=here),
        "next": (text("remote_next_paused", lang, item=nxt) if at.paused
                 else text("remote_next_in", lang, item=nxt, seconds=max(0, round(at.remaining)))),
        "bar": {"width": f"{min(100.0, 100.0 * at.elapsed / at.seconds):.1f}%"},
        "by": by,
        "disabled": {"pause": at.paused, "resume": not at.paused, "previous": False, "next": False},
        "current": at.index,
        "paused": at.paused,
    }


def _card(playlist: Playlist, shown: dict[str, Any], pc: PageContext, lang: str) -> html.Section:
    name = playlist.name
    suffix = "?lang=en" if lang == "en" else ""
    jumps = [
        html.Button([html.Span(f"{i + 1}", className="remote-item-number"),
                     html.Span(item_label(playlist, i, pc.screens, lang), className="remote-item-label"),
                     html.Span(text("remote_seconds", lang, seconds=formatting.plain(item.seconds, lang)),
                               className="remote-item-seconds")],
                    id=_pid("jump", name, index=i), n_clicks=0,
                    className="remote-item is-current" if i == shown["current"] else "remote-item",
                    **{"data-index": str(i)})
        for i, item in enumerate(playlist.items)
    ]
    return html.Section(
        [
            html.Div([html.H2(playlist.title_in(lang), className="remote-name"),
                      html.Span(shown["state"], id=_pid("state", name), className=shown["state_class"]),
                      html.A(text("remote_open", lang), href=playlist.path + suffix, className="remote-open",
                             target="_blank")],
                     className="remote-card-head"),
            html.Div(shown["now"], id=_pid("now", name), className="remote-now"),
            html.Div(html.Div(id=_pid("bar", name), className="remote-bar-fill", style=shown["bar"]),
                     className="remote-bar"),
            html.Div(shown["next"], id=_pid("next", name), className="remote-next"),
            html.Div([html.Button([html.Span(COMMAND_ICONS[a], className="remote-icon"),
                                   html.Span(text(f"remote_{a}", lang))],
                                  id=_pid("cmd", name, action=a), n_clicks=0, disabled=shown["disabled"][a],
                                  className=f"remote-button remote-do-{a}")
                      for a in COMMANDS], className="remote-buttons"),
            html.Div(text("remote_jump", lang), className="remote-jump-title"),
            html.Div(jumps, className="remote-items"),
            html.Div(shown["by"], id=_pid("by", name), className="remote-by"),
        ],
        className="remote-card", **{"data-playlist": name},
    )


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    """The remote, built once, showing where every playlist stands now."""
    lang = language_from_query(search, pc.language)
    if pc.layouts is not None:
        pc.layouts.scan()  # a playlist saved a moment ago is already here
    playlists = _playlists(pc)
    states = _states(pc, [p.name for p in playlists])
    now = timestamp()
    cards = [_card(p, status(p, states.get(p.name, PlaylistState()), now, pc, lang), pc, lang) for p in playlists]
    page = html.Div(
        [
            html.Div(text("province", lang), className="wall-kicker"),
            html.H1(text("remote_title", lang), className="remote-heading"),
            html.P(text("remote_intro", lang) if playlists else text("remote_none", lang), className="remote-intro"),
            html.Div(cards, className="remote-cards"),
            html.Div("", id=UPDATED_ID, className="remote-updated"),
            dcc.Interval(id=TICK_ID, interval=1000),
        ],
        id=PAGE_ID, className="remote", lang=lang, **{"data-lang": lang},
    )
    return page, {"wall": None, "page": "remote", "lang": lang}


def _who() -> str:
    user = current_user()
    return user.name if user.signed_in else ""


def register(app, pc: PageContext) -> None:
    """The tick and the buttons: one callback that carries out a press and then shows every card."""

    @app.callback(
        Output(UPDATED_ID, "children"),
        Output(_pid("state", ALL), "children"),
        Output(_pid("state", ALL), "className"),
        Output(_pid("now", ALL), "children"),
        Output(_pid("next", ALL), "children"),
        Output(_pid("bar", ALL), "style"),
        Output(_pid("by", ALL), "children"),
        Output(_pid("cmd", ALL, action=ALL), "disabled"),
        Output(_pid("jump", ALL, index=ALL), "className"),
        Input(TICK_ID, "n_intervals"),
        Input(_pid("cmd", ALL, action=ALL), "n_clicks"),
        Input(_pid("jump", ALL, index=ALL), "n_clicks"),
        State(PAGE_ID, "data-lang"),
        prevent_initial_call=True,
    )
    def control(_tick, _commands, _jumps, lang):
        """A press (if this call is one) goes to Redis first; then every card is shown as it now stands."""
        lang = lang or pc.language
        pressed = ctx.triggered_id
        if isinstance(pressed, dict) and any(t.get("value") for t in ctx.triggered):
            _press(pc, pressed)
        playlists = {p.name: p for p in _playlists(pc)}
        names = [o["id"]["playlist"] for o in ctx.outputs_list[1]]
        states = _states(pc, [n for n in names if n in playlists])
        now = timestamp()
        shown = {n: status(playlists[n], states.get(n, PlaylistState()), now, pc, lang) for n in names
                 if n in playlists}

        def each(key, outputs, pick=None):
            out = []
            for o in outputs:
                card = shown.get(o["id"]["playlist"])
                out.append(no_update if card is None else (pick(card, o["id"]) if pick else card[key]))
            return out

        outs = ctx.outputs_list
        return (
            text("remote_updated", lang, when=formatting.wib_time(utc_now(), lang, seconds=True)),
            each("state", outs[1]),
            each("state_class", outs[2]),
            each("now", outs[3]),
            each("next", outs[4]),
            each("bar", outs[5]),
            each("by", outs[6]),
            each(None, outs[7], lambda card, cid: card["disabled"].get(cid["action"], False)),
            each(None, outs[8], lambda card, cid: "remote-item is-current" if cid["index"] == card["current"]
                 else "remote-item"),
        )


def _press(pc: PageContext, pressed: dict) -> None:
    """Carry out one button: the action on the playlist's state, and a line in the audit trail."""
    playlist = pc.layouts.playlists.get(pressed.get("playlist")) if pc.layouts is not None else None
    if playlist is None:
        return
    if pressed["type"] == "remote-jump":
        action, index = "jump", pressed.get("index")
        if not isinstance(index, int) or not 0 <= index < len(playlist.items):
            return  # a card built before the playlist shrank
    else:
        action, index = pressed.get("action"), None
    who = _who()
    apply(pc.redis, playlist, action, index, who)
    detail = action if index is None else f"{action} {index + 1}: {playlist.items[index].screen}"
    try:
        audit.record(pc.redis, who, "screen_control", target=f"playlist:{playlist.name}", detail=detail)
    except Exception as exc:  # noqa: BLE001 - the wall already follows; a lost audit line is logged
        log.warning("audit of %s on playlist %s failed: %s", action, playlist.name, exc)
