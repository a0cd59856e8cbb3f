"""The environment the tests run in is exactly the lock: every package, its version, and a hash for each."""

import subprocess
import sys
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
LOCK = ROOT / "requirements-test.lock"


def lock_entries(lock: Path) -> dict[str, tuple[str, str | None, int]]:
    """name -> (version, marker, number of hashes) from a pip-compile/uv lock file."""
    entries, name = {}, None
    for line in lock.read_text().splitlines():
        if line[:1].isalnum():
            spec, _, marker = line.rstrip(" \\").partition(";")
            pkg, _, version = spec.strip().partition("==")
            name = canonicalize_name(pkg)
            entries[name] = (version, marker.strip() or None, 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, marker, hashes = entries[name]
            entries[name] = (version, marker, hashes + 1)
    return entries


def test_every_locked_package_is_pinned_with_hashes():
    entries = lock_entries(LOCK)
    assert len(entries) > 50
    assert [n for n, (version, _, hashes) in entries.items() if not version or not hashes] == []
    # dashboard/renderer_fix.py patches the renderer of this one Dash build.
    assert entries["dash"][0] == "4.4.1"


def test_the_running_lock_is_the_test_lock_less_the_test_tools():
    running = lock_entries(ROOT / "requirements.lock")
    testing = lock_entries(LOCK)
    assert {n: v for n, (v, _, _) in running.items()} == {n: testing[n][0] for n in running}


def test_pip_freeze_equals_the_lock():
    wanted = {name: version for name, (version, marker, _) in lock_entries(LOCK).items()
              if marker is None or Marker(marker).evaluate()}
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--all", "--disable-pip-version-check"],
                            capture_output=True, text=True, check=True).stdout
    installed = {}
    for line in frozen.splitlines():
        pkg, _, version = line.partition("==")
        if version and canonicalize_name(pkg) != "pip":  # pip comes with the venv, not the lock
            installed[canonicalize_name(pkg)] = version
    assert {n: (installed.get(n), v) for n, v in wanted.items() if installed.get(n) != v} == {}, \
        "installed versions differ from the lock: run `python3 run.py test` to install the lock"
    assert sorted(set(installed) - set(wanted)) == [], "installed but not in the lock"
