"""What people see in Chromium: the /wall/it-opd wall (red first, states, response times, the
certificate and the incident, live updates, MONITOR OFFLINE), the governor's count, the /it drill-down
as an operator and an analyst (failure reasons, acknowledgement), and the public /status page, which
shows no internal host, address, token or internal service."""

from __future__ import annotations

import json
import re
import threading

import pytest

from core.clock import utc_now
from core.redis import connect
from core.streams import monitor_probe, monitor_state, to_iso
from dashboard.app import create_app
from dashboard.it.status_page import public_services
from tests.support.app import browser, config, serve, users_file  # noqa: F401 - shared fixtures
from tests.support.it_seed import REFUSED, in_thread, recover, seed_it
from tests.support.leaks import call, leaks

IP = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{1,3}){3}(?![\d.,])")


@pytest.fixture
def site(config, redis_url):  # noqa: F811
    in_thread(seed_it, redis_url, config)
    alive = threading.Event()

    def monitor_heartbeat():  # as the running monitor does: its probe was seen a moment ago
        r = connect(redis_url)
        while not alive.wait(1.0):
            r.hset(monitor_probe("pusat"), "seen", to_iso(utc_now()))

    beating = threading.Thread(target=monitor_heartbeat, daemon=True)
    beating.start()
    with serve(create_app(config, redis_url)) as base:
        yield base
    alive.set()
    beating.join(5)


def states(redis_url) -> dict[str, str]:
    r = connect(redis_url, decode_responses=True)
    return {k: json.loads(v)["state"] for k, v in r.hgetall(monitor_state()).items()}


def wait_for(page, script: str, timeout: float = 15):
    """Wait until a JS expression holds (as a function: the page's CSP forbids eval)."""
    page.wait_for_function(f"() => {script}", timeout=timeout * 1000)


def test_the_it_wall_shows_every_state_red_first_and_follows_live(site, browser, config, redis_url):  # noqa: F811
    seen = states(redis_url)
    down = sum(1 for s in seen.values() if s == "down")
    assert down == 11  # the data-center network, its 8 services, e-Terminal and SITRANTIB
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(site + "/wall/it-opd")
    wait_for(page, f"document.querySelector('#tile-matriks')?.dataset.down === '{down}'")
    counts = {k: sum(1 for s in seen.values() if s == k) for k in ("up", "degraded", "down")}
    total = len(config.monitors.services())
    assert page.inner_text("#tile-matriks-counts").startswith(
        f"{total} layanan · {counts['up']} normal · {counts['degraded']} terganggu · {counts['down']} mati")
    # Red first: the rows as they stand on screen, top to bottom.
    rows = page.evaluate("""[...document.querySelectorAll('#tile-matriks .it-row')]
        .map(r => [r.getBoundingClientRect().top, r.dataset.opd,
                   [...r.querySelectorAll('.it-cell')].map(c => c.dataset.state)])
        .sort((a, b) => a[0] - b[0]).map(r => [r[1], r[2]])""")
    first_clear = next(i for i, (_, cells) in enumerate(rows) if "down" not in cells)
    assert all("down" not in cells for _, cells in rows[first_clear:]), rows
    assert rows[0][1][0] == "down"  # and inside a row, the red cell first
    terminal = page.locator("#tile-matriks-svc-e-terminal")
    assert terminal.get_attribute("data-state") == "down" and "MATI" in terminal.inner_text()
    sisrute = page.inner_text("#tile-matriks-svc-sisrute")
    assert "TERGANGGU" in sisrute and "1.300 ms" in sisrute
    assert page.inner_text("#tile-matriks-svc-portal-spark")  # a sparkline of its last checks
    cert = page.inner_text("#tile-sertifikat-cert-0")
    assert re.match(r"Satu Data Banten \(HTTPS\) — berakhir \d+ \w+ \d{4} \([56] hari\)", cert), cert
    incident = page.inner_text("#tile-insiden-inc-0")
    assert incident.startswith("Jaringan Pusat Data Provinsi: mati sejak") and "8 layanan lain terdampak" in incident
    page.screenshot(path="test-results/it-opd-wall.png")

    nodes = page.evaluate("document.querySelectorAll('*').length")
    in_thread(recover, redis_url, config, REFUSED)  # e-Terminal answers again
    wait_for(page, "document.querySelector('#tile-matriks-svc-e-terminal').dataset.state === 'up'")
    assert page.locator("#tile-matriks").get_attribute("data-down") == str(down - 1)
    # the row moved down and the cell turned green by leaf props alone: no element was added or rebuilt
    assert page.evaluate("document.querySelectorAll('*').length") == nodes

    # The probe's own network goes: MONITOR OFFLINE, not one service counted DOWN.
    connect(redis_url).hset(monitor_probe("pusat"), mapping={"state": "offline", "reason": "uplink terputus"})
    wait_for(page, "document.querySelector('#tile-matriks-offline').dataset.offline === 'true'")
    assert page.inner_text("#tile-matriks-offline").startswith("MONITOR OFFLINE")
    assert page.locator("#tile-matriks").get_attribute("data-down") == "0"
    assert "MONITOR OFFLINE" in page.inner_text("#tile-matriks-svc-simrs")

    gov = browser.new_page(viewport={"width": 1920, "height": 1080})
    connect(redis_url).hset(monitor_probe("pusat"), "state", "online")
    gov.goto(site + "/screen/governor")
    wait_for(gov, f"document.querySelector('#gov-it')?.dataset.down === '{down - 1}'")
    assert gov.inner_text("#gov-it").replace("\n", " ").startswith(f"Layanan TI OPD mati {down - 1} dari {total}")
    gov.close()
    page.close()


def test_it_drill_down_by_role_with_failure_reasons_and_acknowledgement(site, browser, config):  # noqa: F811
    operator = browser.new_page(role="operator")  # bound to lapor_banten: Satpol PP's services
    operator.goto(site + "/it")
    operator.wait_for_selector("#it-opds")
    assert [r.get_attribute("data-opd") for r in operator.locator("#it-opds tbody tr").all()] == ["satpol-pp"]
    # their own incident only (SITRANTIB timing out), which they acknowledge
    incidents = operator.locator("#it-incidents [data-incident]")
    assert incidents.count() == 1 and incidents.first.inner_text().startswith("SITRANTIB")
    operator.click("#it-incidents button")
    wait_for(operator, "document.querySelector('#it-ack-message').innerText.includes('diterima oleh uji-operator')")
    assert "Diterima oleh uji-operator" in operator.inner_text("#it-incidents")
    operator.click("#it-opds a:text('Satuan Polisi Pamong Praja')")
    operator.wait_for_selector("#it-services")
    assert "waktu habis (timeout)" in operator.inner_text("#it-services tr[data-service='sitrantib']")
    operator.goto(site + "/it?opd=rsud-banten")
    operator.wait_for_selector(".it-refused")
    assert not operator.locator("#it-services").count()
    operator.close()

    analyst = browser.new_page(role="analyst")
    analyst.goto(site + "/it")
    analyst.wait_for_selector("#it-opds")
    listed = [r.get_attribute("data-opd") for r in analyst.locator("#it-opds tbody tr").all()]
    assert sorted(listed) == sorted(config.monitors.opds)
    assert analyst.locator("#it-opds tbody tr").first.get_attribute("data-down") != "0"  # red first
    analyst.click("#it-opds a:text('RSUD Banten')")
    analyst.wait_for_selector("#it-services")
    simrs = analyst.locator("#it-services tr[data-service='simrs']")
    assert simrs.get_attribute("data-state") == "down"
    assert "karena Jaringan Pusat Data Provinsi" in simrs.inner_text()
    analyst.click("#it-services a:text('SIMRS')")
    analyst.wait_for_selector("#it-history")
    failed = analyst.locator("#it-history tr[data-ok='false']")
    assert failed.count() == 3 and "HTTP 503 (diharapkan 200)" in failed.first.inner_text()
    assert analyst.locator("#it-history tr[data-ok='true']").count() == 1
    body = analyst.inner_text("body")
    assert "127.0.0.1" not in body and ":8078" not in body  # no target reaches a browser
    analyst.close()

    admin = browser.new_page()
    admin.goto(site + "/it")
    admin.wait_for_selector("#it-incidents button")
    admin.click("#it-incidents [data-incident^='jaringan-dc'] button")
    wait_for(admin, "document.querySelector('#it-ack-message').innerText.includes('diterima oleh')")
    assert "Jaringan Pusat Data Provinsi" in admin.inner_text("#it-ack-message")
    assert "Diterima oleh uji-admin" in admin.inner_text("#it-incidents")
    admin.close()


def internal_literals(config) -> list[str]:  # noqa: F811 - the fixture's value
    """What the public must never see: every target, host and port, every token, every internal service."""
    monitors = config.monitors
    out = ["127.0.0.1", ":8078", ":8079", "/dc/", "localhost"]
    public = public_services(monitors)
    for sid, (_, svc) in monitors.services().items():
        out.append(svc.target) if svc.target else None
        out += [t for t in (svc.token,) if t]
        if sid not in public:
            out.append(svc.name)
    out += [p.token for p in monitors.probes.values()]
    return [s for s in out if s]


def test_the_public_status_page_shows_public_services_and_nothing_internal(site, browser, config, redis_url):  # noqa: F811
    secrets = internal_literals(config)
    router = {"output": "..screen.children...wall-meta.data..",
              "outputs": [{"id": "screen", "property": "children"}, {"id": "wall-meta", "property": "data"}],
              "inputs": [{"id": "url", "property": "pathname", "value": "/status"},
                         {"id": "url", "property": "search", "value": ""}],
              "state": [{"id": "wall-meta", "property": "data", "value": None}], "changedPropIds": ["url.search"]}
    for search in ("", "?lang=en"):
        router["inputs"][1]["value"] = search
        status, body = call(site, router)  # anonymously, over plain HTTP
        text = body.decode()
        assert status == 200 and "status-page" in text
        assert leaks(text, secrets) == [] and IP.findall(text) == []

    page = browser.anonymous_page(viewport={"width": 412, "height": 900})
    page.goto(site + "/status")
    page.wait_for_selector("#status-page")
    public = public_services(config.monitors)
    blocks = page.locator(".status-service").all()
    assert [b.get_attribute("data-service") for b in blocks] == [v["name"] for v in public.values()]
    assert all(b.locator(".status-bar").count() == 90 for b in blocks)
    assert page.locator(".status-service[data-service='Pendaftaran Online RSUD Banten']").get_attribute(
        "data-state") == "down"
    seen = states(redis_url)
    bad = [sid for sid in public if seen.get(sid) in ("down", "degraded")]
    assert len(bad) == 4  # the data center, RSUD's registration and LPSE behind it; Cilegon's slow portal
    assert page.inner_text("#status-overall") == "4 layanan publik sedang bermasalah"
    notice = page.locator(".status-notice[data-maintenance]").first.inner_text()
    assert notice.startswith("Pemeliharaan rutin pusat data") and "Pusat Data Provinsi" in notice
    incident = page.locator(".status-incident").first.inner_text()
    assert incident.startswith("Pusat Data Provinsi, Pendaftaran Online RSUD Banten, LPSE Provinsi Banten: gangguan")
    assert incident.endswith("masih berlangsung")
    shown = page.content()
    assert leaks(shown, secrets) == [] and IP.findall(page.inner_text("body")) == []
    page.close()
