"""The operator screen's server side: whose alerts and feeds, acknowledging, uploading through the real
ingest HTTP API, and refusing (and auditing) what is not the operator's, whatever the browser sends."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from aiohttp import web
from dash.development.base_component import Component

from core.alerts import Alert, acknowledgement
from core.config import parse_config
from core.redis import connect, connect_async, free_port
from core.streams import ALERTS, AUDIT, active_alerts, alert_ack, feed_stream
from core.users import Account, save_users
from dashboard.auth.access import ANONYMOUS, User, reset_current_user, set_current_user
from dashboard.context import PageContext
from dashboard.live.hub import current_alerts
from dashboard.operator import page as operator
from ingest.http_api import create_api
from ingest.supervisor import Supervisor
from tests.support.app import known_hash
from tests.support.paths import PAYLOADS

INTERNAL = "internal-token-0123456789abcdef"
SITI = User(name="siti.disperindag", role="operator", display="Siti (Disperindag)", feeds=frozenset({"harga"}),
            applications=frozenset({"e-disikap"}))
BUDI = User(name="budi.dinkes", role="operator", feeds=frozenset({"beds"}), applications=frozenset({"e-yankes"}))
ADMIN = User(name="admin", role="admin")
PRICE = Alert("price_above_reference:3673:panel:cabai", "price", "warning",
              "Cabai rawit di Pasar Rau Rp 62.150, di atas HAP",
              "e-disikap", "3673", "pasar-rau")
BEDS = Alert("bed_occupancy:RS01", "bed_occupancy", "critical", "RSUD Banten terisi 96 %", "e-yankes", "3604", "RS01")


def config(ingest_port: int, users_file: str = "var/no-such-users.yaml"):
    feed = {"source_id": "{kode_wilayah}-{pasar}-{commodity_key}-{tanggal}", "region": "kode_wilayah",
            "event_time": "tanggal", "fields": {"commodity": "text", "harga": "number", "price_type_id": "integer"},
            "upload": True}
    return parse_config({
        "ingest": {"port": ingest_port, "internal_token": INTERNAL},
        # Ingest checks a forwarded upload's operator against the accounts (written by `site`).
        "auth": {"users_file": users_file},
        "feeds": {
            "harga": {"kind": "pihps", "application": "e-disikap", "title": "Harga pasar (unggahan)",
                      "url": "http://127.0.0.1:9/pihps/grid", **feed},
            "harga_kab": {"kind": "pihps", "application": "e-disikap", "title": "Harga pasar kabupaten",
                          "url": "http://127.0.0.1:9/pihps/grid", **feed},
            "beds": {"kind": "http_json", "application": "e-yankes", "url": "http://127.0.0.1:9/api/bed",
                     "source_id": "{kode_rs}", "fields": {"kode_rs": "text"}, "upload": True}}})


@pytest.fixture
async def site(redis_url, tmp_path):
    """The real ingest HTTP API on a free port, and the operator page's context against the same config."""
    port = free_port()
    users = tmp_path / "users.yaml"
    save_users(users, {u.name: Account(role=u.role, password=known_hash("kata-sandi-uji-1"), feeds=sorted(u.feeds))
                       for u in (SITI, BUDI, ADMIN)})
    cfg = config(port, str(users))
    client = connect_async(redis_url, decode_responses=True)
    runner = web.AppRunner(create_api(Supervisor(cfg, client), client, redis_url))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    sync = connect(redis_url, decode_responses=True)
    yield PageContext(cfg, {}, None, None, sync, redis_url)
    sync.close()
    await runner.cleanup()
    await client.aclose()


def data_url(path: Path) -> str:
    return "data:text/csv;base64," + base64.b64encode(path.read_bytes()).decode()


def raise_alerts(r, *alerts: Alert) -> None:
    for alert in alerts:
        r.hset(active_alerts(), alert.alert_id, alert.encode())
        r.xadd(ALERTS, alert.entry("raised"))


def texts(component) -> list[str]:
    """Every text in a component tree, as a browser would show it."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [t for c in component for t in texts(c)]
    if isinstance(component, Component):
        return texts(getattr(component, "children", None) or [])
    return []


def by_id(component, found=None) -> dict:
    found = {} if found is None else found
    if isinstance(component, (list, tuple)):
        for c in component:
            by_id(c, found)
    elif isinstance(component, Component):
        cid = getattr(component, "id", None)
        if cid is not None:
            found[str(cid) if isinstance(cid, str) else repr(sorted(cid.items()))] = component
        by_id(getattr(component, "children", None), found)
    return found


async def test_an_operator_uploads_a_good_file_for_their_feed(site):
    outcome = await operator.upload_file(site, SITI, "harga", data_url(PAYLOADS / "harga_unggah_ok.csv"), "harga.csv")
    assert outcome.ok and (outcome.rows, outcome.accepted) == (4, 4)
    assert site.redis.xlen(feed_stream("harga")) == 4
    shown = " ".join(texts(operator.result_view(outcome, "id")))
    assert shown == "Berkas diterima: 4 baris (4 baru, 0 duplikat)."
    [upload] = operator.recent_uploads(site.redis, {"harga"})
    assert (upload.who, upload.accepted, upload.feed_id) == ("siti.disperindag", True, "harga")


async def test_a_file_with_errors_writes_nothing_and_shows_each_row_and_column(site):
    outcome = await operator.upload_file(site, SITI, "harga", data_url(PAYLOADS / "harga_unggah_2_salah_cp1252.csv"),
                                         "harga.csv")
    assert outcome.status == "rows_refused" and site.redis.xlen(feed_stream("harga")) == 0
    assert [(p.row, p.column) for p in outcome.problems] == [(7, "harga"), (8, "kode_wilayah"), (8, "tanggal")]
    view = operator.result_view(outcome, "en")
    assert texts(view[0]) == ["File refused: 3 errors in 7 rows. Nothing was stored."]
    rows = view[1].children[1].children
    assert [texts(row) for row in rows][0] == ["7", "harga", "'13.3OO' bukan angka"]
    assert [texts(cell)[0] for cell in view[1].children[0].children.children] == ["Row", "Column", "Error"]


async def test_another_agencys_feed_is_refused_and_audited(site):
    # Budi (hospital beds) edits the request to send his file to the market prices feed.
    outcome = await operator.upload_file(site, BUDI, "harga", data_url(PAYLOADS / "harga_unggah_ok.csv"), "x.csv")
    assert outcome.status == "forbidden"
    assert texts(operator.result_view(outcome, "id")) == ["Anda tidak boleh mengunggah ke feed ini."]
    assert site.redis.xlen(feed_stream("harga")) == 0
    [(_, entry)] = site.redis.xrange(AUDIT)
    assert (entry["who"], entry["action"], entry["target"], entry["outcome"]) == (
        "budi.dinkes", "upload_refused", "feed:harga", "refused")
    # Nobody signed in, or a feed that takes no uploads, the same.
    assert (await operator.upload_file(site, ANONYMOUS, "harga", "data:;base64,", "x.csv")).status == "forbidden"
    assert (await operator.upload_file(site, ADMIN, "nope", "data:;base64,", "x.csv")).status == "forbidden"
    assert [f["action"] for _, f in site.redis.xrange(AUDIT)] == ["upload_refused"] * 3


async def test_acknowledging_keeps_who_and_when_and_takes_the_alert_off_the_wall(site):
    r = site.redis
    raise_alerts(r, PRICE, BEDS)
    done, message = operator.acknowledge_alert(site, SITI, PRICE.alert_id, "id")
    assert done
    assert message.startswith("Diterima: Cabai rawit di Pasar Rau Rp 62.150, di atas HAP (oleh siti.disperindag, ")
    ack = acknowledgement(r, PRICE.alert_id)
    assert ack["who"] == "siti.disperindag" and ack["at"].endswith("Z")
    audit = [f for _, f in r.xrange(AUDIT)]
    assert [(a["who"], a["action"], a["target"]) for a in audit] == [
        ("siti.disperindag", "acknowledge", f"alert:{PRICE.alert_id}")]
    # Off the walls' alert strip; the hospital's alert stays there.
    strip = [f["message"] for _, f in current_alerts(r.xrevrange(ALERTS))]
    assert strip == [BEDS.message]
    # Siti's screen: nothing pending, the price alert under "acknowledged"; Budi's alert is not hers.
    pending, acked, _ = operator.read_state(site, SITI)
    assert pending == [] and [(a.alert_id, k["who"]) for a, k in acked] == [(PRICE.alert_id, "siti.disperindag")]
    pending, _, _ = operator.read_state(site, ADMIN)
    assert [a.alert_id for a in pending] == [BEDS.alert_id]


async def test_acknowledging_another_agencys_alert_is_refused_and_audited(site):
    r = site.redis
    raise_alerts(r, BEDS)
    done, message = operator.acknowledge_alert(site, SITI, BEDS.alert_id, "en")
    assert not done and message == "That alert is not from your application; not acknowledged."
    assert not r.exists(alert_ack(BEDS.alert_id))
    [(_, entry)] = r.xrange(AUDIT)
    assert (entry["who"], entry["action"], entry["target"], entry["outcome"]) == (
        "siti.disperindag", "refused", f"alert:{BEDS.alert_id}", "refused")
    assert operator.acknowledge_alert(site, ANONYMOUS, BEDS.alert_id, "id")[0] is False
    assert operator.acknowledge_alert(site, SITI, "no-such-alert", "id") == (False, "Peringatan itu sudah tidak aktif.")


async def test_the_page_shows_only_the_operators_own_alerts_and_upload_forms(site):
    raise_alerts(site.redis, PRICE, BEDS)
    token = set_current_user(SITI)
    try:
        page, meta = operator.route("/operator", "", None, site)
    finally:
        reset_current_user(token)
    ids = by_id(page)
    assert meta["page"] == "operator"
    alerts = texts(ids["op-alerts"])
    assert PRICE.message in alerts and BEDS.message not in alerts
    # Siti uploads market prices for "harga" only: not the other market feed, not hospital beds.
    assert [k for k in ids if "'op-upload')" in k] == ["[('feed', 'harga'), ('type', 'op-upload')]"]
    assert "Masuk sebagai Siti (Disperindag) · Harga Pangan" in texts(page)

    token = set_current_user(ANONYMOUS)
    try:
        page, _ = operator.route("/operator", "?lang=en", None, site)
    finally:
        reset_current_user(token)
    assert texts(page) == ["This page is for agency operators and admins."]
