"""Accounts: who may sign in, with which role and which feeds; passwords kept as salted scrypt hashes.

The users file (config `auth.users_file`, default `var/users.yaml`) is written by `run.py user ...`
and may be edited by hand; a mistake in it stops start-up like a mistake in config.yaml:

    users:
      budi:
        role: operator                 # operator | analyst | executive | admin | wall (a kiosk PC)
        feeds: [lapor_banten]          # an operator's feeds, so their agencies' applications
        display: Budi (Biro Pemerintahan)
        password: scrypt$131072$8$1$<salt>$<hash>
      layar-ruang-rapat:
        role: executive
        session_hours: 720             # a wall PC signs in once a month

The public needs no account. Both the dashboard (sign-in) and run.py (the `user` command) use this.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import time
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from core.config import Config, ConfigError, ConfigProblem, Model, line_of, problems_from_validation, read_yaml

ACCOUNT_ROLES = ("operator", "analyst", "executive", "admin", "wall")
USERNAME = r"^[a-z0-9][a-z0-9._-]{1,63}$"
MIN_PASSWORD = 10

# scrypt at OWASP's first recommendation (N=2^17, r=8, p=1): 128 MiB and about 0.4 s per check on
# the project's 2-core machines, so a stolen users file cannot be guessed through quickly.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 17, 8, 1
_SALT_BYTES, _HASH_BYTES = 16, 32


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_HASH_BYTES,
                          maxmem=256 * r * n + 1024 * 1024)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$hash` with a fresh random salt."""
    salt = os.urandom(_SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def _parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    scheme, n, r, p, salt, digest = stored.split("$")
    if scheme != "scrypt":
        raise ValueError(f"unknown password scheme '{scheme}'")
    n, r, p = int(n), int(r), int(p)
    # A hash weaker than the one we write is refused, so a hand-edited file cannot lower the cost.
    if n < SCRYPT_N or r < SCRYPT_R or p < 1 or n & (n - 1):
        raise ValueError("scrypt parameters below N=2^17, r=8")
    return n, r, p, base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches the stored hash; compared in constant time."""
    try:
        n, r, p, salt, digest = _parse_hash(stored)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(_scrypt(password, salt, n, r, p), digest)


_DUMMY_HASH: str | None = None


def waste_a_check(password: str) -> None:
    """Spend what a real check costs, so a wrong username answers as slowly as a wrong password."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
    verify_password(password, _DUMMY_HASH)


class Account(Model):
    """One person (or wall PC) who may sign in."""

    role: Literal["operator", "analyst", "executive", "admin", "wall"]  # wall: a kiosk PC, walls only
    password: str
    display: str = ""
    # An operator's feeds (config.yaml ids): they see and upload for these feeds' applications only.
    feeds: list[str] = Field(default_factory=list)
    # A longer (or shorter) session than auth.session_hours, e.g. for a wall PC.
    session_hours: float | None = Field(default=None, gt=0, le=24 * 366)

    @field_validator("password")
    @classmethod
    def _a_hash(cls, v):
        try:
            _parse_hash(v)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"not a password hash written by `run.py user passwd` ({exc})") from None
        return v

    @model_validator(mode="after")
    def _feeds_fit_role(self):
        if self.role == "operator" and not self.feeds:
            raise ValueError("feeds: an operator needs at least one feed")
        if self.role != "operator" and self.feeds:
            raise ValueError(f"feeds: only operators are bound to feeds, not a {self.role}")
        return self


def users_path(config: Config, root: Path | None = None) -> Path:
    """The users file, relative paths taken from the project root (where run.py runs)."""
    path = Path(config.auth.users_file)
    return path if path.is_absolute() or root is None else root / path


def load_users(path: Path, config: Config) -> dict[str, Account]:
    """The accounts in the users file ({} when it does not exist); mistakes raise ConfigError with lines."""
    if not path.exists():
        return {}
    data, node = read_yaml(path)
    problems: list[ConfigProblem] = []
    accounts: dict[str, Account] = {}
    data = {"users": {}} if data is None else data
    if not isinstance(data, dict):
        problems.append(ConfigProblem("(top)", "must be a mapping with `users:`"))
        data = {}
    problems += [ConfigProblem(str(key), "unknown key") for key in data if key != "users"]
    users = data.get("users") or {}
    if not isinstance(users, dict):
        problems.append(ConfigProblem("users", "must be a mapping of username: account"))
        users = {}
    for name, raw in users.items():
        if not re.match(USERNAME, str(name)):
            problems.append(ConfigProblem(f"users.{name}", "not a valid username (lower case letters, digits, . _ -)"))
            continue
        try:
            account = Account.model_validate(raw or {})
        except ValidationError as err:
            problems += problems_from_validation(err, prefix=f"users.{name}")
            continue
        problems += [ConfigProblem(f"users.{name}.feeds[{i}]", f"unknown feed '{feed}'")
                     for i, feed in enumerate(account.feeds) if feed not in config.feeds]
        accounts[str(name)] = account
    if problems:
        raise ConfigError([ConfigProblem(p.path, p.message, line_of(node, p.path), str(path)) for p in problems])
    return accounts


def save_users(path: Path, users: dict[str, Account]) -> None:
    """Write the users file atomically, readable by its owner only (it holds password hashes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"users": {name: account.model_dump(exclude_defaults=True)
                      for name, account in sorted(users.items())}}
    text = ("# Accounts of the command center: `python3 run.py user add|passwd|remove|list`.\n"
            "# Passwords are scrypt hashes; never write a password here.\n"
            + yaml.safe_dump(body, allow_unicode=True, sort_keys=False))
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def applications_of(feeds, config: Config) -> frozenset[str]:
    """The applications (e-pormas, ...) of an operator's feeds."""
    return frozenset(config.feeds[f].application for f in feeds if f in config.feeds)


class UserBook:
    """The accounts as the dashboard sees them, read again when the file changes (a `run.py user add`
    takes effect without a restart). A broken edit keeps the last good accounts and is logged."""

    RECHECK_S = 1.0

    def __init__(self, path: Path, config: Config):
        self.path = path
        self.config = config
        self._lock = threading.Lock()
        self._users = load_users(path, config)
        self._stamp = self._file_stamp()
        self._checked = time.monotonic()

    def _file_stamp(self):
        try:
            st = self.path.stat()
            return st.st_mtime_ns, st.st_size
        except FileNotFoundError:
            return None

    def _refresh(self) -> None:
        if time.monotonic() - self._checked < self.RECHECK_S:
            return
        with self._lock:
            self._checked = time.monotonic()
            stamp = self._file_stamp()
            if stamp == self._stamp:
                return
            try:
                self._users = load_users(self.path, self.config)
                self._stamp = stamp
            except ConfigError as err:
                logging.getLogger("dashboard.auth.checks").error("users file not reloaded: %s", err)
                self._stamp = stamp

    def get(self, name: str) -> Account | None:
        self._refresh()
        return self._users.get(name)

    def all(self) -> dict[str, Account]:
        self._refresh()
        return dict(self._users)


# ---- demo accounts ---------------------------------------------------------------------------------
# (name, role, display, application whose feeds an operator gets)
DEMO_ACCOUNTS = (
    ("admin", "admin", "Admin Diskominfo", None),
    ("gubernur", "executive", "Gubernur Banten", None),
    ("analis", "analyst", "Analis Data", None),
    ("operator-pormas", "operator", "Operator e-Pormas", "e-pormas"),
    ("operator-disikap", "operator", "Operator e-Disikap", "e-disikap"),
)
# The e-Pormas operator answers for the complaints pushed by the LAPOR! webhook.
_DEMO_FEEDS = {"e-pormas": ["lapor_banten"]}


def create_demo_accounts(path: Path, config: Config) -> list[tuple[str, str, str]]:
    """Write a users file with the demo accounts and random passwords; the passwords are also saved
    beside it in demo-accounts.txt (owner-only) and returned as (name, role, password)."""
    users: dict[str, Account] = {}
    made = []
    for name, role, display, application in DEMO_ACCOUNTS:
        feeds = []
        if application:
            feeds = [f for f in _DEMO_FEEDS.get(application, []) if f in config.feeds] or \
                    [fid for fid, feed in config.feeds.items() if feed.application == application]
            if not feeds:
                continue
        password = secrets.token_urlsafe(12)
        users[name] = Account(role=role, password=hash_password(password), display=display, feeds=feeds)
        made.append((name, role, password))
    save_users(path, users)
    lines = ["# Demo accounts of the command center (created because the users file was missing).",
             "# Change them with `python3 run.py user passwd <name>`; delete this file afterwards.", ""]
    lines += [f"{name:18s} {role:10s} {password}" for name, role, password in made]
    notes = demo_accounts_file(path)
    fd = os.open(notes, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(notes, 0o600)
    return made


def demo_accounts_file(users_file: Path) -> Path:
    """Where the demo accounts' passwords are written: beside the users file."""
    return users_file.with_name("demo-accounts.txt")
