"""Every "what time is it" of the project asks core/clock.py, so that tests and seeds can set it.

A reader of the wall clock anywhere else (time.time(), datetime.now(), date.today(), ...) would
ignore a test's clock and bring back the tests that pass on one day and fail on the next.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core import clock

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("core", "ingest", "dashboard")
# A simulated camera is a device of its own with its own clock (and never imports the project).
OWN_CLOCK = {ROOT / "ingest" / "cameras" / "rtsp_server.py"}
# module attribute -> the functions of it that read the date from the wall clock
WALL_CLOCK = {"time": {"time", "time_ns", "localtime", "gmtime", "ctime", "strftime", "asctime"},
              "datetime": {"now", "utcnow", "today"}, "date": {"today"}}


def _wall_clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else None
        if node.func.attr in WALL_CLOCK.get(name, ()):
            # time.strftime(fmt, t) and time.gmtime(t) format a given moment: only the bare forms read the clock
            if name == "time" and node.func.attr in ("localtime", "gmtime", "ctime", "asctime") and node.args:
                continue
            if name == "time" and node.func.attr == "strftime" and len(node.args) > 1:
                continue
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found.append(f"{shown}:{node.lineno}: {name}.{node.func.attr}()")
    return found


def test_no_code_reads_the_wall_clock_but_core_clock():
    files = [ROOT / "run.py"] + [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    reads = [hit for p in files if p not in OWN_CLOCK | {ROOT / "core" / "clock.py"} for hit in _wall_clock_reads(p)]
    assert reads == []


def test_the_scan_sees_each_way_of_reading_the_wall_clock(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import time, datetime as dt\nfrom datetime import date, datetime\n"
                      "a = time.time()\nb = datetime.now()\nc = dt.datetime.utcnow()\nd = date.today()\n"
                      "e = time.strftime('%H', time.gmtime(5))\nf = time.monotonic()\n")
    assert [hit.split(": ")[1] for hit in _wall_clock_reads(sample)] == [
        "time.time()", "datetime.now()", "datetime.utcnow()", "date.today()"]


def test_a_test_can_stop_and_move_the_clock():
    moment = datetime(2027, 1, 31, 16, 59, tzinfo=UTC)
    with clock.frozen(moment) as advance:
        assert clock.utc_now() == moment and clock.timestamp() == moment.timestamp()
        assert clock.wib_now().hour == 23 and clock.wib_today().isoformat() == "2027-01-31"
        advance(timedelta(minutes=2))
        assert clock.wib_today().isoformat() == "2027-02-01"
    with clock.shifted(timedelta(days=400)):
        assert clock.utc_now() - datetime.now(UTC) > timedelta(days=399)
    assert abs(clock.utc_now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_the_site_zone_comes_from_the_config(tmp_path):
    """`site.timezone` moves every WIB reader at config load; the default stays Asia/Jakarta (+07:00)."""
    from core.config import ConfigError, load_config
    from dashboard.text.formatting import wib_time

    shipped = (ROOT / "config.yaml").read_text()
    moment = datetime(2027, 1, 31, 17, 30, tzinfo=UTC)
    assert moment.astimezone(clock.WIB).isoformat() == "2027-02-01T00:30:00+07:00"
    assert moment.astimezone(clock.WIB).strftime("%H.%M %Z") == "00.30 WIB"
    makassar = tmp_path / "config.yaml"
    makassar.write_text(shipped.replace("timezone: Asia/Jakarta", "timezone: Asia/Makassar"))
    try:
        load_config(makassar)
        with clock.frozen(moment):
            assert clock.wib_now().isoformat() == "2027-02-01T01:30:00+08:00"
            assert clock.wib_today().isoformat() == "2027-02-01"
        assert wib_time(moment) == "01.30 WITA"  # screens name the configured zone
    finally:
        load_config(ROOT / "config.yaml")
    assert moment.astimezone(clock.WIB).utcoffset() == timedelta(hours=7) and wib_time(moment) == "00.30 WIB"
    makassar.write_text(shipped.replace("timezone: Asia/Jakarta", "timezone: Asia/Nowhere"))
    try:
        load_config(makassar)
    except ConfigError as err:
        assert "site.timezone" in str(err) and "Asia/Nowhere" in str(err)
    else:
        raise AssertionError("an unknown zone was accepted")
