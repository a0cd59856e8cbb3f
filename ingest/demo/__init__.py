"""Simulated agency services for the demo and the tests: one local HTTP service per application.

Each OPD system with a demo slot listens on its own port (`demo.base_port` + its `demo_slot` in
core/apps.py) and serves the shapes and field names of the real source, so a feed
configured against the demo can be pointed at the real service later. e-Pormas also pushes its
complaints to the ingest webhook, as the real one would.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from aiohttp import web

from core import apps
from core.clock import frozen, utc_now
from core.config import Config
from core.redis import connect_async
from ingest.demo import opd_systems
from ingest.demo.backfill import check_empty, has_history, history_start, replay
from ingest.demo.bansos import Bansos
from ingest.demo.cctv import Cctv
from ingest.demo.clock import DemoClock, service_rng
from ingest.demo.disikap import Disikap
from ingest.demo.lpse import Lpse
from ingest.demo.pormas import Pormas
from ingest.demo.service import DemoService
from ingest.demo.statistik import Statistik
from ingest.demo.webhook_sender import WebhookSender
from ingest.demo.yankes import Yankes

__all__ = ["serve", "build_services", "service_ports", "lapor_webhook"]

log = logging.getLogger(__name__)

# The webhook feed e-Pormas pushes to, unless config has no such feed.
LAPOR_FEED = "lapor_banten"


def service_ports(config: Config) -> dict[str, int]:
    """The port of each application's simulated service: base_port plus its demo slot (core/apps.py)."""
    return {application: config.demo.base_port + slot for application, slot in apps.demo_slots().items()}


def lapor_webhook(config: Config) -> tuple[str, str] | None:
    """The ingest webhook URL and bearer token e-Pormas pushes to; None when config has no such feed."""
    feed_id = LAPOR_FEED if LAPOR_FEED in config.feeds else next(
        (fid for fid, f in config.feeds.items() if f.kind == "webhook" and f.application == "e-pormas"), None)
    if feed_id is None:
        return None
    tokens = config.feeds[feed_id].options.get("tokens") or []
    if not tokens:
        return None
    host = config.ingest.host
    # A server listening on every address is reached locally.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{config.ingest.port}/ingest/{feed_id}", str(tokens[0])


def opd_system_ports(config: Config) -> tuple[int, int]:
    """The simulated OPD systems the IT control center watches: HTTP and HTTPS after the agencies'
    services (and a DNS server on UDP at the port after those)."""
    after = config.demo.base_port + apps.demo_slot_count()
    return after, after + 1


def build_services(config: Config, clock: DemoClock) -> dict[str, DemoService]:
    """One simulated service per application with a demo slot (core/apps.py), in its order."""
    webhook = lapor_webhook(config)
    sender = WebhookSender(*webhook) if webhook else None
    services: dict[str, DemoService] = {
        "e-bansos": Bansos(clock, service_rng("e-bansos")),
        "e-pormas": Pormas(clock, service_rng("e-pormas"), sender),
        "e-cctv": Cctv(clock, service_rng("e-cctv"), rtsp_port=config.video.demo_rtsp_port),
        "e-statistik": Statistik(),
        "e-yankes": Yankes(clock, service_rng("e-yankes")),
        "e-lpse": Lpse(clock, service_rng("e-lpse")),
        "e-disikap": Disikap(clock, service_rng("e-disikap")),
    }
    missing = set(apps.demo_slots()) - set(services)
    assert not missing, f"a demo slot but no simulated service: {sorted(missing)}"
    return {app: services[app] for app in apps.demo_slots()}


async def serve(config: Config, stop: asyncio.Event, history_days: int = 0, redis_url: str | None = None) -> None:
    """Run all seven simulated agency services until `stop` is set.

    With `history_days` and a store that has no history yet, the services first live through that
    many past days, replayed through the real ingest and derive (backfill.py), then go on live.
    """
    client = connect_async(redis_url) if history_days and redis_url else None
    runners: list[web.AppRunner] = []
    tasks: list[asyncio.Task] = []
    dns_server = None
    waiter = asyncio.ensure_future(stop.wait())
    try:
        replaying = client is not None and not await has_history(client)
        if client is not None and not replaying:
            log.info("history: already replayed into this store; going on live")
        if replaying:
            await check_empty(config, client)  # a refused history takes no port
        if config.monitors.opds:
            # The OPD systems the IT control center watches are up from the start, on the real clock,
            # while the agencies replay their past: the monitor checks them live, with no past.
            host = config.demo.host
            http_port, https_port = opd_system_ports(config)
            runners.append(await opd_systems.start(opd_systems.OpdSystems(), host, http_port, https_port,
                                                   Path(config.redis.data_dir).parent / "demo-tls"))
            dns_server = await opd_systems.start_dns(host, https_port + 1)  # UDP, beside them
        if replaying:
            end = utc_now()
            with frozen(history_start(history_days)) as advance:
                services = await _listen(config, runners)
                await replay(config, client, services, end, advance)
        else:
            services = await _listen(config, runners)
        tasks = [asyncio.create_task(s.run(stop), name=f"demo-{a}") for a, s in services.items()]
        done, _ = await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            # A simulation that dies takes the demo down, so the supervisor restarts it.
            if task is not waiter and not task.cancelled() and task.exception():
                raise task.exception()
    finally:
        for task in (waiter, *tasks):
            task.cancel()
        await asyncio.gather(waiter, *tasks, return_exceptions=True)
        for runner in reversed(runners):
            await runner.cleanup()
        if dns_server is not None:
            dns_server.close()
        if client is not None:
            await client.aclose()


async def _listen(config: Config, runners: list[web.AppRunner]) -> dict[str, DemoService]:
    """Build the seven services at the clock's time and serve each on its port."""
    services = build_services(config, DemoClock(config.demo.speed))
    ports = service_ports(config)
    host = config.demo.host
    for application, service in services.items():
        app = web.Application()
        app.add_routes(service.routes())
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        runners.append(runner)
        try:
            await web.TCPSite(runner, host, ports[application]).start()
        except OSError as exc:
            raise OSError(exc.errno, f"demo {application}: cannot listen on {host}:{ports[application]}: "
                                     f"{exc.strerror or exc}") from exc
    if not lapor_webhook(config):
        log.info("demo e-pormas: no webhook feed for e-pormas in config; complaints are only served "
                 "at GET /api/laporan")
    log.info("simulated agencies listening on %s:%d-%d (speed x%g)", host, min(ports.values()),
             max(ports.values()), config.demo.speed)
    return services
