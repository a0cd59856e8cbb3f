#!/usr/bin/env python3
"""Banten Command Center: `python3 run.py [all|ingest|derive|dashboard|demo|check|test]`.

`all` (the default) sets up what is missing, starts a private Redis unless REDIS_URL or
`redis.url` names one, then the simulated agency services, ingest, derive and the dashboard,
and prints the URLs. `test` sets up the test tools and runs the whole suite. Both work on a fresh
Debian/Ubuntu machine with Python 3.11+: the first run creates `.venv` and installs into it.
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
ROLES = ("all", "ingest", "derive", "dashboard", "demo", "video", "check", "test", "user")
# Debian packages the test suite drives: a real browser for the page tests.
TEST_SYSTEM_PACKAGES = {"chromium": "/usr/bin/chromium",
                        # Cameras: Debian's GStreamer RTSP server (run by /usr/bin/python3) and x264.
                        "gstreamer1.0-tools": "/usr/bin/gst-launch-1.0",
                        "gstreamer1.0-rtsp": "/usr/lib/x86_64-linux-gnu/libgstrtspserver-1.0.so.0",
                        "gir1.2-gst-rtsp-server-1.0": "/usr/lib/x86_64-linux-gnu/girepository-1.0/GstRtspServer-1.0.typelib",
                        "python3-gi": "/usr/lib/python3/dist-packages/gi/__init__.py",
                        "gstreamer1.0-plugins-base": "/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstvideotestsrc.so",
                        "gstreamer1.0-plugins-good": "/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstrtp.so",
                        "gstreamer1.0-plugins-bad": "/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstvideoparsersbad.so",
                        "gstreamer1.0-plugins-ugly": "/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstx264.so"}


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


def _requirements(with_tests: bool) -> list[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + (project["optional-dependencies"]["test"] if with_tests else [])


def ensure_environment(with_tests: bool) -> None:
    """Create .venv and install the dependencies when they changed; re-run this script inside it."""
    python = VENV / "bin" / "python"
    if not python.exists():
        _say(f"creating {VENV}")
        if subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            _apt_install([f"python3.{sys.version_info.minor}-venv"])
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    requirements = _requirements(with_tests)
    stamp = VENV / ".installed"
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        _say("installing Python packages (first run only; a few minutes)")
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements],
                       check=True)
        stamp.write_text(digest)
    if with_tests:
        _apt_install([pkg for pkg, path in TEST_SYSTEM_PACKAGES.items() if not Path(path).exists()])
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), str(ROOT / "run.py"), *sys.argv[1:]])


# --- the roles (inside the environment) ----------------------------------------------------------

def main() -> int:
    if sys.argv[1:2] == ["user"]:  # `run.py user add|passwd|list|remove ...` has arguments of its own
        ensure_environment(with_tests=False)
        os.chdir(ROOT)
        return user_command(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("role", nargs="?", default="all", choices=ROLES)
    parser.add_argument("--config", default=os.environ.get("CC_CONFIG", str(ROOT / "config.yaml")))
    parser.add_argument("pytest_args", nargs="*", help="with `test`: arguments passed to pytest")
    args, extra = parser.parse_known_args()
    if args.role == "test":
        ensure_environment(with_tests=True)
        os.chdir(ROOT)
        return subprocess.call([sys.executable, "-m", "pytest", *args.pytest_args, *extra])
    ensure_environment(with_tests=False)
    os.chdir(ROOT)
    return run_role(args.role, args.config)


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
    from core.users import load_users, users_path
    from dashboard.layout import load_layouts
    from ingest.feeds import check_feeds

    _, node = read_yaml(Path(config_path))
    problems = [replace(p, file=config_path, line=line_of(node, p.path)) for p in check_feeds(config)]
    try:
        load_layouts(config)
    except ConfigError as err:
        problems.extend(err.problems)
    from dashboard.meeting_plan import load_plans  # the meeting room's prepared views, layouts/meeting/

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


def run_role(role: str, config_path: str) -> int:
    """Load config once, refuse to start on any mistake, then run the role."""
    import logging

    from core.config import ConfigError, load_config

    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {role:9s} %(levelname)s %(name)s: %(message)s")
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
        print(f"OK: {config_path}: {len(config.feeds)} feeds, {len(config.metrics)} metrics, layouts valid")
        return 0
    if role == "all":
        return launch_all(config, config_path)
    return run_single_role(role, config)


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


def launch_all(config, config_path: str) -> int:
    """Redis (embedded unless configured), then every role as a child process, restarted if it dies."""
    import signal
    import time
    import urllib.request

    from core.redis import EmbeddedRedis, RedisUnavailable, check_reachable, configured_url, safe_url

    ports = {"dashboard.port": (config.dashboard.host, config.dashboard.port),
             "ingest.port": (config.ingest.host, config.ingest.port)}
    if config.demo.enabled:
        ports.update({f"demo.base_port+{i}": (config.demo.host, config.demo.base_port + i) for i in range(7)})
    busy = [f"{key} ({host}:{port})" for key, (host, port) in ports.items() if _port_in_use(host, port)]
    if busy:
        print(f"Cannot start: ports already in use: {', '.join(busy)}. Is the command center already running?",
              file=sys.stderr)
        return 2

    embedded = None
    url = configured_url(config)
    try:
        if url:
            check_reachable(url)
        else:
            embedded = EmbeddedRedis(ROOT / config.redis.data_dir).start()
            url = embedded.url
    except RedisUnavailable as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2

    accounts = accounts_banner(config)
    roles = ["demo"] if config.demo.enabled else []
    roles += ["ingest", "derive", "dashboard", "video"]
    env = dict(os.environ, REDIS_URL=url, PYTHONUNBUFFERED="1")
    children: dict[str, subprocess.Popen] = {}
    restarts: dict[str, list[float]] = {r: [] for r in roles}

    def spawn(role: str) -> None:
        children[role] = subprocess.Popen([sys.executable, str(ROOT / "run.py"), role, "--config", config_path],
                                          env=env)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for role in roles:
        spawn(role)
        if role == "demo":
            # The feeds' first poll should find the simulated agencies already listening.
            _wait_for_port(config.demo.host, config.demo.base_port + 6, timeout=20)

    dash = f"http://{config.dashboard.host}:{config.dashboard.port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not stopping:
        try:
            urllib.request.urlopen(f"{dash}/healthz", timeout=2)
            break
        except OSError as exc:
            if getattr(exc, "code", None):  # an HTTP answer (503: degraded) means it is up
                break
            time.sleep(0.5)
    ingest = f"http://{config.ingest.host}:{config.ingest.port}"
    print(f"""
  {config.site.name} berjalan / is running
    Masuk / sign in:        {dash}/login
    Portal publik:          {dash}/publik
    Wall (layar dinding):   {dash}/wall/command-center
    Health:                 {dash}/healthz
    Ingest health:          {ingest}/healthz   (webhooks: POST {ingest}/ingest/<feed_id>)
    Redis:                  {safe_url(url)}{' (embedded, data in ' + config.redis.data_dir + ')' if embedded else ''}""" +
          (f"\n    Simulated agencies:     http://{config.demo.host}:{config.demo.base_port}-{config.demo.base_port + 6}"
           if config.demo.enabled else "") + accounts + "\n  Ctrl-C stops everything.\n", flush=True)

    try:
        while not stopping:
            time.sleep(0.5)
            if embedded and not embedded.alive() and not stopping:
                # Our own Redis died (OOM killer, a crash): bring it back on the same port and data;
                # the roles reconnect by themselves.
                print("embedded redis-server exited; restarting it", file=sys.stderr)
                try:
                    embedded.start()
                except RedisUnavailable as exc:
                    print(f"cannot restart Redis: {exc}", file=sys.stderr)
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


def run_single_role(role: str, config) -> int:
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

            await serve_demo(config, stop)
        elif role == "video":
            from ingest.cameras.gateway import run_video

            await run_video(config, url, stop)

    asyncio.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
