"""Layouts reload without a restart: a good edit replaces the screen, a broken one keeps the last good
version and is reported with file and line (also in /healthz)."""

import json
import os
import time
import urllib.request

import pytest

from core.config import ConfigError
from dashboard.app import create_app
from dashboard.walls.layout_watch import LayoutWatch
from tests.support.app import serve
from tests.support.layouts import GOOD, PLAYLIST, with_layouts


def touch_later(path, text):
    """Write a file so its modification time surely differs from the last look's."""
    path.write_text(text)
    stamp = time.time() + 2
    os.utime(path, (stamp, stamp))


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "uji.yaml").write_text(GOOD)
    (tmp_path / "uji-dua.yaml").write_text(GOOD.replace("title: Uji", "title: Uji dua"))
    (tmp_path / "putaran.yaml").write_text(PLAYLIST)
    return tmp_path


def test_a_good_edit_replaces_the_screen_in_place(config, folder):
    watch = LayoutWatch(with_layouts(config, folder))
    screens, playlists = watch.screens, watch.playlists  # what pages hold
    token, other = watch.token(["uji"]), watch.token(["uji-dua"])
    assert watch.scan() is False  # nothing changed
    touch_later(folder / "uji.yaml", GOOD.replace("title: Uji", "title: Harga Pangan"))
    version = watch.changed.version
    assert watch.scan() is True
    assert screens["uji"].title == "Harga Pangan" and watch.screens is screens
    assert watch.token(["uji"]) != token and watch.token(["uji-dua"]) == other
    assert watch.changed.version == version + 1
    assert watch.problems == []
    # A new playlist item and a new screen file arrive the same way.
    touch_later(folder / "uji-tiga.yaml", GOOD.replace("title: Uji", "title: Uji tiga"))
    touch_later(folder / "putaran.yaml", PLAYLIST + "  - {screen: uji-tiga, seconds: 5}\n")
    assert watch.scan() is True
    assert [i.screen for i in playlists["putaran"].items] == ["uji", "uji-dua", "uji-tiga"]


def test_a_broken_edit_keeps_the_last_good_version_and_names_file_and_line(config, folder):
    watch = LayoutWatch(with_layouts(config, folder))
    good, token = watch.screens["uji"], watch.token(["uji"])
    touch_later(folder / "uji.yaml", GOOD.replace("metric: harga_beras, col: 2", "metric: harga_emas, col: 2"))
    assert watch.scan() is False  # nothing a wall shows changed
    assert watch.screens["uji"] is good and watch.token(["uji"]) == token
    (problem,) = watch.problems
    assert str(problem) == f"{folder / 'uji.yaml'}:5: tiles[1].metric: unknown metric 'harga_emas'"
    assert watch.health()["ok"] is False
    assert watch.health()["problems"] == ["uji.yaml:5: tiles[1].metric: unknown metric 'harga_emas'"]
    # Fixed: the problem is gone and the fixed version is served.
    touch_later(folder / "uji.yaml", GOOD.replace("title: Uji", "title: Uji baru"))
    assert watch.scan() is True
    assert watch.problems == [] and watch.screens["uji"].title == "Uji baru"


def test_a_syntax_error_and_a_removed_screen_a_playlist_shows_are_kept(config, folder):
    watch = LayoutWatch(with_layouts(config, folder))
    touch_later(folder / "putaran.yaml", "kind: playlist\nitems: [unclosed\n")
    (folder / "uji-dua.yaml").unlink()
    watch.scan()
    # The playlist keeps its last good version, and with it the screen it still shows.
    assert [i.screen for i in watch.playlists["putaran"].items] == ["uji", "uji-dua"]
    assert "uji-dua" in watch.screens
    texts = [str(p) for p in watch.problems]
    assert any(t.startswith(f"{folder / 'putaran.yaml'}:") and "(syntax)" in t for t in texts)
    assert any(t.startswith(f"{folder / 'uji-dua.yaml'}: (file): removed, but playlist 'putaran'") for t in texts)
    # Once the playlist no longer names it, the removed screen goes.
    touch_later(folder / "putaran.yaml", PLAYLIST.replace("  - {screen: uji-dua, seconds: 10, label: Dua}\n", ""))
    assert watch.scan() is True
    assert "uji-dua" not in watch.screens and watch.problems == []


def test_a_broken_file_at_start_is_refused(config, folder):
    (folder / "uji.yaml").write_text(GOOD.replace("kind: clock", "kind: jam"))
    with pytest.raises(ConfigError):
        LayoutWatch(with_layouts(config, folder))


def test_healthz_lists_layout_mistakes_and_the_build(config, folder, redis_url, monkeypatch):
    monkeypatch.setenv("CC_BUILD_ID", "uji-build-1")
    app = create_app(with_layouts(config, folder), redis_url)
    with serve(app) as base:
        touch_later(folder / "uji.yaml", GOOD.replace("col: 4, row: 1, height: 2", "col: 9, row: 1, height: 2"))
        deadline = time.monotonic() + 5
        while True:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as resp:
                body = json.loads(resp.read())["dashboard"]
            if body["layouts"]["problems"] or time.monotonic() > deadline:
                break
            time.sleep(0.3)
    assert body["build"] == "uji-build-1"
    assert body["layouts"]["ok"] is False
    # By file name only: /healthz is public, the server's folders are nobody's business.
    assert body["layouts"]["problems"] == ["uji.yaml:6: tiles[2].col: column 9 is outside the grid (1..4)"]
    assert body["layouts"]["screens"] == 2 and body["layouts"]["playlists"] == 1
