"""An ingest process killed (SIGKILL) while agencies push 1,000 records/s through haproxy to two of them.

What a sender relies on: every record answered 2xx is in the stream afterwards (0 acknowledged records
lost), webhooks are taken again within seconds by the other process, and the headline figure derive
keeps equals a recount. The load balancer is haproxy with the repository's own deploy/haproxy.cfg."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess

import aiohttp
import yaml

from core import clock
from core.redis import connect, free_port
from core.redis_sentinel import ReplicatedRedis
from core.streams import feed_stream
from tests.faults.cluster import (
    BATCH,
    METRIC,
    RATE,
    ROOT,
    SENDERS,
    WEBHOOK_FEED,
    Role,
    headline_when,
    outcome,
    send_records,
    write_config,
)

BEFORE, AFTER = 4.0, 8.0


def test_losing_an_ingest_process_loses_no_acknowledged_record(tmp_path):
    config_path = write_config(tmp_path)
    front = yaml.safe_load(config_path.read_text())["ingest"]["port"]
    ports = [free_port(), free_port()]
    env = dict(os.environ, CC_INGEST_BIND=f"127.0.0.1:{front}", CC_INGEST1=f"127.0.0.1:{ports[0]}",
               CC_INGEST2=f"127.0.0.1:{ports[1]}", CC_LB_BIND=f"127.0.0.1:{free_port()}",
               CC_WEB1=f"127.0.0.1:{free_port()}", CC_WEB2=f"127.0.0.1:{free_port()}")
    url = f"http://127.0.0.1:{front}/ingest/{WEBHOOK_FEED}"
    with ReplicatedRedis(tmp_path / "redis") as cluster:
        ingests = []
        for i, port in enumerate(ports):
            role = Role("ingest", config_path, cluster, tmp_path / f"ingest-{i}.log")
            role.args += ["--port", str(port)]
            ingests.append(role.start())
        derive = Role("derive", config_path, cluster, tmp_path / "derive.log").start()
        balancer = subprocess.Popen([shutil.which("haproxy"), "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
                                    env=env, stdout=(tmp_path / "haproxy.log").open("w"), stderr=subprocess.STDOUT)
        try:
            for role, port in zip(ingests, ports):
                role.wait_http(f"http://127.0.0.1:{port}/healthz")
            try:
                ingests[0].wait_http(f"http://127.0.0.1:{front}/healthz")
            except RuntimeError as exc:  # the processes answer, so say what the balancer said
                raise RuntimeError(f"haproxy in front of them never answered (exit {balancer.poll()}): "
                                   f"{(tmp_path / 'haproxy.log').read_text()[-2000:]}") from exc
            acked, answers = [], []

            async def load() -> float:
                stop = asyncio.Event()
                async with aiohttp.ClientSession() as session:
                    senders = [asyncio.create_task(send_records(session, url, i * BATCH, stop, acked, answers))
                               for i in range(SENDERS)]
                    await asyncio.sleep(BEFORE)
                    killed = clock.monotonic()
                    ingests[0].kill()
                    await asyncio.sleep(AFTER)
                    stop.set()
                    await asyncio.gather(*senders)
                return killed

            killed = asyncio.run(load())
            found, lost, back_in, refused = outcome(cluster.url, acked, answers, killed)
            print(f"\ningest process killed under load: {len(acked)} records acknowledged "
                  f"({len(acked) / (BEFORE + AFTER):.0f}/s), {len(found)} in the stream, {len(lost)} lost, "
                  f"{refused} requests refused or unanswered, longest wait for an acknowledgement {back_in:.2f} s")
            assert len(acked) > RATE * BEFORE * 0.5, f"the load never got going: {ingests[1].log()}"
            assert not lost, f"{len(lost)} acknowledged records lost, e.g. {sorted(lost)[:5]}"
            assert back_in < 5.0, f"webhooks not taken again within 5 s: {(tmp_path / 'haproxy.log').read_text()}"
            assert connect(cluster.url).xlen(feed_stream(WEBHOOK_FEED)) == len(found)

            # The headline figure, kept by derive through the fault, against a recount.
            figure = headline_when(cluster.url, len(found))
            assert figure == len(found), f"{METRIC} shows {figure}, the stream holds {len(found)}: {derive.log()}"
        finally:
            balancer.send_signal(signal.SIGTERM)
            balancer.wait(timeout=10)
            derive.stop()
            for role in ingests:
                role.stop()
