"""A record is acknowledged only once a replica holds it: with the replicas frozen, ingest answers
503 within the bounded wait (nothing pretended), and the sender's retry after they recover is
taken once."""

from __future__ import annotations

import signal

import pytest

from core import clock
from core.config import load_config, parse_config
from core.redis import configured_url, connect, connect_async
from core.redis_sentinel import ReplicatedRedis
from core.streams import Record, feed_stream
from ingest.writer import ReplicaNotReached, StreamWriter
from tests.faults.cluster import ROOT


def _record(sid: str) -> Record:
    now = clock.utc_now()
    return Record(feed_id="lapor_banten", application="e-pormas", region="3673", source_id=sid,
                  event_time=now, ingest_time=now, payload={"tracking_id": sid})


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with ReplicatedRedis(tmp_path_factory.mktemp("sentinel")) as cluster:
        yield cluster


async def test_no_replica_no_acknowledgement(cluster):
    shipped = load_config(ROOT / "config.yaml")
    config = shipped.model_copy(update={"redis": shipped.redis.model_copy(update={"ack_timeout": 0.3})})
    client = connect_async(cluster.url)
    writer = StreamWriter(client, config)
    assert writer.ack_replicas == 1  # under Sentinel a replica must hold the record
    assert (await writer.append("lapor_banten", [_record("A-1")])).accepted == 1

    replicas = [n for n in cluster.servers if n.port != cluster.primary_port()]
    for node in replicas:
        node.signal(signal.SIGSTOP)
    try:
        started = clock.monotonic()
        with pytest.raises(ReplicaNotReached, match="0 of 1 replica"):
            await writer.append("lapor_banten", [_record("A-2")])
        assert clock.monotonic() - started < 2.0  # bounded by ack_timeout, not hanging
    finally:
        for node in replicas:
            node.signal(signal.SIGCONT)
    # The sender retries: the record is there once, whether or not the refused write survived.
    again = await writer.append("lapor_banten", [_record("A-2")])
    assert again.accepted + again.duplicates == 1
    assert connect(cluster.url).xlen(feed_stream("lapor_banten")) == 2
    await client.aclose()


def test_sentinels_from_config_make_the_url_every_role_uses(cluster, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    config = parse_config({"redis": {"sentinels": [f"127.0.0.1:{p}" for p in cluster.sentinel_ports],
                                     "sentinel_password": cluster.password}})
    url = configured_url(config)
    assert url.startswith("redis+sentinel://")
    client = connect(url)
    client.set("cc:test:where", "primary")
    assert client.connection_pool.get_master_address()[1] == cluster.primary_port()
