"""No public answer holds a NIK, a phone number, a camera address or its password.

Redis holds the derived figures (the real processor over the saved payloads) and, beside them,
complaints whose text carries a NIK, phone numbers and a name (derived down to the record level)
and raw feed records with a camera's rtsp://user:password@ address, a patient's and a recipient's
data. Then everything the public can reach is fetched anonymously over real HTTP and scanned with
generic patterns: the page, the Dash callbacks its layout has (the router for every view, the
page's own), Dash's layout and dependencies, the open data listing, every CSV, Excel file and
metadata document; and the page once more in Chromium, with every WebSocket frame it receives.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import zipfile

import pytest

from core.clock import utc_now
from core.streams import app_records, feed_stream
from dashboard.app import create_app
from dashboard.public.opendata import DATASETS
from dashboard.public.page import MEASURES
from tests.support.app import serve
from tests.support.app_seed import seed
from tests.support.leaks import call, leaks
from tests.support.public_seed import CAMERA_URL, NIK, PERSON, PHONE, PHONE_INTL, personal_records, seed_records

REGIONS = ("36", "3601", "3602", "3603", "3604", "3671", "3672", "3673", "3674")


def secrets(config) -> list[str]:
    """Literal strings that must not appear either: the seeded person, the cameras' passwords."""
    out = [PERSON, "rahasia-kamera", "Kenari No. 7"]
    for camera in config.cameras.values():
        for url in (camera.main, camera.sub):
            if url and "@" in url:
                out.append(url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1])  # the password
    return out


def test_the_patterns_find_what_was_seeded():
    for sample in (NIK, PHONE, PHONE_INTL, CAMERA_URL, "0812-3456-7890", "3673********0003"):
        assert leaks(f"x {sample} y", []), sample
    # Coordinates and Plotly's numbers are not phone numbers or NIKs.
    assert leaks('{"x": [-6.0812345678901234, 106.08123456789012], "t": 1795862649032}', []) == []
    # Nor is a token of Dash's page config that happens to hold 16 digits in a row.
    assert leaks('{"end_id": "d6416083116782858"}', []) == []
    assert leaks(f'"nik": "{NIK}"', []), "a NIK as a JSON value is still found"


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def readable(body: bytes) -> str:
    """A response as text; an .xlsx (a zip) as the text of all its parts."""
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return body.decode("utf-8", "replace")


def views() -> list[str]:
    out = [""] + [f"?wilayah={c}" for c in REGIONS[1:]] + [f"?peta={m}" for m in MEASURES]
    return out + [v + ("&" if v else "?") + "lang=en" for v in ("", "?wilayah=3673")]


def outputs_of(output: str) -> list[dict] | dict:
    """Dash's output spec: '..a.children...b.data..' (several) or 'a.children' (one)."""
    if output.startswith(".."):
        return [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
                for part in output.strip(".").split("...")]
    return dict(zip(("id", "property"), output.rsplit(".", 1), strict=True))


def callback_requests(dependencies: list[dict]) -> list[dict]:
    """Requests for every callback the public page's layout has: the router for every view, and each
    `pub-` one with each value its inputs take (the region dropdown, a map tap, the map's figure choice,
    the URL's search on back and forward)."""
    samples = {"value": list(REGIONS) + list(MEASURES),
               "clickData": [{"points": [{"customdata": c}]} for c in REGIONS[1:]],
               "search": ["", "?wilayah=3673", "?wilayah=3672&peta=pengaduan&lang=en"]}
    requests = []
    for dep in dependencies:
        output = dep["output"]
        if "screen.children" in output:
            for search in views():
                requests.append({"output": output, "outputs": outputs_of(output),
                                 "inputs": [{"id": "url", "property": "pathname", "value": "/publik"},
                                            {"id": "url", "property": "search", "value": search}],
                                 "state": [{"id": "wall-meta", "property": "data", "value": None}],
                                 "changedPropIds": ["url.search"]})
        elif output.lstrip(".").startswith("pub-"):
            for trigger in dep["inputs"]:
                for value in samples.get(trigger["property"], [None]):
                    inputs = [dict(i, value=value if i == trigger else None) for i in dep["inputs"]]
                    requests.append({"output": output, "outputs": outputs_of(output), "inputs": inputs,
                                     "state": [dict(s, value=None) for s in dep.get("state", [])],
                                     "changedPropIds": [f"{trigger['id']}.{trigger['property']}"]})
    return requests


@pytest.fixture
def site(config, redis_url, r):
    now = utc_now()
    seed(redis_url, now)
    seed_records(redis_url, personal_records(now), now, raw_personal=True)
    # The personal data really is there: in the raw streams and down to the complaint records.
    raw = json.dumps([r.xrange(feed_stream(f)) for f in ("pormas_laporan", "cctv_kamera", "yankes_ruang",
                                                         "bansos_tahap")])
    assert NIK in raw and PHONE in raw and PHONE_INTL in raw and CAMERA_URL in raw and PERSON in raw
    assert NIK in json.dumps(r.hgetall(app_records("e-pormas", "3673", "Infrastruktur")))
    with serve(create_app(config, redis_url)) as base:
        yield base


def test_no_public_http_answer_leaks_personal_data_or_camera_addresses(site, config):
    literal = secrets(config)
    answers: dict[str, str] = {}
    for search in views():
        status, body = get(f"{site}/publik{search}")
        assert status == 200
        answers[f"GET /publik{search}"] = readable(body)
    for path in ("/_dash-layout", "/_dash-dependencies", "/opendata/", "/opendata/?lang=en",
                 "/opendata/katalog.json"):
        status, body = get(site + path)
        assert status == 200, path
        answers[f"GET {path}"] = readable(body)
    for key in DATASETS:
        for kind in ("csv", "xlsx", "json"):
            status, body = get(f"{site}/opendata/{key}.{kind}")
            assert status == 200, (key, kind)
            answers[f"GET /opendata/{key}.{kind}"] = readable(body)
    requests = callback_requests(json.loads(answers["GET /_dash-dependencies"]))
    assert sum("screen.children" in q["output"] for q in requests) == len(views())
    assert any(q["output"].lstrip(".").startswith("pub-") for q in requests)
    for q in requests:
        status, body = call(site, q)
        assert status in (200, 204), (q["output"], q["changedPropIds"], status, body[:300])
        answers[f"POST {q['output']} {json.dumps(q['inputs'])}"] = readable(body)
    # The router's answers are the whole page: they did carry the figures (a real scan, not of errors).
    publik = answers[f"POST {requests[0]['output']} {json.dumps(requests[0]['inputs'])}"]
    assert "pub-page" in publik and "46.200" in publik
    shown = [text for name, text in answers.items() if name.startswith("POST ..pub-loc.search")]
    assert shown and all("pub-complaints" in text for text in shown)  # each view change sent its tables
    found = {name: leaks(text, literal) for name, text in answers.items()}
    assert {name: f for name, f in found.items() if f} == {}


def test_the_page_in_a_browser_shows_nothing_personal(site, config, browser):
    """What a reader's browser gets over HTTP and what the page shows. (Dash's callbacks travel over a
    WebSocket in a SharedWorker, out of Playwright's sight: their answers are scanned over HTTP above.)"""
    literal = secrets(config)
    anonymous = getattr(browser, "anonymous_page", browser.new_page)
    page = anonymous(viewport={"width": 412, "height": 900})
    received: list[str] = []

    def on_response(response):
        kind = response.headers.get("content-type", "")
        if "javascript" in kind or "css" in kind or "font" in kind:
            return  # the libraries' own code (Number.MAX_SAFE_INTEGER is 16 digits), not data
        try:
            received.append(readable(response.body()))
        except Exception:  # noqa: BLE001  (redirects and aborted requests have no body)
            pass

    page.on("response", on_response)
    try:
        page.goto(f"{site}/publik")
        page.wait_for_selector("#pub-page #pub-complaints", timeout=20_000)
        received.append(page.content())
        # A reader picks Kota Serang in the dropdown: the page's own callback, then the router.
        page.locator("#pub-region").click()
        page.get_by_role("option", name="Kota Serang", exact=True).click()
        page.wait_for_selector('#pub-page[data-wilayah="3673"]', timeout=20_000)
        assert "wilayah=3673" in page.url
        received.append(page.content())
        assert "Ringkasan Kota Serang" in received[-1]  # the page really shows the kab/kota's figures
        assert [f for text in received for f in leaks(text, literal)] == []
    finally:
        page.close()
