"""run.py as an operator meets it: `check` names each mistake; a role refuses a dead Redis."""


import yaml

from tests.support.cli import ROOT, run


def test_check_accepts_the_shipped_config_and_layouts():
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert "OK:" in result.stdout


def test_check_lists_every_mistake_with_file_line_and_path(tmp_path):
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["feeds"]["panel_harga"]["interval"] = 0
    config["feeds"]["bansos_penyaluran"]["kind"] = "ftp"
    config["dashboard"]["layouts_dir"] = str(ROOT / "layouts")
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    result = run("check", "--config", str(path))
    assert result.returncode == 2
    assert "feeds.panel_harga.interval: must be > 0" in result.stderr
    assert "feeds.bansos_penyaluran.kind: unknown feed kind 'ftp'" in result.stderr
    assert f"{path}:" in result.stderr and "nothing was started" in result.stderr


def test_demo_backfill_refuses_a_store_that_holds_records(redis_url, r):
    from core.streams import feed_stream

    r.xadd(feed_stream("panel_harga"), {"payload": "{}"})
    result = run("demo", "--backfill", "5", env={"REDIS_URL": redis_url})
    assert result.returncode == 2, result.stderr
    assert "run.py demo --backfill: the store already holds records (panel_harga...)" in result.stderr
