"""A webhook feed behind several ingest processes: each process's /healthz reports the feed's whole
count, whichever process took the pushes, and a restarted process still reports it. Real HTTP, real
Redis, two ingest roles as run.py starts them."""

from __future__ import annotations

import asyncio
from datetime import datetime

import aiohttp

from core.config import parse_config
from core.redis import free_port
from ingest.service import run_ingest

TOKEN = "shared-health-token-0123"


def settings(port: int) -> dict:
    return {
        "ingest": {"port": port, "hold": 1.5},
        "feeds": {"lapor": {
            "kind": "webhook", "application": "e-pormas", "title": "Pengaduan", "tokens": [TOKEN],
            "source_id": "{tracking_id}-{status}", "region": "city_id", "stale_after": 60,
            "fields": {"tracking_id": "text", "status": "text"},
        }},
    }


def complaint(n: int) -> dict:
    return {"tracking_id": f"LPR-{n}", "status": "diterima", "city_id": "3673"}


async def push(http: aiohttp.ClientSession, port: int, body) -> dict:
    async with http.post(f"http://127.0.0.1:{port}/ingest/lapor", json=body,
                         headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
        assert resp.status == 202
        return await resp.json()


async def lapor(http: aiohttp.ClientSession, port: int) -> dict:
    async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
        return (await resp.json())["feeds"]["lapor"]


async def answering(http: aiohttp.ClientSession, port: int) -> None:
    for _ in range(200):
        try:
            await lapor(http, port)
            return
        except aiohttp.ClientError:
            await asyncio.sleep(0.05)
    raise AssertionError(f"ingest on port {port} never answered")


class Ingest:
    """One ingest role in this event loop, started and stopped like run.py's."""

    def __init__(self, redis_url: str, port: int):
        self.redis_url, self.port = redis_url, port

    async def __aenter__(self) -> Ingest:
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(run_ingest(parse_config(settings(self.port)), self.redis_url, self.stop))
        return self

    async def __aexit__(self, *exc) -> None:
        self.stop.set()
        await self.task


async def test_each_process_reports_the_pushes_taken_by_all_of_them(redis_url):
    ports = free_port(), free_port()
    async with aiohttp.ClientSession() as http:
        async with Ingest(redis_url, ports[0]), Ingest(redis_url, ports[1]):
            for port in ports:
                await answering(http, port)
            # Three pushes to the first, two to the second; one record sent twice, one refused.
            for n in range(3):
                await push(http, ports[0], [complaint(n)])
            assert await push(http, ports[1], [complaint(3), complaint(4), {"status": "x"}]) \
                == {"accepted": 2, "rejected": 1, "duplicates": 0}
            assert await push(http, ports[1], [complaint(0)]) == {"accepted": 0, "rejected": 0, "duplicates": 1}

            seen = [await lapor(http, port) for port in ports]
            for health in seen:
                assert (health["state"], health["records_in"], health["records_rejected"], health["duplicates"]) \
                    == ("ok", 5, 1, 1)
            # The last push reached the second process: both say it came then.
            assert seen[0]["last_success"] == seen[1]["last_success"]
            last = datetime.fromisoformat(seen[0]["last_success"].replace("Z", "+00:00"))

        # Both stopped; a process started again reports the same totals before any push.
        async with Ingest(redis_url, ports[0]):
            await answering(http, ports[0])
            health = await lapor(http, ports[0])
            assert (health["records_in"], health["records_rejected"], health["duplicates"]) == (5, 1, 1)
            assert datetime.fromisoformat(health["last_success"].replace("Z", "+00:00")) == last
            await push(http, ports[0], [complaint(5)])
            assert (await lapor(http, ports[0]))["records_in"] == 6
