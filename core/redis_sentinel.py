"""Redis with automatic failover on one machine: one primary, replicas and three sentinels.

`run.py cluster` and the fault tests start this; on several hosts the same roles run as systemd
units (docs/deployment.md). Each server keeps its data (AOF) in its own folder; all of them, and
the sentinels, ask for the one password kept in `data_dir/requirepass`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import redis

from core.redis import (
    SENTINEL_SCHEME,
    RedisUnavailable,
    connect,
    free_port,
    installation_password,
    owner_only_config,
    redis_server_binary,
)

MASTER = "cc-primary"
# A primary that does not answer for this long is taken to be down; the failover follows in 1-2 s.
DOWN_AFTER_MS = 1000


@dataclass
class Node:
    """One redis-server or sentinel process with its port and folder."""

    name: str
    port: int
    folder: Path
    args: list[str]
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            self.process.send_signal(sig)
            if sig in (signal.SIGKILL, signal.SIGTERM):
                self.process.wait(timeout=10)


class ReplicatedRedis:
    """`replicas` + 1 redis-servers and three sentinels on free (or given) local ports."""

    def __init__(self, data_dir: str | os.PathLike, replicas: int = 2, sentinels: int = 3,
                 base_port: int | None = None):
        self.data_dir = Path(data_dir).resolve()
        self.replica_count = replicas
        self.sentinel_count = sentinels
        ports = [base_port + i if base_port else free_port() for i in range(replicas + 1 + sentinels)]
        self.server_ports = ports[:replicas + 1]
        self.sentinel_ports = ports[replicas + 1:]
        self.servers: list[Node] = []
        self.sentinels: list[Node] = []

    @cached_property
    def password(self) -> str:
        return installation_password(self.data_dir)

    @property
    def url(self) -> str:
        """What every role is given: the sentinels, which name the primary of the moment."""
        hosts = ",".join(f"127.0.0.1:{p}" for p in self.sentinel_ports)
        return f"{SENTINEL_SCHEME}://:{self.password}@{hosts}/{MASTER}/0"

    def server_url(self, port: int) -> str:
        return f"redis://:{self.password}@127.0.0.1:{port}/0"

    def _server(self, index: int) -> Node:
        port = self.server_ports[index]
        folder = self.data_dir / f"redis-{port}"
        secret = owner_only_config(folder / "secret.conf",
                                   [f'requirepass "{self.password}"', f'masterauth "{self.password}"'])
        args = [redis_server_binary(), str(secret), "--port", str(port), "--bind", "127.0.0.1",
                "--dir", str(folder), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                "--logfile", str(folder / "redis.log"), "--maxmemory-policy", "noeviction",
                # Refuse writes when no replica follows: bounds what a dead primary can take along.
                "--min-replicas-to-write", "1", "--min-replicas-max-lag", "10",
                # A replica that needs a full copy from a new primary gets it at once, not after the
                # default 5 s wait for others: until one replica follows, writes are not acknowledged.
                "--repl-diskless-sync-delay", "0"]
        if index:
            args += ["--replicaof", "127.0.0.1", str(self.server_ports[0])]
        return Node(f"redis-{port}", port, folder, args)

    def _sentinel(self, port: int) -> Node:
        folder = self.data_dir / f"sentinel-{port}"
        conf = folder / "sentinel.conf"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not conf.exists():  # a sentinel rewrites its own file with what it learnt: keep it on restart
            fd = os.open(conf, os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(f"""port {port}
bind 127.0.0.1
dir {folder}
logfile {folder / 'sentinel.log'}
requirepass "{self.password}"
sentinel monitor {MASTER} 127.0.0.1 {self.server_ports[0]} 2
sentinel auth-pass {MASTER} "{self.password}"
sentinel sentinel-pass "{self.password}"
sentinel down-after-milliseconds {MASTER} {DOWN_AFTER_MS}
sentinel failover-timeout {MASTER} 10000
sentinel parallel-syncs {MASTER} 2
""")
        binary = shutil.which("redis-sentinel")
        args = [binary, str(conf)] if binary else [redis_server_binary(), str(conf), "--sentinel"]
        return Node(f"sentinel-{port}", port, folder, args)

    def start(self, timeout: float = 20.0) -> ReplicatedRedis:
        self.servers = [self._server(i) for i in range(self.replica_count + 1)]
        self.sentinels = [self._sentinel(p) for p in self.sentinel_ports]
        for node in [*self.servers, *self.sentinels]:
            node.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self._ready():
                    return self
            except (redis.RedisError, OSError):
                pass
            dead = [n.name for n in [*self.servers, *self.sentinels] if not n.alive()]
            if dead:
                self.stop()
                raise RedisUnavailable(f"{', '.join(dead)} exited at start; see the logs under {self.data_dir}")
            time.sleep(0.1)
        self.stop()
        raise RedisUnavailable(f"Redis with Sentinel did not come up within {timeout:.0f} s (logs: {self.data_dir})")

    def _ready(self) -> bool:
        """Every replica in sync and every sentinel knowing the others and both replicas."""
        info = connect(self.server_url(self.server_ports[0]), socket_connect_timeout=0.3).info("replication")
        # "Good" replicas have acknowledged within min-replicas-max-lag: only then are writes taken.
        if info.get("min_slaves_good_slaves", 0) < self.replica_count:
            return False
        for port in self.sentinel_ports:
            s = redis.Redis(port=port, password=self.password, socket_connect_timeout=0.3)
            state = s.sentinel_master(MASTER)
            if state["num-other-sentinels"] < self.sentinel_count - 1 or state["num-slaves"] < self.replica_count:
                return False
        return True

    def primary_port(self) -> int:
        """The port of the primary the sentinels name now."""
        for port in self.sentinel_ports:
            try:
                return int(redis.Redis(port=port, password=self.password, socket_connect_timeout=0.3)
                           .sentinel_get_master_addr_by_name(MASTER)[1])
            except (redis.RedisError, OSError, TypeError):
                continue
        raise RedisUnavailable("no sentinel answers")

    def server(self, port: int) -> Node:
        return next(n for n in self.servers if n.port == port)

    def dead(self) -> list[Node]:
        return [n for n in [*self.servers, *self.sentinels] if n.process is not None and not n.alive()]

    def restart(self, node: Node) -> None:
        """Start a killed node again on its port and data; a former primary comes back as a replica
        (the sentinels reconfigure it)."""
        node.start()

    def stop(self) -> None:
        for node in [*self.sentinels, *self.servers]:
            try:
                node.signal(signal.SIGTERM)
            except subprocess.TimeoutExpired:
                node.signal(signal.SIGKILL)

    def __enter__(self) -> ReplicatedRedis:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
