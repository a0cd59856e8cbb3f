"""Plain HTTP and WebSocket requests as each role makes them, for the access tests."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import aiohttp
from dash._utils import split_callback_id

from core.streams import AUDIT
from dashboard.auth.access import User
from tests.support.app import SESSION_COOKIE, TEST_OPERATOR_FEEDS

ROLES = ("public", "operator", "analyst", "executive", "admin")


def role_user(role: str) -> User:
    """The test user of a role as the rules see it (the operator answers for e-Pormas)."""
    if role == "operator":
        return User(name="uji-operator", role=role, feeds=frozenset(TEST_OPERATOR_FEEDS),
                    applications=frozenset({"e-pormas"}))
    return User(name=f"uji-{role}", role=role)


@dataclass
class Answer:
    status: int
    headers: Any  # email.message.Message: names in any case
    body: bytes

    @property
    def location(self) -> str:
        return self.headers.get("Location") or ""

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body or b"null")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, cookie: str | None = None, method: str = "GET", body: bytes | None = None,
          headers: dict | None = None, accept: str = "text/html", timeout: float = 15) -> Answer:
    """One request without following redirects; the session cookie when given."""
    request = urllib.request.Request(url, data=body, method=method, headers={"Accept": accept, **(headers or {})})
    if cookie:
        request.add_header("Cookie", f"{SESSION_COOKIE}={cookie}")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as err:
        return Answer(err.code, err.headers, err.read())


def refused_by_gate(answer: Answer, role: str, path: str = "") -> bool:
    """Whether the answer is the gate's refusal for this role: 401 or the way to sign in for the
    public (the public's `/` goes to the portal), 403 for a signed-in user."""
    if role == "public":
        return answer.status == 401 or (answer.status == 302 and answer.location.startswith("/login?next=")) \
            or (path == "/" and answer.status == 302 and answer.location.startswith("/publik"))
    return answer.status == 403


def _concrete(component):
    """A registered id as the renderer sends it: a MATCH pattern with a value in its place (an
    operator's own feed for `feed`), an ALL pattern as no item at all (None)."""
    if isinstance(component, str) and component.startswith("{"):
        component = json.loads(component)
    if not isinstance(component, dict):
        return component
    if any(v in (["ALL"], ["ALLSMALLER"]) for v in component.values()):
        return None
    return {k: ((TEST_OPERATOR_FEEDS[0] if k == "feed" else "x") if v == ["MATCH"] else v) for k,
            v in component.items()}


def _dep(dep: dict, value=None):
    component = _concrete(dep["id"])
    if component is None:
        return []  # ALL: the list of matching components (none here)
    return {"id": component, "property": dep["property"], "value": value}


def _prop_id(item: dict) -> str:
    component = item["id"]
    if isinstance(component, dict):
        component = "{" + ",".join(f"{json.dumps(k)}:{json.dumps(component[k])}" for k in sorted(component)) + "}"
    return f"{component}.{item['property']}"


def callback_payload(key: str, spec: dict, pathname: str = "/") -> dict:
    """A callback request as the Dash renderer sends it, with empty values (a `pathname` set)."""
    value = lambda dep: pathname if dep["property"] == "pathname" else None  # noqa: E731
    outputs = [] if spec.get("no_output") else split_callback_id(key)
    if isinstance(outputs, dict):
        outputs = _dep(outputs)
    elif outputs:
        outputs = [_dep(o) for o in outputs]
    inputs = [_dep(d, value(d)) for d in spec["inputs"]]
    first = next((i for i in inputs if isinstance(i, dict)), None)
    return {"output": key, "outputs": outputs, "inputs": inputs, "state": [_dep(d, value(d)) for d in spec["state"]],
            "changedPropIds": [_prop_id(first)] if first else []}


def post_callback(base: str, payload: dict, cookie: str | None, timeout: float = 15) -> Answer:
    body = json.dumps(payload).encode()
    try:
        return fetch(base + "/_dash-update-component", cookie, "POST", body,
                     {"Content-Type": "application/json"}, accept="application/json", timeout=timeout)
    except TimeoutError:  # a long-running callback ran: it was not refused
        return Answer(0, {}, b"")


async def _ws_answers(base: str, cookie: str | None, payloads: dict[str, dict], wait_for: set[str],
                      timeout: float) -> dict[str, dict]:
    headers = {"Origin": base}
    if cookie:
        headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
    answers: dict[str, dict] = {}
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(base.replace("http", "ws") + "/_dash-ws-callback", headers=headers) as ws:
            for request_id, payload in payloads.items():
                await ws.send_json({"type": "callback_request", "requestId": request_id, "rendererId": "r1",
                                    "payload": payload})
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while loop.time() < deadline and not wait_for <= set(answers):
                try:
                    message = await ws.receive(timeout=max(0.05, deadline - loop.time()))
                except TimeoutError:
                    break
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                for item in _messages(message.data):
                    if item.get("type") == "callback_response":
                        answers[item.get("requestId")] = item.get("payload") or {}
    return answers


def _messages(data: str) -> list[dict]:
    """Dash sends one message, or several close together as a JSON array."""
    parsed = json.loads(data)
    return [m for m in (parsed if isinstance(parsed, list) else [parsed]) if isinstance(m, dict)]


def ws_callbacks(base: str, cookie: str | None, payloads: dict[str, dict], wait_for: set[str],
                 timeout: float = 8) -> dict[str, dict]:
    """Send callback requests over one WebSocket; the answers received by request id (those in
    `wait_for` are waited for, up to `timeout`)."""
    return asyncio.run(_ws_answers(base, cookie, payloads, wait_for, timeout))


def audit_entries(r, action: str | None = None) -> list[dict]:
    """The audit trail, oldest first (optionally one action)."""
    entries = [fields for _, fields in r.xrange(AUDIT)]
    return [e for e in entries if action is None or e.get("action") == action]
