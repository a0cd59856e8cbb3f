"""The live hub reads real Redis once for the process; pages get only what changed, rate-limited."""

import asyncio
from datetime import timedelta

import pytest

from core.health import FeedHealth
from core.redis import EmbeddedRedis, connect, free_port
from core.streams import ALERTS, KPI_UPDATES, KpiValue, to_iso, utc_now
from dashboard.live.hub import LiveHub, Pusher
from dashboard.live.snapshot import Frame, RedisStatus, Snapshot, StreamAlert
from dashboard.tiles import alerts, metric
from dashboard.tiles import map as map_tile
from dashboard.tiles.base import WallContext, metric_freshness
from dashboard.tiles.map import MapPaint, load_geometry, paint
from tests.support.sample import write_figure, write_wall


async def wait_for(condition, timeout=2.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


async def test_snapshot_holds_figures_health_and_alerts_from_redis(config, redis_url, r):
    now = utc_now()
    write_wall(r, config, now)
    hub = LiveHub(config, redis_url)
    await hub.start(wait_first_read=2)
    try:
        snap = hub.snapshot
        assert snap.redis.ok and snap.read_at is not None
        assert snap.kpis["harga_beras"].value == pytest.approx(13_312.5)
        assert snap.kpis["harga_beras"].regions["3674"] == 13_750
        assert snap.health["lpse_tender"].last_success < now - timedelta(minutes=24)
        assert [a.severity for a in snap.alerts] == ["info", "warning"]  # newest first
        assert snap.alerts[0].message.startswith("Harga cabai rawit merah")
    finally:
        await hub.stop()


async def test_a_kpi_update_wakes_the_hub_at_once(config, redis_url, r):
    hub = LiveHub(config, redis_url)
    await hub.start(wait_first_read=2)
    try:
        version = hub.snapshot.version
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        write_figure(r, "pengaduan_24j", 51, utc_now(), {"3673": 9})
        await hub.wait_change(version, timeout=2)
        assert hub.snapshot.kpis["pengaduan_24j"].value == 51
        assert loop.time() - t0 < 0.5  # woken by XREAD, not by the 1 s tick
        r.xadd(ALERTS, {"message": "Banjir di Kota Serang", "severity": "critical", "at": to_iso(utc_now())})
        await wait_for(lambda: hub.snapshot.alerts and hub.snapshot.alerts[0].message == "Banjir di Kota Serang")
    finally:
        await hub.stop()


async def test_channels_move_when_the_streams_name_them(config, redis_url, r):
    """An application's figures, an alert, a meeting room moved by its presenter, a playlist moved by
    the remote and an upload each wake the pages that wait on their channel at once; an entry wakes
    only the channels it names."""
    from core import audit
    from dashboard.live.channels import ALERTS_CHANNEL, APPS, PLAYLISTS, UPLOADS, app_channel, control_channel
    from dashboard.meeting.state import change
    from dashboard.walls.playlist import Item, Playlist, apply

    hub = LiveHub(config, redis_url)
    await hub.start(wait_first_read=2)
    try:
        await asyncio.sleep(0.2)  # the follower has found where each stream ends
        watched = (APPS, app_channel("e-pormas"), app_channel("e-yankes"), ALERTS_CHANNEL,
                   control_channel("meeting:utama"))
        before = {name: hub.channel(name).version for name in watched}
        moved = lambda: {n for n in watched if hub.channel(n).version != before[n]}  # noqa: E731
        r.xadd(KPI_UPDATES, {"app": "e-pormas", "regions": "36,3601", "updated": to_iso(utc_now())})
        await wait_for(lambda: moved() == {APPS, app_channel("e-pormas")}, timeout=1)
        r.xadd(ALERTS, {"message": "Banjir di Kota Serang", "severity": "critical", "at": to_iso(utc_now())})
        await wait_for(lambda: ALERTS_CHANNEL in moved(), timeout=1)
        await asyncio.to_thread(change, connect(redis_url, decode_responses=True), "utama", config, "gubernur",
                                topic="e-yankes")
        await wait_for(lambda: control_channel("meeting:utama") in moved(), timeout=1)
        assert app_channel("e-yankes") not in moved()  # the room shows e-Yankes; its figures did not change
        playlists = hub.channel(PLAYLISTS).version
        rotation = Playlist("putaran", "Putaran", None, (Item(screen="command-center", seconds=30),))
        await asyncio.to_thread(apply, connect(redis_url, decode_responses=True), rotation, "pause", None, "sari")
        await wait_for(lambda: hub.channel(PLAYLISTS).version != playlists, timeout=1)
        uploads = hub.channel(UPLOADS).version
        audit.record(r, "budi", "upload", target="feed:harga_pihps", detail="4 baris")
        await wait_for(lambda: hub.channel(UPLOADS).version != uploads, timeout=1)
    finally:
        await hub.stop()


async def test_a_page_reloaded_on_a_new_connection_takes_its_line_over():
    """After a reconnect Dash starts the page's push again: the old one ends, the new one keeps what
    the page asked (the governor's map mode), and a page's callbacks reach only a running push."""
    from dashboard.live.line import Line, OpenPages

    pages = OpenPages()
    first, second = Line({"id": "p1"}, lambda: False), Line({"id": "p1"}, lambda: False)
    seen = []

    async def push(line):
        while not line.closed():
            seen.append((line is first, line.asked.get("mode")))
            version = line.changed.version
            await line.changed.wait(version, 1)

    old = asyncio.create_task(pages.run(first, push))
    await wait_for(lambda: seen)
    assert pages.ask("p1", mode="e-bansos") and not pages.ask("other", mode="status")
    await wait_for(lambda: seen[-1] == (True, "e-bansos"))
    new = asyncio.create_task(pages.run(second, push))
    await asyncio.wait_for(old, 2)  # taken over: the first push ended
    await wait_for(lambda: seen[-1] == (False, "e-bansos"))
    assert len(pages) == 1
    second.is_shutdown = lambda: True
    second.changed.bump()
    await asyncio.wait_for(new, 2)
    assert len(pages) == 0


async def test_redis_outage_keeps_the_last_snapshot_and_recovers(config, tmp_path):
    port = free_port()
    server = EmbeddedRedis(tmp_path / "r", port=port).start()
    client = connect(server.url, decode_responses=True)
    write_figure(client, "harga_beras", 13_300, utc_now(), {"3673": 13_300})
    hub = LiveHub(config, server.url)
    await hub.start(wait_first_read=2)
    try:
        assert hub.snapshot.kpis["harga_beras"].value == 13_300
        server.stop()
        await wait_for(lambda: not hub.snapshot.redis.ok, timeout=3)
        assert hub.snapshot.redis.down_since is not None
        assert hub.snapshot.kpis["harga_beras"].value == 13_300  # the last data stays
        server = EmbeddedRedis(tmp_path / "r", port=port).start()
        client = connect(server.url, decode_responses=True)
        write_figure(client, "harga_beras", 13_450, utc_now(), {"3673": 13_450})
        await wait_for(lambda: hub.snapshot.redis.ok and hub.snapshot.kpis["harga_beras"].value == 13_450, 5)
    finally:
        await hub.stop()
        server.stop()


def test_freshness_takes_the_later_time_and_judges_staleness(config):
    now = utc_now()
    old_figure = KpiValue("kemiskinan", 5.7, now - timedelta(days=40), {}, 9)
    polled = FeedHealth("bps_indikator", "ok", 1800, last_success=now - timedelta(seconds=12))
    snap = Snapshot(kpis={"kemiskinan": old_figure}, health={"bps_indikator": polled})
    fresh = metric_freshness("kemiskinan", Frame(snap, now), config)
    assert fresh.updated == polled.last_success and not fresh.stale
    assert fresh.age_text("id") == "12 dtk lalu"
    # Past the feed's stale_after (30 min for bps_indikator): stale.
    assert metric_freshness("kemiskinan", Frame(snap, now + timedelta(minutes=31)), config).stale
    # The feed failing, or Redis unreachable: stale at once.
    failing = Snapshot(kpis=snap.kpis, health={"bps_indikator": FeedHealth("bps_indikator", "error", 1800,
                                                                             last_success=now)})
    assert metric_freshness("kemiskinan", Frame(failing, now), config).stale
    cut_off = Snapshot(kpis=snap.kpis, health=snap.health, redis=RedisStatus(ok=False, down_since=now))
    assert metric_freshness("kemiskinan", Frame(cut_off, now), config).stale
    # No data at all.
    assert metric_freshness("harga_beras", Frame(Snapshot(), now), config).stale


def test_metric_tile_leaves(config):
    now = utc_now()
    snap = Snapshot(kpis={"harga_beras": KpiValue("harga_beras", 13_312.5, now, {"3601": 13_150, "3674": 13_750}, 8)},
                    health={"panel_harga": FeedHealth("panel_harga", "ok", 180, last_success=now)})
    tile = metric.Tile(id="beras", kind="metric", metric="harga_beras", col=1, row=1)
    leaves = metric.leaves(tile, WallContext(config), Frame(snap, now))
    assert leaves[("tile-beras-value", "children")] == "Rp 13.312"
    assert leaves[("tile-beras", "data-updated")] == to_iso(now)
    assert leaves[("tile-beras", "data-stale")] == "false"
    assert leaves[("tile-beras-sub", "children")] == "2 dari 8 kab/kota"
    assert leaves[("tile-beras-extreme", "children")] == "Tertinggi: Tangsel Rp 13.750"
    english = metric.leaves(tile, WallContext(config, "en"), Frame(snap, now))
    assert english[("tile-beras-sub", "children")] == "2 of 8 regencies/cities"


def test_alert_strip_says_what_is_wrong_in_plain_indonesian(config):
    now = utc_now().replace(hour=7, minute=30)  # 14.30 WIB
    health = {
        "panel_harga": FeedHealth("panel_harga", "ok", 180, last_success=now - timedelta(minutes=28)),
        "lpse_tender": FeedHealth("lpse_tender", "error", 600, last_success=now - timedelta(minutes=5),
                                  last_error="HTTP 503", last_error_at=now),
        "cctv_daftar": FeedHealth("cctv_daftar", "ok", 120, last_success=now),
    }
    stream = (StreamAlert("2-0", "Panel harga pangan: tidak mengirim data", "warning", now, "panel_harga"),
              StreamAlert("1-0", "Lonjakan pengaduan di Lebak", "warning", now - timedelta(minutes=3), "lapor_banten"))
    snap = Snapshot(health=health, alerts=stream, redis=RedisStatus(ok=False, down_since=now - timedelta(minutes=1)))
    problems = alerts.current_problems(Frame(snap, now), config, "id")
    messages = [p.message for p in problems]
    assert messages == [
        "Koneksi ke server data (Redis) terputus sejak 14.29 WIB",
        "Feed Tender LPSE Provinsi Banten (SPSE) gagal sejak 14.25 WIB: HTTP 503",
        "Feed Panel harga pangan (Bapanas) per kab/kota tidak mengirim data sejak 14.02 WIB",
        "Lonjakan pengaduan di Lebak",  # the stream's alert about panel_harga is already said above
    ]
    tile = alerts.Tile(id="a", kind="alerts", col=1, row=1, max_items=2)
    leaves = alerts.leaves(tile, WallContext(config), Frame(snap, now))
    assert leaves[("tile-a-more", "children")] == "+2 lainnya"
    assert leaves[("tile-a-time-0", "children")] == "TERPUTUS"


def test_map_paint_patches_only_what_changed(config):
    geometry = load_geometry(config)
    now = utc_now()
    tile = map_tile.Tile(id="peta", kind="map", metric="harga_beras", col=1, row=1)
    ctx = WallContext(config, "id", geometry)
    first = paint(tile, ctx, Frame(Snapshot(kpis={"harga_beras": KpiValue("harga_beras", 1, now, {
        "3601": 13_000, "3674": 14_000}, 2)}), now))
    second = paint(tile, ctx, Frame(Snapshot(kpis={"harga_beras": KpiValue("harga_beras", 1, now, {
        "3601": 13_000, "3674": 14_500}, 2)}), now))
    assert isinstance(first, MapPaint) and first.colors == second.colors  # same ranks, same colours
    assert first.labels != second.labels
    ops = second.as_patch(first).to_plotly_json()["operations"]
    assert all(op["location"][-1] == "text" for op in ops)
    full = first.figure()
    assert len(full["data"]) == len(geometry.regions) + 1 if geometry.mode == "polygons" else 2
    assert all(t["type"] == "scatter" for t in full["data"])  # never geo/MapLibre traces: they need internet


def test_pusher_sends_differences_at_most_push_rate_a_second():
    sent = []
    pusher = Pusher(push_rate=4)
    send = lambda cid, props: sent.append((cid, props))  # noqa: E731
    assert pusher.push({"t": {("v", "children"): "1"}}, 0.0, send) is None
    assert pusher.push({"t": {("v", "children"): "1"}}, 0.01, send) is None  # unchanged: nothing sent
    for i, at in enumerate((0.1, 0.2, 0.3), start=2):
        pusher.push({"t": {("v", "children"): str(i)}}, at, send)
    assert [p["children"] for _, p in sent] == ["1", "2", "3", "4"]
    due = pusher.push({"t": {("v", "children"): "5"}}, 0.4, send)  # 5th within a second: held back
    assert due == pytest.approx(1.0) and len(sent) == 4
    pusher.push({"t": {("v", "children"): "6"}}, 1.0, send)  # the latest value goes when due
    assert sent[-1] == ("v", {"children": "6"})
    pusher.push({"": {("wall", "data-tick"): "a"}}, 1.0, send)  # page-wide parts are never held
    assert sent[-1] == ("wall", {"data-tick": "a"})


def test_the_map_figure_has_its_own_slower_group(config):
    from dashboard.walls import page as wall
    from dashboard.walls.layout import load_layouts

    screen = load_layouts(config)["command-center"]
    ctx = WallContext(config, "id", load_geometry(config))
    groups = wall.render(screen, ctx, Frame(Snapshot(), utc_now()))
    assert set(groups["peta#figure"]) == {("tile-peta-graph", "figure")}
    assert ("tile-peta-age", "children") in groups["peta"]
    rates = wall.rates(screen, 4)
    assert rates["peta#figure"] == 1.0
    sent = []
    pusher = Pusher(4, rates)
    send = lambda cid, props: sent.append(props)  # noqa: E731
    pusher.push({"peta#figure": {("g", "figure"): 1}}, 0.0, send)
    assert pusher.push({"peta#figure": {("g", "figure"): 2}}, 0.5, send) == pytest.approx(1.0)
    assert sent == [{"figure": 1}]


def test_a_resolved_or_acknowledged_rule_alert_leaves_the_wall():
    from dashboard.live.hub import current_alerts

    newest_first = [
        ("4-0", {"alert_id": "lpse:T9", "state": "raised", "message": "Tender T9 lewat jadwal"}),
        ("3-0", {"alert_id": "harga:3673:cabai", "state": "resolved", "message": "Harga cabai kembali normal"}),
        ("2-1", {"alert_id": "tt:RS01", "state": "acknowledged", "message": "Diterima oleh budi: RSUD Banten penuh"}),
        ("2-0", {"alert_id": "lpse:T9", "state": "acknowledged", "message": "Diterima oleh budi: Tender T9"}),
        ("1-0", {"alert_id": "harga:3673:cabai", "state": "raised", "message": "Harga cabai naik 21 %"}),
        ("0-0", {"alert_id": "tt:RS01", "state": "raised", "message": "RSUD Banten penuh"}),
        ("0-1", {"message": "Feed LPSE: pulih"}),
    ]
    shown = [fields["message"] for _, fields in current_alerts(newest_first)]
    # An operator has RSUD Banten in hand; the tender was raised again after its acknowledgement.
    assert shown == ["Tender T9 lewat jadwal", "Feed LPSE: pulih"]
