"""Helpers of the simulated agency tests: free ports, a fake ingest, a hand-moved clock, feed checks."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp
import yaml
from aiohttp import web

from core.clock import WIB
from core.config import Config, FeedConfig, parse_config
from core.regions import normalize_region
from ingest.demo import serve, service_ports
from ingest.demo.clock import DemoClock
from tests.support.ports import free_port_block

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-lapor-token-0123"
ISO_WIB = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")
# A fixed Friday afternoon, so tests that depend on the day do not depend on when they run.
FIXED_NOW = datetime(2026, 11, 27, 14, 30, tzinfo=WIB)


def demo_config(base_port: int, ingest_port: int, speed: float = 100.0) -> Config:
    """The project's config.yaml, with the demo and ingest moved to test ports."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["demo"].update({"host": "127.0.0.1", "base_port": base_port, "speed": speed})
    data["ingest"].update({"host": "127.0.0.1", "port": ingest_port})
    data["feeds"]["lapor_banten"]["tokens"] = [TOKEN]
    return parse_config(data)


@dataclass
class FakeIngest:
    """A stand-in for the ingest webhook that records what it is sent and answers `status`."""

    status: int = 202
    # Accepted requests as (Authorization header, JSON body); refused ones are only counted.
    requests: list[tuple[str | None, object]] = field(default_factory=list)
    refused: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    runner: web.AppRunner | None = None
    port: int = 0

    @property
    def records(self) -> list[dict]:
        """Every pushed record, in order of arrival (lists unpacked)."""
        out = []
        for _, body in self.requests:
            out.extend(body if isinstance(body, list) else [body])
        return out

    async def start(self, port: int = 0) -> FakeIngest:
        async def receive(request: web.Request) -> web.Response:
            body = await request.json()
            if 200 <= self.status < 300:
                self.requests.append((request.headers.get("Authorization"), body))
                self.arrived.set()
            else:
                self.refused += 1
            return web.json_response({"accepted": 1}, status=self.status)

        app = web.Application()
        app.router.add_post("/ingest/lapor_banten", receive)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", port)
        await site.start()
        self.port = self.runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()


async def wait_for(condition, timeout: float = 5.0, every: float = 0.02) -> None:
    """Poll `condition()` until it is true; fail the test after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(every)


@dataclass
class DemoRun:
    """The demo serving on test ports, with helpers to fetch from each service."""

    config: Config
    ports: dict[str, int]
    session: aiohttp.ClientSession

    def url(self, application: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[application]}{path}"

    async def get(self, application: str, path: str, **params) -> aiohttp.ClientResponse:
        response = await self.session.get(self.url(application, path), params=params or None)
        await response.read()
        return response

    async def json(self, application: str, path: str, **params):
        response = await self.get(application, path, **params)
        assert response.status == 200, await response.text()
        return await response.json()


async def start_demo(ingest_port: int, speed: float = 100.0):
    """Start serve() on free ports; returns (DemoRun, stop event, serve task)."""
    config = demo_config(free_port_block(10), ingest_port, speed)  # +7..9: the OPD systems
    stop = asyncio.Event()
    task = asyncio.create_task(serve(config, stop))
    ports = service_ports(config)
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))

    async def up() -> bool:
        try:
            async with session.get(f"http://127.0.0.1:{ports['e-disikap']}/api/panel-harga"):
                return True
        except aiohttp.ClientError:
            return False

    for _ in range(250):
        if task.done():
            task.result()  # raise the start-up error
        if await up():
            break
        await asyncio.sleep(0.02)
    return DemoRun(config, ports, session), stop, task






class FakeClock(DemoClock):
    """A clock the test moves by hand: `now()` is `moment`, `elapsed()` is `sim`."""

    def __init__(self, moment: datetime = FIXED_NOW):
        super().__init__(1.0, moment)
        self.moment = moment
        self.sim = 0.0

    def now(self) -> datetime:
        return self.moment

    def elapsed(self) -> float:
        return self.sim

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)
        self.sim += seconds




# --- checking a record against the feed that will read it ---------------------------------------

def _typed(kind: str, value, from_csv: bool) -> bool:
    if kind == "text":
        return isinstance(value, str) and value.strip() != ""
    if from_csv:
        value = value.strip()
        if kind == "integer":
            return value.isdigit()
        if kind == "number":
            return re.fullmatch(r"-?\d+(\.\d+)?", value) is not None
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "time":
        return isinstance(value, str) and ISO_WIB.match(value) is not None
    raise AssertionError(f"unknown field type {kind}")


def feed_problems(feed: FeedConfig, record: dict, from_csv: bool = False) -> list[str]:
    """What would stop `feed` from accepting `record`: missing or mistyped fields, no region, bad time."""
    problems = []
    for name, kind in feed.fields.items():
        if name not in record:
            problems.append(f"missing {name}")
        elif not _typed(kind, record[name], from_csv):
            problems.append(f"{name}={record[name]!r} is not {kind}")
    for name in {f for _, f, _, _ in string.Formatter().parse(feed.source_id) if f}:
        if record.get(name) in (None, ""):
            problems.append(f"source_id needs {name}")
    if feed.region and normalize_region(record.get(feed.region)) is None:
        problems.append(f"region {feed.region}={record.get(feed.region)!r} is not a Banten code")
    if feed.event_time:
        value = record.get(feed.event_time)
        dated = isinstance(value, str) and (ISO_WIB.match(value) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))
        if not dated:
            problems.append(f"event time {feed.event_time}={value!r} is not ISO 8601 in WIB")
    return problems


def feed_records(feed: FeedConfig, body: bytes) -> list[dict]:
    """The records a feed of kind http_json or csv takes out of a response body."""
    if feed.kind == "csv":
        return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    import json

    data = json.loads(body)
    path = feed.options.get("records", "")
    for part in [p for p in path.split(".") if p]:
        data = data[part]
    return data
