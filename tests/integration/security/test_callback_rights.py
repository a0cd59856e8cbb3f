"""A callback answers what its registration says, for whom its rule says, whatever the request names.

The finding: signed in as the e-Disikap operator, the application page's drill callback was refused
for `"property": "pathname", "value": "/app/e-pormas"` and answered with e-Pormas data when the same
first input said `"property": "hash"` (Dash hands values to the function by position). The Excel
export took the same path. Over HTTP and the WebSocket alike.
"""

from __future__ import annotations

from core.streams import AUDIT
from tests.support.access import callback_payload, post_callback, ws_callbacks
from tests.support.security import DISIKAP_OPERATOR, DRILL, marker, seed_markers


def _drill_key(app) -> str:
    return next(k for k in app.callback_map if k.startswith("..app-page."))


def _renamed(payload: dict, path: str, prop: str = "hash") -> dict:
    """The request with its first pathname item renamed to `prop` and set to `path`, the search drilled
    down to a record."""
    for item in payload["inputs"] + payload["state"]:
        if item["property"] == "pathname":
            item.update(property=prop, value=path)
            break
    for item in payload["inputs"] + payload["state"]:
        if item["property"] == "search":
            item["value"] = DRILL
    return payload


def test_a_renamed_input_property_opens_no_other_agencys_data(served, sessions, r):
    app, base = served
    seed_markers(r)
    disikap = sessions["disikap"]
    for key in (_drill_key(app), "app-download.data"):
        spec = app.callback_map[key]
        own = _renamed(callback_payload(key, spec), "/app/e-disikap", prop="pathname")
        if key == "app-download.data":
            own["inputs"][0]["value"] = 1
        answer = post_callback(base, own, disikap)
        assert answer.status == 200, answer.text()[:300]
        if key != "app-download.data":  # the oracle sees the operator's own data
            assert marker("e-disikap") in answer.text()
        for prop in ("hash", "search", "href", "pathname"):
            forged = _renamed(callback_payload(key, spec), "/app/e-pormas", prop)
            if key == "app-download.data":
                forged["inputs"][0]["value"] = 1
            answer = post_callback(base, forged, disikap)
            assert answer.status == 403, f"{key} with {prop}: {answer.status} {answer.text()[:200]}"
            assert marker("e-pormas") not in answer.text()
            answers = ws_callbacks(base, disikap, {"forged": forged}, wait_for={"forged"}, timeout=10)
            assert answers["forged"] == {"status": "error", "message": "forbidden"}, f"{key} with {prop} over WS"
    refused = [f for _, f in r.xrange(AUDIT) if f.get("action") == "refused" and f.get("who") == DISIKAP_OPERATOR]
    assert refused, "the refusals are in the audit trail"
