"""Each application end to end: simulated agency -> its adapter -> stream -> derived figures -> its page.

Nothing is seeded: the figures on every page come from the simulated services over real HTTP,
through the adapters and the derive processors that `run.py all` starts.
"""

from __future__ import annotations

import pytest

from core.config import APPLICATIONS
from tests.support.system import chromium, running_system


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    with running_system(tmp_path_factory.mktemp("chain")) as system:
        yield system


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def headline(page) -> list[tuple[str, str]]:
    """The page's headline figures as the reader sees them: (label, value)."""
    return page.evaluate("""() => [...document.querySelectorAll('.app-stat')]
        .filter(s => !s.classList.contains('is-empty'))
        .map(s => [s.querySelector('.app-stat-label').textContent, s.querySelector('.app-stat-value').textContent])""")


@pytest.mark.parametrize("application", APPLICATIONS)
def test_the_page_shows_figures_derived_from_the_simulated_agency(system, browser, application):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(f"{system.dashboard}/app/{application}")
        page.wait_for_function("""() => [...document.querySelectorAll('.app-stat:not(.is-empty) .app-stat-value')]
            .some(v => /\\d/.test(v.textContent))""", timeout=60_000)
        figures = headline(page)
        assert figures and any(any(ch.isdigit() for ch in value) for _, value in figures), figures
        if application == "e-statistik":
            assert any("5,70" in value for _, value in figures), figures  # BPS: poverty, Sep 2024
        if application == "e-disikap":
            assert any(value.startswith("Rp ") for _, value in figures), figures
        # The kab/kota level exists for every application: drill into Kota Serang by URL.
        page.goto(f"{system.dashboard}/app/{application}?wilayah=3673")
        page.wait_for_function("""() => {
            const p = document.getElementById('app-page');
            return p && p.getAttribute('data-wilayah') === '3673';
        }""", timeout=30_000)
        assert "rtsp://" not in page.content()
    finally:
        page.close()
