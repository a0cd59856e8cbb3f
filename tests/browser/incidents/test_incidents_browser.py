"""/insiden in a real browser: an operator acknowledges and works their OPD's incident with the buttons
they are shown (and is shown no button for the desk's steps), an analyst opens one by hand, the list
filters, and /wall/insiden shows the tile with the same count of open incidents."""

from __future__ import annotations

import pytest

from core.incidents.lifecycle import Actor
from core.incidents.timeline import all_incidents, load, open_incident, take_step
from dashboard.app import create_app
from tests.support.app import browser, config, serve, users_file  # noqa: F401 - shared fixtures

DESK = Actor("uji-analis", "analyst")


def wait_for(page, script: str, timeout: float = 20):
    page.wait_for_function(f"() => {script}", timeout=timeout * 1000)


@pytest.fixture
def site(config, redis_url, r):  # noqa: F811
    with serve(create_app(config, redis_url)) as base:
        yield base


def test_operators_and_the_desk_work_incidents_in_the_browser(site, browser, r):  # noqa: F811
    mine = open_incident(r, DESK, title="Pedagang kaki lima menutup jalan", category="umum", opd="satpol-pp")
    open_incident(r, DESK, title="Lampu lalu lintas mati", category="umum", opd="dishub")

    operator = browser.new_page(role="operator")  # Satpol PP's operator
    operator.goto(f"{site}/insiden")
    operator.wait_for_selector("#ins-list")
    assert [row.get_attribute("data-incident") for row in operator.locator("#ins-list tbody tr").all()] == [mine.id]
    operator.goto(f"{site}/insiden?id={mine.id}")
    operator.wait_for_selector("#ins-buttons")
    shown = {b.get_attribute("data-step") for b in operator.locator("#ins-buttons button").all()}
    assert shown == {"terima", "catatan"}  # assigning is the desk's
    operator.fill("#ins-note", "Tim menuju lokasi")
    operator.click("#ins-buttons button[data-step='terima']")
    wait_for(operator, "document.querySelector('#ins-message').innerText.includes('Diterima')")
    assert load(r, mine.id).state == "diterima"
    assert operator.locator("#ins-timeline tbody tr").count() == 2
    assert "Tim menuju lokasi" in operator.inner_text("#ins-timeline")
    assert operator.locator("#ins-clocks tr[data-clock='acknowledge']").get_attribute("data-status") == "met"
    operator.close()

    take_step(r, DESK, mine.id, "tugaskan", opd="satpol-pp")
    analyst = browser.new_page(role="analyst")
    analyst.goto(f"{site}/insiden")
    analyst.wait_for_selector("#ins-open")
    analyst.fill("#ins-new-title", "Banjir di Jalan Raya Serang")
    analyst.locator("#ins-new-title").press("Enter")
    analyst.click("#ins-new-category")
    analyst.get_by_role("listbox").get_by_text("Lainnya", exact=True).click()
    analyst.click("#ins-open")
    wait_for(analyst, "document.querySelector('#ins-open-message').innerText.includes('dibuka')")
    assert len(all_incidents(r)) == 3
    analyst.goto(f"{site}/insiden?status=ditugaskan")
    analyst.wait_for_selector("#ins-list")
    assert [row.get_attribute("data-incident") for row in analyst.locator("#ins-list tbody tr").all()] == [mine.id]
    analyst.close()

    admin = browser.new_page()
    admin.goto(f"{site}/wall/insiden")
    wait_for(admin, "document.querySelector('#tile-insiden') && "
                    "document.querySelector('#tile-insiden').getAttribute('data-open') === '3'")
    assert admin.inner_text("#tile-insiden-open") == "3"
    admin.close()
