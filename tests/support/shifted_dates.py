"""The fast lane on other dates: `python3 run.py test` runs these lanes, `run.py test --dates` runs them alone.

Each lane runs the fast lane (tests/unit and tests/integration, as `run.py test --fast`) with the machine's date
moved by libfaketime (Debian's `faketime`): 400 days back, and at least 400 days ahead from 23:58:30
WIB on the last day of a month, so that WIB midnight and the month's end pass while that lane runs.
A test or code path that carries a date of the day it was written fails here the day it is written,
not months later. The lanes run side by side, each with its own Redis; their logs are kept under
test-results/shifted-dates/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "test-results" / "shifted-dates"
AHEAD = timedelta(days=400)


def month_end_eve(at_least: timedelta, now: datetime | None = None) -> str:
    """faketime's start 90 s before WIB midnight (16:58:30 UTC) on the last day of the first month
    that ends at least `at_least` from now: far from today, and across a day's and a month's end."""
    day = ((now or datetime.now(UTC)) + at_least).date()
    last = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return f"@{last.isoformat()} 16:58:30"


LANES = {
    "400-days-back": "-400d",
    # Two lanes, not three: the lanes share the cores with the fault lane, and one lane can be both
    # far ahead and across WIB midnight at a month's end.
    "400-days-ahead-wib-midnight-month-end": month_end_eve(AHEAD),
}
# Exactly the fast lane (`run.py test --fast`): unit and integration, one pytest each (three lanes
# already share the cores).
FAST_PART = ["tests/unit", "tests/integration", "-q", "-p", "no:cacheprovider",
             # It times a webhook's answer while a workbook is parsed: a latency, no date; beside the
             # fault lane at a low priority it would time the starved machine, not the code.
             "--deselect", "tests/integration/security/test_ingest_abuse_bounds.py::"
                           "test_webhooks_are_answered_while_a_large_workbook_is_read"]


def lane_env() -> dict[str, str]:
    """The environment of a lane (`faketime` adds the shifted date for every process but Redis)."""
    # The monotonic clock is moved too (libfaketime's default): leaving it alone makes Python's
    # time.sleep fail with EINVAL under libfaketime.
    return dict(os.environ, TZ="UTC",
                # Debian's redis-server (jemalloc) hangs under libfaketime; Redis keeps the real
                # date, as a Redis on another host might, and the code must not care.
                CC_REDIS_SERVER=str(ROOT / "tests" / "support" / "redis-server-real-clock"))


def main(pytest_args: list[str]) -> int:
    LOGS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    running = {}
    for name, shift in LANES.items():
        log = open(LOGS / f"{name}.log", "w")
        env = lane_env()
        running[name] = (subprocess.Popen(["faketime", "-f", shift, sys.executable, "-m", "pytest", *FAST_PART,
                                           *pytest_args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT),
                         log)
    print(f"shifted dates: {len(LANES)} lanes ({', '.join(f'{n} {s}' for n, s in LANES.items())})", flush=True)
    failed = []
    for name, (process, log) in running.items():
        code = process.wait()
        log.close()
        lines = (LOGS / f"{name}.log").read_text(errors="replace").splitlines()
        summary = next((line for line in reversed(lines) if " in " in line and ("passed" in line or "failed" in line)),
                       f"exit {code}")
        print(f"shifted dates, {name}: {summary.strip('= ')}", flush=True)
        if code != 0:
            failed.append(name)
            for line in lines:
                if line.startswith(("FAILED", "ERROR")):
                    print(f"  {line}", flush=True)
    took = time.monotonic() - started
    if failed:
        print(f"shifted dates: {len(failed)} lane(s) failed in {took:.0f} s; logs in {LOGS.relative_to(ROOT)}/",
              flush=True)
        return 1
    print(f"shifted dates: every lane passed in {took:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
