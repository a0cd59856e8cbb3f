"""The test lanes as `python3 run.py test` runs them (CI runs the same command), one folder each.

    ruff         the linter, with the project's config (pyproject.toml)
    unit         tests/unit: no Redis, no network, no subprocess
    integration  tests/integration: real Redis, real HTTP in this process, short `run.py` commands
    faults       tests/faults: the Redis primary, an ingest process and a dashboard process killed under load
    browser      tests/browser: real Chromium against an app served in the test process
    system       tests/system: the whole `run.py all`, cameras behind real RTSP servers, and tests that
                 wait on real time by design (Redis away, the monitor's notifications)
    dates        unit + integration again under libfaketime: 400 days back, 400+ ahead across a WIB midnight

`run.py test --fast` runs unit and integration alone, side by side (unit tests need only CPU, the
integration ones mostly wait on sockets). Every lane runs even when one before it failed, each prints
its time, and the command fails if any lane failed. Browser, system and fault tests wait on real
time (a wall updating within 2 s, a failover within 5 s), so they run in the foreground one at a
time. The date lanes run beside the fault lane at a low priority (`nice`): the faults' processes
take the CPU they need first, and the browser lane starts only when the date lanes are done, since
on two cores a browser test starved of CPU misses its deadlines. CC_TEST_SERIAL=1 runs everything
one after another.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
FAST_LANES = ("unit", "integration")
SLOWEST = ["--durations=8", "--durations-min=5"]
# The date lanes (tests/support/shifted_dates.py) run beside the fault lane at this niceness: the
# scheduler gives them a small share while the faults are busy, all the idle time otherwise.
BACKGROUND_NICENESS = 15


def workers() -> list[str]:
    """pytest-xdist for the integration lane: two workers per core (its tests wait on sockets and real
    time as much as they compute), at most 4, each taking whole files (a module's tests share a
    served app and some build on the one before). Plain pytest when xdist is missing, as in an
    environment set up before it joined the test lock."""
    if find_spec("xdist") is None:
        return []
    return ["-n", str(max(2, min(2 * (os.cpu_count() or 1), 4))), "--dist", "loadfile"]


def lane_commands(extra: list[str]) -> dict[str, list[str]]:
    """The command of each lane; `extra` goes to every pytest lane."""
    return {
        "ruff": [sys.executable, "-m", "ruff", "check", "."],
        # Unit tests take a few seconds: starting xdist workers would cost more than it saves.
        "unit": [*PYTEST, "tests/unit", *extra],
        "integration": [*PYTEST, *workers(), "tests/integration", *extra],
        # The lanes that wait on real time name their slowest tests: where the suite's minutes go.
        "faults": [*PYTEST, "-s", *SLOWEST, "tests/faults", *extra],
        "browser": [*PYTEST, *SLOWEST, "tests/browser", *extra],
        "system": [*PYTEST, *SLOWEST, "tests/system", *extra],
        "dates": [sys.executable, "-m", "tests.support.shifted_dates", *extra],
    }


LOGS = ROOT / "test-results" / "lanes"


@dataclass
class Lane:
    name: str
    command: list[str]
    niceness: int = 0
    may_be_empty: bool = False
    beside: bool = False  # runs beside a foreground lane: its output goes to a log, shown when it ends
    started: float = field(default=0.0)
    ended: float = field(default=0.0)
    process: subprocess.Popen | None = None
    code: int | None = None
    took: float = 0.0

    def start(self) -> Lane:
        command = self.command
        if self.niceness and shutil.which("nice"):
            command = ["nice", "-n", str(self.niceness), *command]
        shown = self.command[2:] if self.command[0] == sys.executable else self.command  # past "python -m"
        where = (" (beside the next lane" + (f", nice {self.niceness}" if self.niceness else "") + ")"
                 if self.beside else "")
        print(f"\n=== lane {self.name}: {' '.join(shown)}{where}", flush=True)
        self.started = time.monotonic()
        out = None
        if self.beside:
            LOGS.mkdir(parents=True, exist_ok=True)
            out = open(LOGS / f"{self.name}.log", "w")
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT if out else None)
        if out:
            out.close()
        threading.Thread(target=self._note_end, daemon=True).start()
        return self

    def _note_end(self) -> None:
        # A lane beside another ends on its own time, not when the runner gets round to it.
        self.process.wait()
        self.ended = time.monotonic()

    def wait(self) -> Lane:
        self.code = self.process.wait()
        if self.code == 5 and self.may_be_empty:  # pytest: the arguments chose nothing in this lane
            self.code = 0
        while not self.ended:
            time.sleep(0.01)
        self.took = self.ended - self.started
        if self.beside:
            print(f"\n=== lane {self.name} (ran beside the others; log {(LOGS / self.name).relative_to(ROOT)}.log):",
                  flush=True)
            print((LOGS / f"{self.name}.log").read_text(errors="replace").rstrip(), flush=True)
        word = "passed" if self.code == 0 else f"FAILED (exit {self.code})"
        print(f"=== lane {self.name}: {word} in {self.took:.0f} s", flush=True)
        return self


def run(steps: list[tuple[str, ...]], extra: list[str]) -> int:
    """Run the steps in order. A step of several lanes runs them side by side: the last in the
    foreground, the others beside it (captured; a date lane at a low priority), all waited for before
    the next step. Prints a summary."""
    commands = lane_commands(extra)
    serial = os.environ.get("CC_TEST_SERIAL") == "1"
    started = time.monotonic()
    done: list[Lane] = []
    for step in steps:
        if serial:
            done += [Lane(name, commands[name], may_be_empty=bool(extra)).start().wait() for name in step]
            continue
        beside = []
        for name in step[:-1]:
            lane = Lane(name, commands[name], may_be_empty=bool(extra), beside=True,
                        niceness=BACKGROUND_NICENESS if name == "dates" else 0).start()
            beside.append(lane)
        done.append(Lane(step[-1], commands[step[-1]], may_be_empty=bool(extra)).start().wait())
        done += [lane.wait() for lane in beside]
    total = time.monotonic() - started
    print("\n=== lanes: " + ", ".join(f"{lane.name} {'ok' if lane.code == 0 else 'FAILED'} {lane.took:.0f} s"
                                     for lane in done) + f"; {total:.0f} s in all", flush=True)
    failed = [lane.name for lane in done if lane.code != 0]
    if failed:
        print(f"=== failed: {', '.join(failed)}", flush=True)
        return 1
    return 0


def main(argv: list[str]) -> int:
    fast = "--fast" in argv
    extra = [a for a in argv if a != "--fast"]
    # Unit tests need only CPU: they run beside the integration lane, whose tests mostly wait on
    # sockets and Redis.
    if fast:
        return run([FAST_LANES], extra)
    # The faults, the first lane that waits on real time, with the date lanes beside them at a low
    # priority; then the browser and system lanes, each alone.
    return run([("ruff",), FAST_LANES, ("dates", "faults"), ("browser",), ("system",)], extra)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
