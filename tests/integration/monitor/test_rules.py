"""The rules under the screens: retries before DOWN and successes before UP, DEGRADED, maintenance
windows in WIB (one-off, weekly, monthly), the scheduler's spread and its bound on concurrency, and
`run.py check` naming each mistake in `monitors:` by file, line and YAML path."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

import run
from core.clock import WIB, monotonic
from core.config import ConfigError, load_config
from core.monitors import MaintenanceWindow, ServiceCheck
from ingest.monitor.result import CheckResult
from ingest.monitor.scheduler import Scheduler
from ingest.monitor.state import Tracker

ROOT = Path(__file__).resolve().parents[3]
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def feed(tracker: Tracker, *outcomes) -> list[str]:
    """Apply results (True, False or a response time in ms) one a minute; the state after each."""
    out = []
    for i, o in enumerate(outcomes):
        ok = o is not False
        ms = o if isinstance(o, (int, float)) and o is not True else (100.0 if ok else None)
        tracker.apply(CheckResult("sipd", T0 + timedelta(minutes=i), ok, ms, "" if ok else "HTTP 503"))
        out.append(tracker.state)
    return out


def test_down_after_failures_in_a_row_and_up_after_successes():
    svc = ServiceCheck(name="SIPD", kind="http", target="http://sipd/", down_after=3, up_after=2, degraded_ms=800)
    t = Tracker("sipd", svc)
    assert feed(t, True, False, False, False) == ["up", "degraded", "degraded", "down"]
    assert t.reason == "HTTP 503" and t.since == T0 + timedelta(minutes=3)
    assert feed(t, True, False, True, True) == ["down", "down", "down", "up"]  # two good ones in a row
    assert feed(t, 1200.0) == ["degraded"] and t.reason == "lambat: 1200 ms (batas 800 ms)"
    assert feed(t, 200.0) == ["up"]
    # flapping: a failure among the last ten checks keeps it DEGRADED ("gagal sebagian"), never DOWN
    assert feed(t, False, True, False, True)[-1] == "degraded"
    assert t.reason.startswith("gagal sebagian: 2 dari")


def test_maintenance_windows_in_wib():
    weekly = MaintenanceWindow(title="Cadangan", every="week", weekday="minggu", at="01:00", duration="2h")
    start = datetime(2026, 11, 16, tzinfo=WIB)  # a Monday
    spans = weekly.spans(start, start + timedelta(days=14))
    assert [(s.astimezone(WIB).isoformat(), (e - s).total_seconds()) for s, e in spans] == [
        ("2026-11-22T01:00:00+07:00", 7200.0), ("2026-11-29T01:00:00+07:00", 7200.0)]
    monthly = MaintenanceWindow(title="Patch", every="month", day=1, at="23:30", duration="1h")
    # crosses midnight: the part of 1 Dec 23:30 - 2 Dec 00:30 inside the range counts
    spans = monthly.spans(datetime(2026, 12, 2, tzinfo=WIB), datetime(2026, 12, 3, tzinfo=WIB))
    assert [(s.astimezone(WIB).time().isoformat(), (e - s).total_seconds()) for s, e in spans] == [("00:00:00", 1800.0)]
    one_off = MaintenanceWindow(title="Migrasi", start="2026-11-19T02:00", end="2026-11-19T03:00")
    assert one_off.start == datetime(2026, 11, 19, 2, 0, tzinfo=WIB)  # written in WIB


async def test_the_scheduler_spreads_checks_and_bounds_concurrency():
    services = {f"svc-{i:02d}": ServiceCheck(name=f"S{i}", kind="tcp", target="h:1", interval=1.0, timeout=0.5)
                for i in range(40)}
    running, most, starts = 0, 0, []

    async def check(service: str) -> bool:
        nonlocal running, most
        running += 1
        most = max(most, running)
        starts.append(monotonic())
        await asyncio.sleep(0.05)
        running -= 1
        return True

    scheduler = Scheduler(services, check, concurrency=3)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop))
    await asyncio.sleep(2.05)
    stop.set()
    await task
    assert most <= 3
    first = sorted(starts)[:40]
    # spread over the interval (40 in 1 s, at most 3 at once for 50 ms each): never all at the start
    assert first[-1] - first[0] > 0.6
    assert 70 <= len(starts) <= 90


def check(config: dict, path: Path) -> list[str]:
    """The mistakes `run.py check` prints (file:line: path: message), from run.py's own functions."""
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    try:
        return [str(p) for p in run.check(load_config(path), str(path))]
    except ConfigError as err:
        return [str(p) for p in err.problems]


def test_run_check_names_monitor_mistakes_by_yaml_path(tmp_path):
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["dashboard"]["layouts_dir"] = str(ROOT / "layouts")
    monitors = config["monitors"]
    monitors["opds"]["dishub"]["services"]["atcs"]["kind"] = "ftp"
    monitors["opds"]["dinkes"]["services"]["sisrute"]["interval"] = "sebentar"
    path = tmp_path / "config.yaml"
    lines = check(config, path)
    kind = next(line for line in lines if "atcs.kind" in line)
    assert re.match(rf"{re.escape(str(path))}:\d+: monitors.opds.dishub.services.atcs.kind: must be one of "
                    r"'http', 'tcp', 'dns', 'tls', 'push' or 'icmp'$", kind), kind
    assert any(line.endswith("monitors.opds.dinkes.services.sisrute.interval: 'sebentar' is not a duration "
                             "(use e.g. 30s, 5m, 24h, 7d)") for line in lines), lines

    # The shapes right, the references wrong: each named at its own path.
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["dashboard"]["layouts_dir"] = str(ROOT / "layouts")
    monitors = config["monitors"]
    monitors["opds"]["rsud-banten"]["services"]["simrs"]["parent"] = "jaringan-dc-lama"
    monitors["opds"]["bpbd"]["notify"] = ["piket-wa"]
    monitors["maintenance"][0]["services"] = ["pusat-data"]
    monitors["opds"]["bpkad"]["services"]["portal"] = dict(monitors["opds"]["diskominfo"]["services"]["portal"])
    err = "\n".join(check(config, path))
    assert "monitors.opds.rsud-banten.services.simrs.parent: unknown service 'jaringan-dc-lama'" in err
    assert "monitors.opds.bpbd.notify[0]: unknown channel 'piket-wa'" in err
    assert "monitors.maintenance[0].services[0]: unknown service or OPD 'pusat-data'" in err
    assert "monitors.opds.bpkad.services.portal: service id 'portal' is also used by OPD 'diskominfo'" in err


def test_notifications_go_to_the_opds_concerned_and_the_central_channels():
    from ingest.monitor.incidents import IncidentDesk
    from tests.support.monitor import settings

    channel = {"kind": "whatsapp", "url": "http://gateway/send", "to": ["6281200000001"]}
    monitors = settings(
        {"diskominfo": {"name": "Diskominfo SP", "notify": ["wa-kominfo"], "services": {
            "jaringan-dc": {"name": "Jaringan DC", "kind": "tcp", "target": "dc:443"}}},
         "rsud-banten": {"name": "RSUD Banten", "notify": ["wa-rsud"], "services": {
             "simrs": {"name": "SIMRS", "kind": "tcp", "target": "simrs:443", "parent": "jaringan-dc"}}},
         "dishub": {"name": "Dishub", "notify": ["wa-dishub"], "services": {
             "atcs": {"name": "ATCS", "kind": "tcp", "target": "atcs:443"}}}},
        notify=["ruang-kendali"],
        channels={c: channel for c in ("wa-kominfo", "wa-rsud", "wa-dishub", "ruang-kendali")})
    desk = IncidentDesk(monitors, None, None, {})
    # the data center's incident reaches the centre, the data center's OPD and the hospital behind it
    assert desk.channels(["jaringan-dc", "simrs"]) == ["ruang-kendali", "wa-kominfo", "wa-rsud"]
    assert desk.channels(["atcs"]) == ["ruang-kendali", "wa-dishub"]


async def test_a_restarted_monitor_takes_up_each_state_where_it_was(redis_url):
    import aiohttp

    from core.redis import connect_async
    from ingest.monitor.monitor import Monitor
    from tests.support.monitor import settings

    monitors = settings({"bpkad": {"name": "BPKAD", "services": {"sipd": {
        "name": "SIPD", "kind": "http", "target": "http://sipd/", "up_after": 2}}}})
    client = connect_async(redis_url, decode_responses=True)
    async with aiohttp.ClientSession() as session:
        before = Monitor(monitors, client, session)
        for i in range(3):
            await before.apply(CheckResult("sipd", T0 + timedelta(minutes=i), False, None, "HTTP 503"))
        assert before.trackers["sipd"].state == "down"
        after = Monitor(monitors, client, session)  # the role restarted
        await after.restore()
        assert after.trackers["sipd"].state == "down" and after.trackers["sipd"].since == T0 + timedelta(minutes=2)
        await after.apply(CheckResult("sipd", T0 + timedelta(minutes=5), True, 90.0))
        assert after.trackers["sipd"].state == "down"  # up_after 2: one good check is not enough
    await client.aclose()
