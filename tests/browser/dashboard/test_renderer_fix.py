"""Pages run Dash's renderer with the selector fix of dashboard/renderer_fix.py, in Chromium."""

from __future__ import annotations

import logging

import pytest

from dashboard import renderer_fix
from dashboard.app import create_app
from tests.support.app import serve

FIXED, OLD = renderer_fix.FIXES["min"][1], renderer_fix.FIXES["min"][0]


@pytest.fixture(scope="module")
def base(config, redis_server):
    with serve(create_app(config, redis_server.url)) as url:
        yield url


def test_a_wall_loads_the_fixed_renderer_and_draws(browser, base):
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    bundles = []
    page.on("response", lambda resp: "dash_renderer" in resp.url and bundles.append(resp))
    page.goto(f"{base}/wall/command-center")
    page.wait_for_function("() => document.querySelector('.tile-metric .tile-value')")
    assert len(bundles) == 1 and bundles[0].status == 200, [b.url for b in bundles]
    body = bundles[0].text()
    assert FIXED in body and OLD not in body
    assert bundles[0].headers["x-content-type-options"] == "nosniff"  # the gate's headers still apply
    page.close()


def test_a_dash_without_the_old_code_is_served_as_shipped(monkeypatch, caplog):
    monkeypatch.setattr(renderer_fix.pkgutil, "get_data", lambda package, path: b"/* another build */")
    with caplog.at_level(logging.WARNING, logger="dashboard.renderer_fix"):
        assert renderer_fix.patched_renderer("min") is None
    assert "served as Dash ships it" in caplog.text
