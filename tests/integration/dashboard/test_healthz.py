"""GET /healthz: 200 with feeds and walls while Redis answers, 503 when it does not."""

import json
import urllib.error
import urllib.request

from core.redis import free_port
from core.streams import utc_now
from dashboard.app import create_app
from tests.support.app import serve
from tests.support.sample import write_wall


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_healthz_ok_with_redis(config, redis_url, r):
    write_wall(r, config, utc_now())
    app = create_app(config, redis_url)
    with serve(app) as base:
        status, body = get(base + "/healthz")
    assert status == 200
    assert body["status"] == "ok"
    assert body["redis"]["ok"] is True and body["redis"]["latency_ms"] >= 0 and body["redis"]["error"] is None
    assert set(body["feeds"]) == set(config.feeds)
    assert body["feeds"]["lpse_tender"]["state"] == "stale"  # silent for 25 min, stale_after 10 min
    assert body["feeds"]["panel_harga"]["state"] == "ok"
    assert body["dashboard"]["ok"] is True and body["dashboard"]["walls"] == 0
    assert body["dashboard"]["uptime_s"] >= 0


def test_healthz_503_when_redis_is_unreachable(config):
    app = create_app(config, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    with serve(app) as base:
        status, body = get(base + "/healthz")
    assert status == 503
    assert body["status"] == "degraded"
    assert body["redis"]["ok"] is False and body["redis"]["error"]
    assert body["dashboard"]["ok"] is True
