"""The probe agent (`run.py probe --probe <id>`): runs inside an OPD's or kab/kota's network, checks the
services that name it (`probe: <id>`), and pushes the results to the command center's ingest API with
its own token. It needs no Redis. While the command center cannot be reached it keeps the results
(up to a bound) and sends them when it can, so an outage of the link loses no history."""

from __future__ import annotations

import asyncio
import logging
from collections import deque

import aiohttp

from core.clock import utc_now
from core.config import Config
from ingest.monitor.checks import KINDS
from ingest.monitor.checks.context import CheckContext
from ingest.monitor.result import CheckResult
from ingest.monitor.scheduler import Scheduler

log = logging.getLogger("probe")
SEND_EVERY_S = 2.0
KEPT = 50_000  # results held while the command center is unreachable (about a day of 35 services)
BATCH = 1000


class ProbeAgent:
    def __init__(self, config: Config, probe: str, ingest_url: str, session: aiohttp.ClientSession):
        settings = config.monitors
        self.probe = probe
        self.token = settings.probes[probe].token
        self.url = ingest_url.rstrip("/") + "/monitor/results"
        self.services = {sid: svc for sid, (_, svc) in settings.services().items() if svc.probe == probe}
        self.context = CheckContext(session)
        self.session = session
        self.waiting: deque[CheckResult] = deque(maxlen=KEPT)
        self.sent = 0
        self.failing_since: float | None = None

    async def check(self, service: str) -> bool:
        svc = self.services[service]
        outcome = await KINDS[svc.kind].check(service, svc, self.context)
        self.waiting.append(CheckResult.of(service, utc_now(), outcome, self.probe))
        return outcome.ok

    async def send(self) -> None:
        """Post what is waiting, in batches; keep it when the command center does not take it."""
        while self.waiting:
            batch = [self.waiting[i] for i in range(min(BATCH, len(self.waiting)))]
            body = {"results": [{k: v for k, v in r.encode().items() if k != "probe"} for r in batch]}
            try:
                async with self.session.post(self.url, json=body, headers={"Authorization": f"Bearer {self.token}"},
                                             timeout=aiohttp.ClientTimeout(total=15)) as resp:
                    if resp.status != 202:
                        raise RuntimeError(f"HTTP {resp.status}: {(await resp.text())[:200]}")
                    answer = await resp.json()
            except (TimeoutError, aiohttp.ClientError, RuntimeError) as exc:
                if self.failing_since is None:
                    self.failing_since = asyncio.get_running_loop().time()
                    log.warning("probe %s: cannot reach the command center (%s); keeping results", self.probe, exc)
                return
            if self.failing_since is not None:
                log.info("probe %s: command center reachable again", self.probe)
                self.failing_since = None
            for bad in answer.get("rejected", []):
                log.warning("probe %s: result refused: %s", self.probe, bad.get("reason"))
            for _ in batch:
                self.waiting.popleft()
            self.sent += len(batch)

    async def run(self, stop: asyncio.Event, concurrency: int) -> None:
        scheduler = Scheduler(self.services, self.check, concurrency)
        sender = asyncio.create_task(self._keep_sending(stop))
        try:
            await scheduler.run(stop)
        finally:
            await sender
            await self.send()  # what was checked last still goes

    async def _keep_sending(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.send()
            try:
                await asyncio.wait_for(stop.wait(), SEND_EVERY_S)
            except TimeoutError:
                pass


async def run_probe(config: Config, probe: str, ingest_url: str, stop: asyncio.Event) -> None:
    async with aiohttp.ClientSession(headers={"User-Agent": f"BantenCommandCenter-Probe/{probe}"}) as session:
        agent = ProbeAgent(config, probe, ingest_url, session)
        log.info("probe %s: %d services, results to %s", probe, len(agent.services), agent.url)
        await agent.run(stop, config.monitors.concurrency)
