"""The dashboard's part of the production check: with `demo.enabled: false`, `run.py check` (and so
every start) refuses what only a demo may have, naming where it is.

- a demo account that still has the password the demo wrote into demo-accounts.txt, or that file
  itself (passwords in clear text beside the users file);
- `auth.form_secret` that says it is a demo value, or session cookies forced to travel without TLS
  (`auth.cookie_secure: false`);
- `dashboard.trusted_proxies` that trusts every address (anyone could pick their own address for
  the login limits and the audit trail).

Ingest's and the video gateway's secrets are checked beside these, in their own part.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from core.config import Config, ConfigProblem
from core.users import DEMO_ACCOUNTS, demo_accounts_file, load_users, verify_password

DEMO_WORDS = ("demo", "change-me", "changeme", "example")


def demo_passwords(notes: Path) -> dict[str, str]:
    """name -> password as the demo wrote them into demo-accounts.txt."""
    out = {}
    for line in notes.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and not line.startswith("#"):
            out[parts[0]] = parts[2]
    return out


def production_problems(config: Config, users_file: Path) -> list[ConfigProblem]:
    """What stops a production start (demo.enabled: false); nothing on the demo."""
    if config.demo.enabled:
        return []
    problems: list[ConfigProblem] = []
    notes = demo_accounts_file(users_file)
    if notes.exists():
        accounts = load_users(users_file, config)
        demo_names = {name for name, *_ in DEMO_ACCOUNTS}
        for name, password in demo_passwords(notes).items():
            account = accounts.get(name)
            if name in demo_names and account is not None and verify_password(password, account.password):
                problems.append(ConfigProblem(f"auth.users_file: {name}",
                                              f"demo account '{name}' still has its demo password "
                                              f"(`run.py user passwd {name}` or `run.py user remove {name}`)"))
        problems.append(ConfigProblem("auth.users_file", f"{notes} holds the demo passwords in clear text: "
                                                         "delete it once they are changed"))
    secret = config.auth.form_secret or ""
    if any(word in secret.lower() for word in DEMO_WORDS):
        problems.append(ConfigProblem("auth.form_secret", "a demo value: set a random secret of 32+ characters "
                                                          "(${CC_FORM_SECRET})"))
    if config.auth.cookie_secure is False:
        problems.append(ConfigProblem("auth.cookie_secure", "false sends session cookies without TLS: "
                                                            "use auto or true behind a TLS proxy"))
    for at, network in enumerate(config.dashboard.trusted_proxies):
        if ipaddress.ip_network(network, strict=False).prefixlen == 0:
            problems.append(ConfigProblem(f"dashboard.trusted_proxies.{at}",
                                          f"'{network}' trusts X-Forwarded-For from every address"))
    return problems
