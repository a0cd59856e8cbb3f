"""Each check kind against a real local server: what it reports when the system is fine and why it
fails when it is not (the reason an operator reads on /it)."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from core.clock import utc_now
from core.monitors import ServiceCheck
from core.redis import connect_async, free_port
from core.streams import monitor_heartbeat, to_iso
from ingest.demo.opd_systems import start_dns
from ingest.monitor.checks import KINDS
from ingest.monitor.checks.context import CheckContext
from ingest.monitor.checks.icmp import NOT_PERMITTED, permitted


def service(**kw) -> ServiceCheck:
    return ServiceCheck.model_validate({"name": "Layanan uji", "interval": 5, "timeout": 2, **kw})


async def run(svc: ServiceCheck, redis=None, service_id: str = "uji"):
    async with aiohttp.ClientSession() as session:
        return await KINDS[svc.kind].check(service_id, svc, CheckContext(session, redis))


async def test_http_success_status_keyword_and_json_conditions(systems):
    ok = await run(service(kind="http", target=systems.url("sehat"), keyword='"status": "ok"',
                           json_conditions=[{"path": "status", "equals": "ok"}]))
    assert ok.ok and ok.ms is not None and ok.ms > 0 and ok.reason == ""
    systems.force("portal", "down")
    down = await run(service(kind="http", target=systems.url("portal")))
    assert not down.ok and down.reason == "HTTP 503 (diharapkan 200)"
    missing = await run(service(kind="http", target=systems.url("sehat"), keyword="Selamat datang"))
    assert not missing.ok and missing.reason == "kata kunci 'Selamat datang' tidak ada di jawaban"
    wrong = await run(service(kind="http", target=systems.url("sehat"),
                              json_conditions=[{"path": "layanan", "equals": ["lpse", "spse"]}]))
    assert not wrong.ok and wrong.reason == "JSON: layanan = 'sehat', diharapkan ['lpse', 'spse']"


async def test_http_timeout_and_refused_connection(systems):
    systems.force("macet", "hang")
    hung = await run(service(kind="http", target=systems.url("macet"), timeout=0.5))
    assert not hung.ok and hung.reason == "waktu habis (timeout)"
    closed = await run(service(kind="http", target=f"http://127.0.0.1:{free_port()}/"))
    assert not closed.ok and closed.reason.startswith("tidak dapat terhubung")


async def test_https_reports_the_certificate_and_refuses_an_untrusted_one(systems):
    untrusted = await run(service(kind="http", target=systems.url("sehat", tls=True)))
    assert not untrusted.ok and untrusted.reason.startswith("sertifikat TLS ditolak")
    ok = await run(service(kind="http", target=systems.url("sehat", tls=True), verify_tls=False))
    assert ok.ok
    left = ok.cert_expires - utc_now()
    assert timedelta(days=5, hours=23) < left <= timedelta(days=6)


async def test_tls_expiry_fails_within_the_down_days(systems):
    flagged = await run(service(kind="tls", target=systems.url("x", tls=True), verify_tls=False))
    assert flagged.ok and flagged.cert_expires is not None
    expiring = await run(service(kind="tls", target=systems.url("x", tls=True), verify_tls=False,
                                 expiry_down_days=7))
    assert not expiring.ok and "sertifikat berakhir" in expiring.reason and "(6 hari)" in expiring.reason


async def test_tcp_open_and_closed_ports(systems):
    assert (await run(service(kind="tcp", target=f"127.0.0.1:{systems.http_port}"))).ok
    closed = await run(service(kind="tcp", target=f"127.0.0.1:{free_port()}"))
    assert not closed.ok and closed.reason


async def test_dns_against_a_real_server():
    port = free_port()
    transport = await start_dns("127.0.0.1", port, {"simrs.rsud.bantenprov.go.id": "10.36.1.20"})
    try:
        resolver = f"127.0.0.1:{port}"
        ok = await run(service(kind="dns", target="simrs.rsud.bantenprov.go.id", resolver=resolver,
                               expect="10.36.1.20"))
        assert ok.ok and ok.ms is not None
        moved = await run(service(kind="dns", target="simrs.rsud.bantenprov.go.id", resolver=resolver,
                                  expect="10.36.1.21"))
        assert not moved.ok and moved.reason == "jawaban 10.36.1.20 tanpa 10.36.1.21"
        gone = await run(service(kind="dns", target="sirs.rsud.bantenprov.go.id", resolver=resolver))
        assert not gone.ok and "NXDOMAIN" in gone.reason
    finally:
        transport.close()


async def test_push_heartbeat(redis_url):
    client = connect_async(redis_url)
    svc = service(kind="push", token="cron-token-0123456789", interval=60)
    try:
        never = await run(svc, client, "backup-harian")
        assert not never.ok and "belum pernah melapor" in never.reason
        await client.set(monitor_heartbeat("backup-harian"), to_iso(utc_now() - timedelta(seconds=10)))
        assert (await run(svc, client, "backup-harian")).ok
        await client.set(monitor_heartbeat("backup-harian"), to_iso(utc_now() - timedelta(seconds=90)))
        silent = await run(svc, client, "backup-harian")
        assert not silent.ok and silent.reason == "tidak ada heartbeat selama 90 detik"
    finally:
        await client.aclose()


async def test_icmp_where_permitted():
    result = await run(service(kind="icmp", target="127.0.0.1"))
    if permitted():
        assert result.ok and result.ms is not None
    else:  # the check says why instead of reporting the host down for a wrong reason
        assert not result.ok and result.reason == NOT_PERMITTED


def test_a_check_needs_a_target_that_fits_its_kind():
    with pytest.raises(ValueError, match="tcp check needs host:port"):
        service(kind="tcp", target="simrs.rsud")
    with pytest.raises(ValueError, match="push check needs a token"):
        service(kind="push")
    with pytest.raises(ValueError, match="timeout: must not be longer than the interval"):
        service(kind="http", target="http://x/", interval=5, timeout=10)
