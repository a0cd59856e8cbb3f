"""Every route, page and callback of the real app against every role, over real HTTP and WebSocket.

The tables come from the app itself (its registered routes and `app.callback_map`) and from the page
registry (dashboard/pages.py), so a route, page or callback added without a rule fails here. Each role
holds a real session, issued by the app's session store as /login issues it once the password is right
(test_access_sessions.py tries the form itself).
"""

from __future__ import annotations

import re

import pytest
from dash import Input, Output

from core.config import APPLICATIONS
from dashboard.app import create_app
from dashboard.auth.access import CALLBACK_RULES, PAGE_RULES, current_user, may_open, rule_for
from dashboard.auth.checks import STATIC_PREFIXES, callback_name
from dashboard.pages import PAGES, ROUTES, SHELL_IDS, page_of
from tests.support.access import (
    ROLES,
    audit_entries,
    callback_payload,
    fetch,
    post_callback,
    refused_by_gate,
    role_user,
    ws_callbacks,
)
from tests.support.app import TEST_USERS, issued_session, login, serve

# Pages served by Dash's catch-all route: a sample path under each prefix rule.
PAGE_SAMPLES = {"/wall/": ["command-center", "cctv-wall"], "/app/": list(APPLICATIONS), "/opendata/": ["katalog.csv"],
                "/admin/": ["audit"]}
# Routes whose handler decides beyond the page rule (camera groups): tests/integration/dashboard/test_access_cameras.py.
HANDLER_DECIDES = ("/whep/", "/snapshot/")


@pytest.fixture(scope="module")
def served(config, redis_server):
    app = create_app(config, redis_server.url)
    with serve(app) as base:
        yield app, base


@pytest.fixture
def sessions(redis_url):
    """A real session for each role (Redis is emptied before each test), the public none."""
    return {"public": None, **{role: issued_session(redis_url, role) for role in TEST_USERS}}


def routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every registered route but Dash's catch-all and static files."""
    out = []
    for route in app.server.routes:
        path = getattr(route, "path", "")
        if path in ("/{path:path}", "{path:path}") or path.startswith(STATIC_PREFIXES) or path == "/assets":
            continue
        for method in sorted(getattr(route, "methods", None) or {"WEBSOCKET"}):
            if method != "HEAD":
                out.append((method, path))
    return out


def concrete(path: str) -> str:
    """A route template with its parameters filled in."""
    return re.sub(r"\{[^}]+\}", "x", path)


def page_paths() -> list[str]:
    paths = []
    for rule in [p.path for p in PAGES] + list(ROUTES):
        if rule in PAGE_SAMPLES:
            paths += [rule + sample for sample in PAGE_SAMPLES[rule]]
        elif not rule.endswith(("/", "-")):
            paths.append(rule)
    return sorted(set(paths))


def test_every_route_page_and_callback_has_a_rule(served):
    app, _ = served
    missing = [f"{m} {p}" for m, p in routes(app) if rule_for(PAGE_RULES, concrete(p)) is None]
    assert not missing, f"routes without a rule in dashboard/auth/access.py PAGE_RULES: {missing}"
    names = {key: callback_name(key, spec) for key, spec in app.callback_map.items()}
    missing = sorted({name for name in names.values() if rule_for(CALLBACK_RULES, name) is None})
    assert not missing, f"callbacks without a rule in dashboard/auth/access.py CALLBACK_RULES: {missing}"
    assert "/docs" not in [getattr(r, "path", "") for r in app.server.routes]  # no API listing for anyone


def test_each_callback_belongs_to_one_page_of_the_registry(served):
    """A callback's component names its page by the page's id prefix (or it is the router's own); no
    rule is read from a function's name, so a callback without outputs or inputs has no rule at all."""
    app, _ = served
    prefixes = {p.ids: p for p in PAGES if p.ids}
    wrong = []
    for key, spec in app.callback_map.items():
        name = callback_name(key, spec)
        owners = [prefix for prefix in prefixes if name.startswith(prefix)]
        if name not in SHELL_IDS and len(owners) != 1:
            wrong.append(f"{key[:60]}: {name!r} names {owners or 'no page'}")
        elif name not in SHELL_IDS and rule_for(CALLBACK_RULES, name) != prefixes[owners[0]].roles:
            wrong.append(f"{key[:60]}: its rule is not its page's roles")
    assert not wrong, "\n".join(wrong)
    nameless = {"no_output": True, "inputs": [], "state": [], "callback": test_routes_and_pages_by_role}
    assert callback_name("x", nameless) == ""


def test_the_router_builds_each_registered_page_with_its_own_module():
    """Every page the router builds is found by its path, and the longest path decides."""
    for page in PAGES:
        if page.module:
            sample = page.path + PAGE_SAMPLES[page.path][0] if page.path in PAGE_SAMPLES else page.path
            assert page_of(sample) is page, sample
            module = page.load()
            assert callable(module.route) and callable(module.register), page.module
            assert callable(getattr(module, "push", None)) == page.push, f"{page.module}: push {page.push}"
    assert page_of("/screen/meeting/presenter").path == "/screen/meeting"
    assert page_of("/insiden-publik").path == "/insiden-publik" and page_of("/insiden").path == "/insiden"
    assert page_of("/opendata") is None and page_of("/admin/audit") is None  # server routes, not the router's


def test_routes_and_pages_by_role(served, sessions):
    """Allowed roles get the route or page; the others are sent to sign in (401) or refused (403)."""
    app, base = served
    wrong = []
    checks = [(m, p) for m, p in routes(app) if m != "WEBSOCKET"] + [("GET", p) for p in page_paths()]
    for method, template in checks:
        path = concrete(template)
        for role in ROLES:
            answer = fetch(base + path, sessions[role], method, b"" if method != "GET" else None)
            allowed = may_open(role_user(role), path)
            refused = refused_by_gate(answer, role, path)
            if allowed and refused and not (method != "GET" or path.startswith(HANDLER_DECIDES)):
                wrong.append(f"{role} refused {method} {path}: {answer.status} {answer.location}")
            if not allowed and not refused:
                wrong.append(f"{role} got {method} {path}: {answer.status}")
    assert not wrong, "\n".join(wrong)


def test_an_operator_sees_only_their_own_applications(served, sessions, r):
    _, base = served
    operator = sessions["operator"]
    assert fetch(f"{base}/app/e-pormas", operator).status == 200
    for application in set(APPLICATIONS) - {"e-pormas"}:
        assert fetch(f"{base}/app/{application}", operator).status == 403
    assert fetch(f"{base}/app/e-bansos", sessions["analyst"]).status == 200
    refusals = [e for e in audit_entries(r, "refused") if e["who"] == TEST_USERS["operator"]]
    assert {e["target"] for e in refusals} == {f"/app/{a}" for a in set(APPLICATIONS) - {"e-pormas"}}
    assert all(e["ip"] == "127.0.0.1" for e in refusals)


def _callback_cases(app):
    """(key, payload, rule's roles, pathname) for every callback; app callbacks ask for e-Pormas."""
    for key, spec in app.callback_map.items():
        name = callback_name(key, spec)
        pathname = "/app/e-pormas" if name.startswith("app-") else "/"
        yield key, callback_payload(key, spec, pathname), rule_for(CALLBACK_RULES, name), pathname


def test_callbacks_over_http_by_role(served, sessions):
    app, base = served
    wrong = []
    for key, payload, roles, _ in _callback_cases(app):
        for role in ROLES:
            answer = post_callback(base, payload, sessions[role], timeout=10)
            refused = answer.status in (401, 403)
            if role in roles and refused:
                wrong.append(f"{role} refused {key[:60]}: {answer.status} {answer.text()[:80]}")
            if role not in roles and not (answer.status == (401 if role == "public" else 403)):
                wrong.append(f"{role} got {key[:60]}: {answer.status}")
    assert not wrong, "\n".join(wrong)


def test_callbacks_over_the_websocket_by_role(served, sessions):
    """A refused callback is answered "forbidden" and never run; allowed ones are not. (A refused
    persistent callback, which Dash starts on every page, is answered as an empty push marked refused.)"""
    app, base = served
    cases = list(_callback_cases(app))
    wrong = []
    for role in ROLES:
        payloads = {f"c{i}": payload for i, (_, payload, _, _) in enumerate(cases)}
        expect_refused = {f"c{i}" for i, (_, _, roles, _) in enumerate(cases) if role not in roles}
        answers = ws_callbacks(base, sessions[role], payloads, wait_for=expect_refused)
        for i, (key, _, roles, _) in enumerate(cases):
            answer = answers.get(f"c{i}", {})
            forbidden = "forbidden" in (answer.get("message"), answer.get("refused"))
            if forbidden and answer.get("status") != ("error" if payloads[f"c{i}"].get("inputs") else "prevent_update"):
                wrong.append(f"{role}: {key[:60]} refused with {answer}")
            if forbidden != (role not in roles):
                wrong.append(f"{role}: {key[:60]} {'refused' if forbidden else 'not refused'}")
    assert not wrong, "\n".join(wrong)


def test_the_router_itself_refuses_a_page_the_user_may_not_open(served, sessions):
    """A page asked for through the router callback (a link inside the app, or a forged request)."""
    app, base = served
    key = next(k for k in app.callback_map if k.startswith("..screen."))
    spec = app.callback_map[key]
    ask = lambda path, role: post_callback(base, callback_payload(key, spec, path), sessions[role]).json()  # noqa: E731
    anonymous = ask("/wall/command-center", "public")["response"]["screen"]["children"]
    assert "/login?next=%2Fwall%2Fcommand-center" in str(anonymous) and "login-required" in str(anonymous)
    assert "tile" not in str(anonymous)  # none of the wall
    denied = ask("/app/e-bansos", "operator")["response"]["screen"]["children"]
    assert "login-denied" in str(denied) and "app-page" not in str(denied)
    allowed = ask("/app/e-pormas", "operator")["response"]["screen"]["children"]
    assert "app-page" in str(allowed)
    public_home = ask("/", "public")["response"]["screen"]["children"]
    assert "/publik" in str(public_home)


def test_an_operator_cannot_read_another_application_by_editing_the_callback(served, sessions, r):
    """The drill and the Excel export of e-Pormas with another application's path put in."""
    app, base = served
    operator = sessions["operator"]
    for key in ("app-download.data", next(k for k in app.callback_map if k.startswith("..app-page."))):
        spec = app.callback_map[key]
        assert post_callback(base, callback_payload(key, spec, "/app/e-pormas"), operator).status not in (401, 403)
        forged = post_callback(base, callback_payload(key, spec, "/app/e-yankes"), operator)
        assert forged.status == 403 and b"/app/e-yankes" in forged.body
        answers = ws_callbacks(base, operator, {"own": callback_payload(key, spec, "/app/e-pormas"),
                                                "forged": callback_payload(key, spec, "/app/e-yankes")},
                               wait_for={"own", "forged"}, timeout=10)
        assert answers["forged"] == {"status": "error", "message": "forbidden"}
        assert answers["own"].get("message") != "forbidden"
    refused = [e for e in audit_entries(r, "refused") if e["who"] == TEST_USERS["operator"]]
    assert any("/app/e-yankes" in e["target"] and e["detail"].startswith("HTTP") for e in refused)
    assert any("/app/e-yankes" in e["target"] and e["detail"] == "WebSocket callback" for e in refused)


def test_callbacks_see_the_signed_in_user_on_the_event_loop_and_in_the_thread_pool(config, redis_url):
    """Dash runs async callbacks as tasks and sync ones in its thread pool: both see the user the
    gate set, over the WebSocket and over HTTP."""
    app = create_app(config, redis_url)

    @app.callback(Output("admin-probe-sync", "children"), Input("admin-probe-in", "n_clicks"))
    def probe_sync(_):
        return f"sync:{current_user().name}:{current_user().role}"

    @app.callback(Output("admin-probe-async", "children"), Input("admin-probe-in", "n_clicks"))
    async def probe_async(_):
        return f"async:{current_user().name}:{current_user().role}"

    with serve(app) as base:
        cookie = login(base, "admin")
        payloads = {kind: callback_payload(f"admin-probe-{kind}.children",
                                           app.callback_map[f"admin-probe-{kind}.children"])
                    for kind in ("sync", "async")}
        answers = ws_callbacks(base, cookie, payloads, wait_for=set(payloads))
        for kind in payloads:
            assert f"{kind}:{TEST_USERS['admin']}:admin" in str(answers[kind]["data"])
            assert f"{kind}:{TEST_USERS['admin']}:admin" in post_callback(base, payloads[kind], cookie).text()
