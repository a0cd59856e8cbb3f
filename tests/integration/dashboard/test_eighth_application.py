"""An eighth application added the way core/apps.py says: one registry entry, one derive module and one
page spec (tests/support/eighth_app.py), and nothing else.

Its records go through the real path (a feed's RecordBuilder, the Redis stream, the figures and
headline processors) and the test reads what a person sees: its tile on a wall, its row on the
governor's screen with its change since yesterday, its table on the public portal, its colour.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from core import apps
from core.clock import utc_now, wib_today
from core.config import ConfigError, parse_config
from dashboard import app_colours
from dashboard.figures import province_summary as ps
from dashboard.figures.specs import PAGE_SPECS, SPECS, MissingPageSpec, check
from dashboard.governor import page as governor
from dashboard.live.hub import LiveHub
from dashboard.live.snapshot import Frame, Snapshot
from dashboard.public.figures import read as read_public
from dashboard.text.i18n import application_name
from dashboard.tiles import metric
from dashboard.tiles.base import WallContext
from dashboard.tiles.map import load_geometry
from ingest.derive.figures_processor import derive_classes
from tests.support.eighth_app import ENTRY, SPEC
from tests.support.eighth_seed import SETTINGS, derive


@pytest.fixture
def eighth(monkeypatch):
    """e-Banjir registered after the seven, with its page spec, for one test."""
    monkeypatch.setitem(PAGE_SPECS, SPEC.app, SPEC)
    with apps.registered(ENTRY):
        yield parse_config(SETTINGS)


def test_config_takes_an_application_only_once_it_is_registered():
    with pytest.raises(ConfigError) as err:
        parse_config(SETTINGS)
    assert "feeds.banjir_pos.application: must be one of 'e-bansos'" in str(err.value)
    assert "e-banjir" not in apps.APPLICATIONS and "e-banjir" not in SPECS


def test_a_registered_application_without_its_page_spec_stops_the_start():
    with apps.registered(ENTRY), pytest.raises(MissingPageSpec, match="e-banjir: no page spec 'e-banjir'"):
        check()


def test_a_derive_class_must_be_the_application_s_own():
    borrowed = replace(ENTRY, derive="ingest.derive.cctv:CctvFigures")
    with apps.registered(borrowed), pytest.raises(apps.ApplicationError, match="says it is 'e-cctv'"):
        derive_classes()
    missing = replace(ENTRY, derive="tests.support.eighth_app:NoSuchFigures")
    with apps.registered(missing), pytest.raises(apps.ApplicationError, match="eighth_app has no NoSuchFigures"):
        derive_classes()


def test_a_demo_slot_is_one_application_s():
    taken = replace(ENTRY, demo_slot=6)
    with pytest.raises(apps.ApplicationError, match="demo_slot 6 is e-disikap's"):
        apps.register(taken)
    assert "e-banjir" not in apps.APPLICATIONS


async def test_its_headline_on_a_wall_tile(eighth, redis_url):
    config = eighth
    await derive(redis_url, config)
    hub = LiveHub(config, redis_url)
    await hub.start(wait_first_read=2)
    try:
        frame = Frame(hub.snapshot, utc_now())
    finally:
        await hub.stop()
    tile = metric.Tile(id="banjir", kind="metric", metric="banjir_siaga", col=1, row=1)
    ctx = WallContext(config)
    shell = metric.layout(tile, ctx).to_plotly_json()["props"]
    head = shell["children"][0].children
    assert [part.children for part in head] == ["E-BANJIR", "Siaga Banjir"]
    leaves = metric.leaves(tile, ctx, frame)
    assert leaves[("tile-banjir", "className")].split() == ["tile", "tile-metric", "app-e-banjir"]
    assert leaves[("tile-banjir-value", "children")] == "13"  # 6 + 2 + 5 posts on alert today
    assert leaves[("tile-banjir-sub", "children")] == "3 dari 8 kab/kota"
    assert leaves[("tile-banjir-extreme", "children")] == "Tertinggi: Lebak 6"
    assert leaves[("tile-banjir", "data-stale")] == "false"
    # Its colour reaches every page with the others'.
    assert ".app-e-banjir { --app: #38bdf8; }" in app_colours.stylesheet().splitlines()
    assert application_name("e-banjir", "en") == "Flood Watch"


async def test_its_row_on_the_governors_screen(eighth, redis_url, r):
    config = eighth
    await derive(redis_url, config)
    data = ps.read(r)
    now = utc_now()
    screen = governor.Screen(config, load_geometry(config))
    groups = governor.render(data, Frame(Snapshot(), now), screen, "status")
    row = groups["gov-app-e-banjir"]
    assert row[("gov-app-e-banjir-label", "children")] == "Pos siaga"
    assert row[("gov-app-e-banjir-value", "children")] == "13"
    assert row[("gov-app-e-banjir-day", "children")] == "▲ 30,0 % dari kemarin"  # 10 posts on alert yesterday
    assert row[("gov-app-e-banjir-day", "data-tone")] == "bad"  # more posts on alert is bad news
    assert row[("gov-app-e-banjir-week", "children")] == "belum ada pembanding"
    assert "app-e-banjir" in row[("gov-app-e-banjir", "className")].split()
    # Its row comes after the seven's, in the registry's order.
    assert [k for k in groups if k.startswith("gov-app-")] == [f"gov-app-{a.id}" for a in (*apps.BUILT_IN, ENTRY)]
    assert ps.app_figure(data, "e-banjir", wib_today(), "3602").value_text("id") == "6"


async def test_its_table_on_the_public_portal(eighth, redis_url, r):
    config = eighth
    await derive(redis_url, config)
    table = read_public(r, config).tables["siaga-banjir"]
    assert table.application == "e-banjir"

    def shown(region):
        row = table.row(region)
        return {c.key: row.text(c, "id") for c in table.columns}

    assert shown("36")["pos"] == "21" and shown("3602")["pos"] == "8" and shown("3604")["pos"] == "7"
    assert shown("36")["siaga"] == "13" and shown("36")["tinggi_cm"] == "320"
    # Pandeglang's 2 posts on alert are a small count; its water level goes with it, and what is
    # shown of the rest never gives the 2 back (the province's 13 minus the others).
    pandeglang = shown("3601")
    assert pandeglang["siaga"] == "<5" and pandeglang["tinggi_cm"] == "*"
    withheld = [code for code in ("3602", "3604") if shown(code)["siaga"] == "*"]
    assert len(withheld) == 1 and shown(withheld[0])["tinggi_cm"] == "*"
    assert shown("3673")["siaga"] == "–"  # no posts in Kota Serang: nothing to show


async def test_its_section_on_the_public_page_and_its_open_data(eighth, redis_url, r):
    """/publik draws a section for it (heading, withheld counts) and /opendata lists and serves its table."""
    import urllib.request
    from types import SimpleNamespace

    from fastapi import FastAPI

    from dashboard.public import opendata
    from dashboard.public import page as public_page
    from dashboard.tiles.map import seat_geometry
    from tests.support.app import serve

    config = eighth
    await derive(redis_url, config)
    data = read_public(r, config)
    view = public_page.parse_view("")
    layout = public_page.layout(view, data, seat_geometry(), "Uji")
    text = json.dumps(layout.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert "Siaga Banjir" in text and 'pub-siaga-banjir' in text and "<5" in text
    # The open-data routes as the dashboard mounts them, on a server of their own (this config has
    # no walls for a whole dashboard).
    site = SimpleNamespace(server=FastAPI())
    opendata.mount(site.server, SimpleNamespace(redis=r, config=config))
    with serve(site) as base:
        listing = urllib.request.urlopen(base + "/opendata/", timeout=10).read().decode()
        assert 'id="dataset-siaga-banjir"' in listing
        csv = urllib.request.urlopen(base + "/opendata/siaga-banjir.csv", timeout=10).read().decode("utf-8-sig")
        assert csv.splitlines()[0].startswith("kode_wilayah,nama_wilayah")
        assert any(line.startswith("3601,") and "<5" in line for line in csv.splitlines())
