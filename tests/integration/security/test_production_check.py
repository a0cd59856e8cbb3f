"""Production mode, the dashboard's part: with `demo.enabled: false`, `run.py check` refuses demo
accounts that still have their demo passwords, a demo form secret, cookies without TLS and a proxy
list that trusts everyone, each with its YAML path."""

from __future__ import annotations

import yaml

from core.users import Account, save_users
from tests.support.app import known_hash
from tests.support.cli import ROOT, run


def _config(tmp_path, **changes):
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["dashboard"]["layouts_dir"] = str(ROOT / "layouts")
    config["demo"]["enabled"] = False
    config["auth"]["users_file"] = str(tmp_path / "users.yaml")
    for section, values in changes.items():
        config[section].update(values)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def test_a_production_config_with_demo_accounts_or_secrets_is_refused(tmp_path):
    save_users(tmp_path / "users.yaml", {"admin": Account(role="admin", password=known_hash("demo-sandi-123"))})
    (tmp_path / "demo-accounts.txt").write_text("# demo\n\nadmin              admin      demo-sandi-123\n")
    path = _config(tmp_path, auth={"form_secret": "demo-form-secret-0123456789abcdefghij", "cookie_secure": False},
                   dashboard={"trusted_proxies": ["0.0.0.0/0"]})
    result = run("check", "--config", str(path))
    assert result.returncode == 2, result.stdout
    assert "auth.users_file: admin: demo account 'admin' still has its demo password" in result.stderr
    assert "demo-accounts.txt holds the demo passwords in clear text" in result.stderr
    assert "auth.form_secret: a demo value" in result.stderr
    assert "auth.cookie_secure: false sends session cookies without TLS" in result.stderr
    assert "dashboard.trusted_proxies.0: '0.0.0.0/0' trusts X-Forwarded-For from every address" in result.stderr
    assert f"{path}:" in result.stderr


def test_the_same_accounts_pass_once_their_passwords_are_changed(tmp_path):
    save_users(tmp_path / "users.yaml", {"admin": Account(role="admin", password=known_hash("sandi-baru-2026!"))})
    path = _config(tmp_path)
    result = run("check", "--config", str(path))
    dashboard_lines = [line for line in result.stderr.splitlines()
                       if any(k in line for k in ("auth.", "dashboard.trusted_proxies"))]
    assert dashboard_lines == [], dashboard_lines
