"""Fuzzing the callbacks: real requests of every page, recorded as Dash's renderer sends them, then
changed as an attacker would (ids, properties, values, extra and missing items, pattern-matching
ids, another callback's key) and sent as every role over HTTP and the WebSocket. Nothing outside a
role's rights may come back: no callback the role's rule leaves out is answered, and no answer
carries the marked data of an application the role may not read, nor a camera's internal address.
The first case is the finding: the e-Disikap operator's drill request with its first input renamed
from `pathname` to `hash` and pointed at e-Pormas.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from core.config import APPLICATIONS
from dashboard.auth.access import may_open
from tests.support.access import callback_payload, post_callback, ws_callbacks
from tests.support.security import DRILL, ROLES, forbidden_markers, role_user, seed_markers

PAGES = ("/", "/publik", "/app/e-pormas", "/app/e-disikap", "/analyst", "/operator", "/remote", "/screen/governor",
         "/screen/meeting", "/wall/command-center", "/wall/playlist-command-center")
# Clicks that send requests a page load does not: the exports, a drill-down.
CLICKS = {"/app/e-disikap": ("#app-xlsx", "#app-csv"), "/analyst": ("#ana-csv",)}
PATHS = tuple(f"/app/{a}" for a in APPLICATIONS) + ("/wall/command-center", "/admin/audit", "/analyst", "/operator")
# What a changed value or renamed property points at: another agency's page, a wall, the admin's.
PROBES = ("/app/e-pormas", "/app/e-disikap", "/app/e-yankes", "/wall/command-center", "/admin/audit", "/analyst",
          "/operator")
PROPERTIES = ("hash", "pathname", "search", "href", "value", "data", "children")
OTHER_IDS: tuple[Any, ...] = ("url", "app-loc", "pub-loc", "ana-loc", {"type": "op-upload", "feed": "lapor_banten"},
                              {"type": "op-upload", "feed": "panel_harga"}, {"type": "op-ack", "alert": "x"})
APP = ("..app-page.", "app-download.", "app-loc.")  # the application page's callbacks
# Never in any answer to anyone: a camera's internal address or its password.
NEVER = ("rtsp://", "demo-kamera")


def record(served, browser) -> list[dict]:
    """The callback requests that every page sends when an admin opens it (and clicks its exports);
    none of them may be refused (the rules know the renderer's own requests)."""
    app, base = served
    auth = app.server.state.cc_auth
    seen: list[dict] = []
    original = auth.callback_refusal

    def recording(user, payload):
        reason = original(user, payload)
        if isinstance(payload, dict):
            seen.append(copy.deepcopy(payload))
            assert reason is None, f"the renderer's own request was refused: {reason}"
        return reason

    auth.callback_refusal = recording
    try:
        page = browser.new_page()
        for path in PAGES:
            page.goto(base + path + "?lang=en")
            page.wait_for_selector("#screen > *", state="attached", timeout=20_000)
            time.sleep(1.5)  # the page's own callbacks after the router's
            for selector in CLICKS.get(path, ()):
                page.click(selector)
                time.sleep(0.5)
        page.close()
    finally:
        auth.callback_refusal = original
    unique: dict[str, dict] = {}
    for payload in seen:
        shape = json.dumps([payload.get("output"), [[i.get("id"), i.get("property")] if isinstance(i, dict) else len(i)
                                                    for i in payload.get("inputs", []) + payload.get("state", [])]])
        unique.setdefault(shape, payload)
    return list(unique.values())


def _items(payload: dict) -> list[tuple[str, int]]:
    """The positions to change: all of a short request; the first and last two of each part of a
    long one (the meeting room's 47 buttons are one kind of item)."""
    out = []
    for part in ("inputs", "state"):
        n = len(payload.get(part, []))
        out += [(part, i) for i in sorted(set(range(min(n, 2))) | set(range(max(0, n - 2), n)))]
    return out


def mutations(payload: dict, keys: list[str]) -> Iterator[tuple[str, dict]]:
    """(what was changed, the changed request) for one recorded request."""
    yield "as recorded", payload
    for part, at in _items(payload):
        item = payload[part][at]
        if not isinstance(item, dict):
            continue
        for prop in PROPERTIES:
            if prop != item.get("property"):
                for path in PROBES[:3] if prop in ("hash", "pathname", "href") else (None,):
                    changed = copy.deepcopy(payload)
                    changed[part][at]["property"] = prop
                    if path is not None:
                        changed[part][at]["value"] = path
                    yield f"{part}[{at}] property {prop} {path or ''}", changed
        for value in PROBES + (DRILL, "?wilayah=36", None, 1, {"wall": "command-center"}, ["/app/e-pormas"]):
            changed = copy.deepcopy(payload)
            changed[part][at]["value"] = value
            yield f"{part}[{at}] value {value}", changed
        for other in OTHER_IDS:
            changed = copy.deepcopy(payload)
            changed[part][at]["id"] = other
            yield f"{part}[{at}] id {other}", changed
    for part in ("inputs", "state"):
        items = payload.get(part) or []
        extra = {"id": "app-loc", "property": "pathname", "value": "/app/e-pormas"}
        yield f"{part} + extra", {**copy.deepcopy(payload), part: items + [extra]}
        yield f"{part} + extra first", {**copy.deepcopy(payload), part: [extra] + items}
        if items:
            yield f"{part} - last", {**copy.deepcopy(payload), part: items[:-1]}
            yield f"{part} reversed", {**copy.deepcopy(payload), part: list(reversed(items))}
            pathed = copy.deepcopy(payload)
            pathed[part] = [[dict(i, value="/app/e-pormas") for i in items if isinstance(i, dict)]]
            yield f"{part} as a pattern list", pathed
    yield "changed a state", {**copy.deepcopy(payload), "changedPropIds": ["app-loc.pathname"]}
    yield "no outputs", {k: v for k, v in copy.deepcopy(payload).items() if k != "outputs"}
    others = [k for k in keys if k != payload.get("output")]
    for key in others[len(str(payload.get("output"))) % 3::3]:  # a third of the other callbacks, per request
        yield f"output {key[:40]}", {**copy.deepcopy(payload), "output": key}


def _refused_http(status: int, role: str) -> bool:
    return status == (401 if role == "public" else 403)


def _callback_allowed(app, role: str, payload: dict) -> bool:
    rule = app.server.state.cc_auth.callback_rules.rule(payload.get("output"))
    return rule is not None and role_user(role).role in rule.roles


def _leaks(role: str, text: str) -> list[str]:
    return sorted(m for m in forbidden_markers(role) | set(NEVER) if m in text)


def test_fuzzed_callback_requests_answer_nothing_outside_each_roles_rights(served, sessions, browser, r):
    app, base = served
    seed_markers(r)
    recorded = record(served, browser)
    names = {p.get("output") for p in recorded}
    assert any(str(n).startswith("..app-page.") for n in names), "the application page's drill was recorded"
    assert "app-download.data" in names, "the Excel export was recorded"
    assert len(recorded) >= 8, f"only {len(recorded)} requests recorded"
    # A page's persistent push (no inputs) waits for the page to answer it: tried by the access table.
    recorded = [p for p in recorded if p.get("inputs")]
    # Callbacks no page load sends (uploads, acknowledgements), as the renderer would shape them.
    recorded += [callback_payload(k, spec) for k, spec in app.callback_map.items()
                 if k not in names and not spec.get("no_output")]
    keys = sorted(k for k, spec in app.callback_map.items() if not spec.get("no_output"))
    cases = [(label, payload) for base_payload in recorded for label, payload in mutations(base_payload, keys)]
    wrong: list[str] = []
    # The finding itself, first, over HTTP.
    drill = next(p for p in recorded if str(p.get("output")).startswith("..app-page."))
    finding = copy.deepcopy(drill)
    finding["inputs"][0].update(property="hash", value="/app/e-pormas")
    finding["inputs"][1]["value"] = DRILL
    answer = post_callback(base, finding, sessions["disikap"])
    assert answer.status == 403 and not _leaks("disikap", answer.text()), answer.text()[:300]
    sent = 0
    for n, role in enumerate(ROLES):
        # Over the WebSocket: every case once, each role taking its turn, and the application page's
        # cases (the finding's callbacks) as each operator and the public; a sample over HTTP (the
        # gate's own path).
        mine = [(i, c) for i, c in enumerate(cases) if i % len(ROLES) == n or (
            role in ("operator", "disikap", "public") and str(c[1].get("output")).startswith(APP))]
        for start in range(0, len(mine), 400):
            batch = {f"c{i}": c[1] for i, c in mine[start:start + 400]}
            with ThreadPoolExecutor(1) as pool:  # a live sync Playwright holds this thread's event loop
                answers = pool.submit(ws_callbacks, base, sessions[role], batch, set(batch), 30).result()
            sent += len(batch)
            for request_id, payload in batch.items():
                label = cases[int(request_id[1:])][0]
                answer_text = json.dumps(answers.get(request_id, {}), ensure_ascii=False)
                forbidden = '"forbidden"' in answer_text
                if not _callback_allowed(app, role, payload) and request_id in answers and not forbidden:
                    wrong.append(f"{role} WS got {str(payload.get('output'))[:50]} ({label})")
                if leaks := _leaks(role, answer_text):
                    wrong.append(f"{role} WS {str(payload.get('output'))[:50]} ({label}) carried {leaks}")
        for label, payload in cases[n::31]:
            answer = post_callback(base, payload, sessions[role], timeout=10)
            sent += 1
            if not _callback_allowed(app, role, payload) and not _refused_http(answer.status, role):
                wrong.append(f"{role} HTTP got {str(payload.get('output'))[:50]} ({label}): {answer.status}")
            if leaks := _leaks(role, answer.text()):
                wrong.append(f"{role} HTTP {str(payload.get('output'))[:50]} ({label}) carried {leaks}")
    assert sent > 1000
    assert not wrong, f"{len(wrong)} of {sent}:\n" + "\n".join(wrong[:40])


def test_the_router_opens_no_page_outside_the_role(served, sessions):
    """The router callback with every page path as every role: a page outside the role's rights comes
    back as the way to sign in or a refusal, never the page itself."""
    app, base = served
    key = next(k for k in app.callback_map if k.startswith("..screen."))
    spec = app.callback_map[key]
    wrong = []
    for role in ROLES:
        for path in PATHS:
            payload = callback_payload(key, spec, path)
            for at in range(len(payload["inputs"])):  # by position: whichever item carries the path
                forged = copy.deepcopy(payload)
                forged["inputs"][at]["value"] = path
                body = post_callback(base, forged, sessions[role]).text()
                opened = not any(mark in body for mark in ("login-required", "login-denied", "login-redirect"))
                if opened and not may_open(role_user(role), path) and ("app-page" in body or "tile" in body):
                    wrong.append(f"{role} opened {path} through input {at}")
    assert not wrong, "\n".join(wrong)
