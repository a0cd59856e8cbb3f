"""`python3 run.py user ...`: add, change the password of, list and remove accounts in the users file.

    python3 run.py user add budi --role operator --feeds lapor_banten,pormas_laporan --display "Budi"
    python3 run.py user add layar-1 --role executive --session-hours 720 --password-stdin < pw.txt
    python3 run.py user passwd budi
    python3 run.py user list
    python3 run.py user remove budi

Passwords are asked twice on the terminal (or read from one line of stdin with --password-stdin)
and stored only as scrypt hashes. The running dashboard picks the change up by itself.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from pathlib import Path

from pydantic import ValidationError

from core.audit import record
from core.config import Config, ConfigError
from core.redis import configured_url, connect
from core.users import ACCOUNT_ROLES, MIN_PASSWORD, USERNAME, Account, hash_password, load_users, save_users


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run.py user", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="add an account (or replace one with --replace)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ACCOUNT_ROLES)
    add.add_argument("--feeds", default="", help="an operator's feed ids, comma separated")
    add.add_argument("--display", default="", help="the name shown on screens")
    add.add_argument("--session-hours", type=float, default=None, help="longer sessions, e.g. for a wall PC")
    add.add_argument("--password-stdin", action="store_true")
    add.add_argument("--replace", action="store_true", help="overwrite an existing account")
    passwd = sub.add_parser("passwd", help="set a new password")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    sub.add_parser("list", help="every account with its role and feeds")
    remove = sub.add_parser("remove", help="remove an account")
    remove.add_argument("name")
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Kata sandi / password: ")
        if getpass.getpass("Ulangi / repeat: ") != password:
            raise SystemExit("The two passwords differ; nothing changed.")
    if len(password) < MIN_PASSWORD:
        raise SystemExit(f"A password needs at least {MIN_PASSWORD} characters; nothing changed.")
    return password


def _audit(config: Config, name: str, detail: str) -> None:
    """Put the change in the audit trail when a Redis is configured (REDIS_URL or redis.url) and
    answers; the embedded Redis of `run.py all` cannot be reached from here."""
    url = configured_url(config)
    if not url:
        return
    try:
        record(connect(url, socket_connect_timeout=1, socket_timeout=1), f"os:{getpass.getuser()}", "user_changed",
               target=f"user:{name}", detail=detail)
    except Exception as exc:  # noqa: BLE001 - the change itself is done; the audit is best effort
        print(f"(not in the audit trail: {exc})", file=sys.stderr)


def run_user_command(argv: list[str], config: Config, users_file: Path) -> int:
    """Carry out one `run.py user` command on `users_file`; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        users = load_users(users_file, config)
    except ConfigError as err:
        print(f"{users_file}: {len(err.problems)} mistake(s); fix them first:", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    if args.action == "list":
        if not users:
            print(f"No accounts in {users_file}. Add one: python3 run.py user add admin --role admin")
        for name, account in sorted(users.items()):
            extra = f" feeds={','.join(account.feeds)}" if account.feeds else ""
            hours = f" session_hours={account.session_hours:g}" if account.session_hours else ""
            print(f"{name:20s} {account.role:10s}{extra}{hours}  {account.display}")
        return 0
    name = args.name
    if args.action == "add":
        if not re.match(USERNAME, name):
            print(f"'{name}' is not a valid username (lower case letters, digits, . _ -)", file=sys.stderr)
            return 2
        if name in users and not args.replace:
            print(f"'{name}' exists already; use `user passwd {name}`, or add --replace", file=sys.stderr)
            return 2
        feeds = [f.strip() for f in args.feeds.split(",") if f.strip()]
        unknown = [f for f in feeds if f not in config.feeds]
        if unknown:
            print(f"unknown feed(s): {', '.join(unknown)}; config.yaml has: {', '.join(config.feeds)}",
                  file=sys.stderr)
            return 2
        if (args.role == "operator") != bool(feeds):
            print("an operator needs at least one feed (--feeds)" if args.role == "operator"
                  else f"only operators are bound to feeds, not a {args.role}", file=sys.stderr)
            return 2
        try:
            account = Account(role=args.role, password=hash_password(_read_password(args.password_stdin)),
                              display=args.display, feeds=feeds, session_hours=args.session_hours)
        except ValidationError as exc:  # e.g. session hours out of range
            print("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                            for e in exc.errors()), file=sys.stderr)
            return 2
        users[name] = account
        save_users(users_file, users)
        print(f"{'replaced' if args.replace else 'added'} {name} ({args.role}) in {users_file}")
        _audit(config, name, f"{'replaced' if args.replace else 'added'}: {args.role} {','.join(feeds)}".strip())
    elif args.action == "passwd":
        if name not in users:
            print(f"no account '{name}' in {users_file}", file=sys.stderr)
            return 2
        users[name] = users[name].model_copy(update={"password": hash_password(_read_password(args.password_stdin))})
        save_users(users_file, users)
        print(f"new password set for {name}")
        _audit(config, name, "password changed")
    elif args.action == "remove":
        if users.pop(name, None) is None:
            print(f"no account '{name}' in {users_file}", file=sys.stderr)
            return 2
        save_users(users_file, users)
        print(f"removed {name}; their open sessions end at their next request")
        _audit(config, name, "removed")
    return 0
