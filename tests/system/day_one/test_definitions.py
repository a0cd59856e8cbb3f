"""Every headline figure says what it means, in one sentence, wherever it is shown and in the open data."""

from __future__ import annotations

import json
import urllib.request

from core.config import APPLICATIONS, load_config
from dashboard.text import definitions
from tests.support.system import ROOT

CONFIG = load_config(ROOT / "config.yaml")


def test_every_wall_metric_has_a_definition_in_both_languages():
    missing = [m for m, spec in CONFIG.metrics.items() if not (spec.definition and spec.definition_en)]
    assert missing == []
    complaints = CONFIG.metrics["pengaduan_24j"]
    assert complaints.label == "Pengaduan masuk 24 jam" and complaints.window_field == "created_at"
    assert "dibuat" in complaints.definition and "created" in complaints.definition_en


def test_a_hover_or_a_tap_on_a_figure_gives_its_definition_on_every_screen(system, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(f"{system.dashboard}/screen/governor")
        page.wait_for_function("""(apps) => apps.every(
                                   a => (document.querySelector(`#gov-app-${a}-label`) || {}).title)""",
                               arg=list(APPLICATIONS), timeout=60_000)
        for app in APPLICATIONS:
            assert page.locator(f"#gov-app-{app}-label").get_attribute("title")
        yankes = definitions.figure("e-yankes", "keterisian_pct").id
        label = page.locator("#gov-app-e-yankes-label")
        assert label.get_attribute("title") == yankes
        # A tap opens the definition in place of the tile's drill-down; the page stays.
        label.click()
        assert page.url.endswith("/screen/governor")
        shown = page.evaluate("() => getComputedStyle(document.querySelector('#gov-app-e-yankes-label'), "
                              "'::after').content")
        assert shown.strip('"') == yankes

        page.goto(f"{system.dashboard}/wall/pengaduan")
        tile = page.locator(".tile-metric[data-metric='pengaduan_24j'] .tile-label").first
        tile.wait_for(timeout=30_000)
        assert tile.inner_text() == "Pengaduan masuk 24 jam"
        assert tile.get_attribute("title") == CONFIG.metrics["pengaduan_24j"].definition

        page.goto(f"{system.dashboard}/app/e-yankes?lang=en")
        page.wait_for_function("() => [...document.querySelectorAll('.app-stat-label')]"
                               ".some(l => l.textContent === 'Occupancy' || l.title)", timeout=30_000)
        titles = page.evaluate("() => Object.fromEntries([...document.querySelectorAll('.app-stat-label')]"
                               ".filter(l => l.textContent).map(l => [l.textContent, l.title]))")
        assert definitions.figure("e-yankes", "keterisian_pct").en in titles.values(), titles

        page.goto(f"{system.dashboard}/publik?wilayah=3673")
        card = page.locator("#pub-profile [data-col='keterisian_pct'] .pub-card-label")
        card.wait_for(timeout=30_000)
        assert card.get_attribute("title") == yankes
    finally:
        page.close()


def test_the_open_data_metadata_defines_its_figures(system):
    with urllib.request.urlopen(f"{system.dashboard}/opendata/tempat-tidur-rumah-sakit.json", timeout=10) as resp:
        meta = json.load(resp)
    column = next(c for c in meta["kolom"] if c["nama"] == "keterisian_pct")
    meaning = definitions.figure("e-yankes", "keterisian_pct")
    assert (column["definisi"], column["definisi_en"]) == (meaning.id, meaning.en)
    with urllib.request.urlopen(f"{system.dashboard}/opendata/pengaduan-masyarakat.json", timeout=10) as resp:
        received = next(c for c in json.load(resp)["kolom"] if c["nama"] == "diterima")
    assert "dibuat" in received["definisi"]
