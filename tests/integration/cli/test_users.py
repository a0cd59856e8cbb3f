"""Accounts as an administrator meets them: `run.py user ...`, the users file, its mistakes, demo accounts."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from core.config import ConfigError, load_config
from core.streams import AUDIT
from core.users import (
    SCRYPT_N,
    Account,
    create_demo_accounts,
    demo_accounts_file,
    hash_password,
    load_users,
    verify_password,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def config():
    return load_config(ROOT / "config.yaml")


def write_config(tmp_path: Path, users_file: Path) -> Path:
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    data["auth"]["users_file"] = str(users_file)
    data["dashboard"]["layouts_dir"] = str(ROOT / "layouts")
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def run(*args, stdin: str = "", timeout=90, env=None):
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})})


def test_a_password_is_kept_as_a_salted_scrypt_hash():
    stored = hash_password("rahasia-sekali-123")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, int(n), int(r)) == ("scrypt", SCRYPT_N, 8) and "rahasia" not in stored
    assert verify_password("rahasia-sekali-123", stored)
    assert not verify_password("rahasia-sekali-124", stored)
    assert hash_password("rahasia-sekali-123") != stored  # a fresh salt each time
    # A hash with a lower cost than we write is refused, whatever the password.
    weak = stored.replace(f"scrypt${SCRYPT_N}$", "scrypt$1024$")
    assert not verify_password("rahasia-sekali-123", weak)


def test_user_add_passwd_list_remove(tmp_path, redis_url, r):
    users = tmp_path / "users.yaml"
    config = write_config(tmp_path, users)
    added = run("user", "add", "budi", "--role", "operator", "--feeds", "lapor_banten,pormas_laporan",
                "--display", "Budi Santoso", "--password-stdin", "--config", str(config), stdin="sandi-budi-2026\n",
                env={"REDIS_URL": redis_url})
    assert added.returncode == 0, added.stderr
    assert stat.S_IMODE(users.stat().st_mode) == 0o600  # it holds password hashes
    text = users.read_text()
    assert "sandi-budi-2026" not in text and "scrypt$" in text
    stored = yaml.safe_load(text)["users"]["budi"]
    assert stored["role"] == "operator" and stored["feeds"] == ["lapor_banten", "pormas_laporan"]
    assert verify_password("sandi-budi-2026", stored["password"])

    listed = run("user", "list", "--config", str(config))
    assert "budi" in listed.stdout and "operator" in listed.stdout and "lapor_banten,pormas_laporan" in listed.stdout
    assert "scrypt" not in listed.stdout

    changed = run("user", "passwd", "budi", "--password-stdin", "--config", str(config), stdin="sandi-baru-2027\n",
                  env={"REDIS_URL": redis_url})
    assert changed.returncode == 0, changed.stderr
    assert verify_password("sandi-baru-2027", yaml.safe_load(users.read_text())["users"]["budi"]["password"])

    removed = run("user", "remove", "budi", "--config", str(config), env={"REDIS_URL": redis_url})
    assert removed.returncode == 0 and "budi" not in (yaml.safe_load(users.read_text())["users"] or {})
    # Each change is in the audit trail (a Redis was configured), never with a password in it.
    changes = [e for _, e in r.xrange(AUDIT) if e["action"] == "user_changed"]
    assert [(e["target"], e["detail"]) for e in changes] == [
        ("user:budi", "added: operator lapor_banten,pormas_laporan"), ("user:budi", "password changed"),
        ("user:budi", "removed")]
    assert all(e["who"].startswith("os:") and "sandi" not in str(e) for e in changes)


@pytest.mark.parametrize("args, stdin, says", [
    (["add", "budi", "--role", "operator"], "sandi-budi-2026\n", "an operator needs at least one feed"),
    (["add", "budi", "--role", "operator", "--feeds", "tidak_ada"], "sandi-budi-2026\n", "unknown feed(s): tidak_ada"),
    (["add", "budi", "--role", "analyst"], "pendek\n", "at least 10 characters"),
    (["add", "Budi Santoso", "--role", "analyst"], "sandi-budi-2026\n", "not a valid username"),
    (["passwd", "siapa"], "sandi-budi-2026\n", "no account 'siapa'"),
])
def test_user_command_refuses_mistakes(tmp_path, args, stdin, says):
    config = write_config(tmp_path, tmp_path / "users.yaml")
    result = run("user", *args, "--password-stdin", "--config", str(config), stdin=stdin)
    assert result.returncode != 0
    assert says in result.stderr + result.stdout


def test_mistakes_in_the_users_file_stop_start_up_with_file_line_and_path(tmp_path, config):
    users = tmp_path / "users.yaml"
    good = hash_password("sandi-budi-2026")
    users.write_text(f"""users:
  budi:
    role: operator
    feeds: [lapor_banten, tidak_ada]
    password: {good}
  sari:
    role: gubernur
    password: {good}
  dewi:
    role: analyst
    password: rahasia
""")
    with pytest.raises(ConfigError) as err:
        load_users(users, config)
    shown = str(err.value)
    assert f"{users}:4: users.budi.feeds[1]: unknown feed 'tidak_ada'" in shown
    assert f"{users}:7: users.sari.role: must be one of" in shown
    assert f"{users}:11: users.dewi.password: not a password hash" in shown

    checked = run("check", "--config", str(write_config(tmp_path, users)))
    assert checked.returncode == 2 and "nothing was started" in checked.stderr
    assert "users.budi.feeds[1]: unknown feed 'tidak_ada'" in checked.stderr


def test_demo_accounts_are_created_with_random_passwords_kept_owner_only(tmp_path, config):
    users = tmp_path / "var" / "users.yaml"
    made = create_demo_accounts(users, config)
    names = {name: role for name, role, _ in made}
    assert names == {"admin": "admin", "gubernur": "executive", "analis": "analyst",
                     "operator-pormas": "operator", "operator-disikap": "operator"}
    accounts = load_users(users, config)
    assert accounts["operator-pormas"].feeds == ["lapor_banten"]
    assert {config.feeds[f].application for f in accounts["operator-disikap"].feeds} == {"e-disikap"}
    notes = demo_accounts_file(users)
    assert notes == tmp_path / "var" / "demo-accounts.txt"
    assert stat.S_IMODE(notes.stat().st_mode) == 0o600 and stat.S_IMODE(users.stat().st_mode) == 0o600
    for name, _, password in made:
        assert f"{name}" in notes.read_text() and password in notes.read_text()
        assert verify_password(password, accounts[name].password)
    assert len({p for _, _, p in made}) == len(made) and all(len(p) >= 16 for _, _, p in made)
    assert isinstance(accounts["admin"], Account) and os.path.exists(users)
