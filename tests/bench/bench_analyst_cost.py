"""The marginal cost of one more analyst session on a dashboard process, in % of a core, at several loads.

    .venv/bin/python -m tests.bench.bench_analyst_cost [--sessions 0 5 20 40] [--seconds 20] [--every 3]
                                                      [--rate 20]

The dashboard runs as `run.py dashboard` (its own process, so its CPU is its own), with `run.py ingest`
and `run.py derive` on the same embedded Redis while complaints arrive through the webhook at `--rate`
records/s: live data, so the derived figures change and the hub tells every open analyst page.
e-Disikap's comparison data is at its worst size (bench_analyst.py's seed: 10 series x 9 regions x 92
days).

An analyst session is what one person's browser sends: signed in as analyst (each session its own
sign-in), on /analyst over Dash's WebSocket: the router's page build, the page's live push, and the
comparison callback (`compare_regions`) with the values the controls hold. The person changes the
comparison every `--every` seconds (other regions, another commodity: the measure list and the figures
read again), and the page re-runs it whenever its push says the figures changed, as the browser does.
Sessions are added between loads and stay open. For each load: the dashboard's CPU over the window
(from /proc), the comparisons answered and their round trip as the session saw it (p50, p95). The
marginal cost of a session is the CPU difference between two loads over the sessions added; flat
means the 40th session costs what the 5th did. The deployment guide sizes the dashboard hosts from it.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.clock import utc_now, wib_today
from core.config import load_config
from core.redis import EmbeddedRedis, connect
from dashboard.analyst.analysis import REGIONS
from dashboard.analyst.page import View
from dashboard.app import create_app
from tests.bench.bench_analyst import COMMODITIES, seed
from tests.bench.bench_marginal_cost import cpu_seconds, push, role_pid
from tests.faults.cluster import WEBHOOK_FEED, Role, write_config
from tests.support.app import SESSION_COOKIE, login
from tests.support.dash_walls import stream_callback

APP = "e-disikap"
# What a person compares in turn: a few regions, more of them, all of them; a commodity each time.
REGION_CHOICES = [list(REGIONS[-2:]), list(REGIONS[-5:]), list(REGIONS)]
WARM_UP = 3.0
CHANGED = {"ana-loc": "ana-loc.search", "ana-clock": "ana-clock.data", "ana-regions": "ana-regions.value"}


def callback_of(app, first_input: str) -> str:
    """The id of the callback whose first input is `first_input` (component.property)."""
    return next(k for k, v in app.callback_map.items()
                if v["inputs"] and f"{v['inputs'][0]['id']}.{v['inputs'][0]['property']}" == first_input)


def outputs_of(key: str) -> list[dict]:
    """A multi-output callback's outputs as the renderer lists them in a request."""
    return [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True)) for part in key.strip(".").split("...")]


@dataclass
class Shape:
    """The callbacks a browser on /analyst sends, by their ids in the app."""

    router: str
    push_started: str
    compare: str
    compare_inputs: list[dict]

    @classmethod
    def of(cls, app) -> Shape:
        compare = callback_of(app, "ana-app.value")
        started = next(k for k, v in app.callback_map.items() if v.get("no_output")
                       and [f"{i['id']}.{i['property']}" for i in v["inputs"]] == ["wall-meta.data"])
        assert started != stream_callback(app)
        return cls(callback_of(app, "url.pathname"), started, compare, app.callback_map[compare]["inputs"])


@dataclass
class Tally:
    """What the sessions saw: each comparison's round trip (moment answered, ms, why it ran)."""

    answered: list[tuple[float, float, str]] = field(default_factory=list)
    pushes: int = 0
    errors: list[str] = field(default_factory=list)


class AnalystSession:
    """One person on /analyst over Dash's WebSocket, as the browser speaks it."""

    def __init__(self, n: int, base: str, cookie: str, shape: Shape, tally: Tally, every: float):
        self.n, self.base, self.cookie, self.shape, self.tally, self.every = n, base, cookie, shape, tally, every
        self.url = base.replace("http://", "ws://") + "/_dash-ws-callback"
        self.regions = REGION_CHOICES[n % len(REGION_CHOICES)]
        self.measure = f"harga:{COMMODITIES[n % len(COMMODITIES)]}"
        self.search = View(APP, self.measure, tuple(self.regions), None, None, "garis", "id").search()
        self.rendered = ""
        self.ticks = 0
        self.ids = itertools.count()
        self.waiting: dict[str, asyncio.Future] = {}
        self.meta: dict | None = None

    async def run(self, stop: asyncio.Event, opened: asyncio.Event) -> None:
        import websockets

        async with websockets.connect(self.url, max_size=None, origin=self.base,
                                      additional_headers={"Cookie": f"{SESSION_COOKIE}={self.cookie}"}) as ws:
            self.ws = ws
            reader = asyncio.create_task(self._read())
            try:
                page = await self._call(self.shape.router, [{"id": "screen", "property": "children"},
                                                            {"id": "wall-meta", "property": "data"}],
                                        [{"id": "url", "property": "pathname", "value": "/analyst"},
                                         {"id": "url", "property": "search", "value": self.search}],
                                        [{"id": "wall-meta", "property": "data", "value": None}],
                                        ["url.pathname", "url.search"])
                assert "response" in page, f"the page was not built: {str(page)[:300]}"
                self.meta = page["response"]["wall-meta"]["data"]
                assert self.meta.get("page") == "analyst", f"not the analyst page: {self.meta}"
                # The page's push: runs as long as the socket does, so not awaited.
                await self._send(self.shape.push_started, [],
                                 [{"id": "wall-meta", "property": "data", "value": self.meta}], [], ["wall-meta.data"])
                await self.compare("ana-loc")  # the page's first paint
                opened.set()
                # People do not click in step: each starts at its own moment in the period.
                await _sleep_or_stop(stop, self.every * ((self.n * 0.37) % 1))
                while not stop.is_set():
                    self.regions = REGION_CHOICES[(REGION_CHOICES.index(self.regions) + 1) % len(REGION_CHOICES)]
                    self.measure = f"harga:{COMMODITIES[(COMMODITIES.index(self.measure[6:]) + 1) % len(COMMODITIES)]}"
                    await self.compare("ana-regions")
                    await _sleep_or_stop(stop, self.every)
            finally:
                reader.cancel()

    async def compare(self, why: str) -> None:
        """Run the comparison as the controls stand, `why` the input that changed."""
        values = {"ana-app.value": APP, "ana-measure.value": self.measure, "ana-regions.value": self.regions,
                  "ana-range.start_date": None, "ana-range.end_date": None, "ana-chart.value": "garis",
                  "ana-loc.search": self.search, "ana-clock.data": self.ticks}
        inputs = [dict(i, value=values[f"{i['id']}.{i['property']}"]) for i in self.shape.compare_inputs]
        state = [{"id": "ana-lang", "property": "data", "value": "id"},
                 {"id": "ana-page", "property": "data-view", "value": self.rendered}]
        started = time.monotonic()
        answer = await self._call(self.shape.compare, outputs_of(self.shape.compare), inputs, state,
                                  [CHANGED[why]])
        now = time.monotonic()
        if answer.get("status") == "error" or "response" not in answer:
            self.tally.errors.append(str(answer)[:300])
            return
        page = answer["response"].get("ana-page", {})
        if page.get("data-days") in ("0", 0):
            self.tally.errors.append(f"an empty comparison: {self.measure} in {self.regions}")
        self.rendered = page.get("data-view", self.rendered)
        search = answer["response"].get("ana-loc", {}).get("search")
        if isinstance(search, str):
            self.search = search
        self.tally.answered.append((now, (now - started) * 1000, why))

    async def _call(self, output: str, outputs, inputs, state, changed) -> dict:
        """The callback's answer ({'multi', 'response'}), or the error it was answered with."""
        request_id = await self._send(output, outputs, inputs, state, changed)
        payload = await self.waiting[request_id]
        return payload.get("data") or {} if payload.get("status") == "ok" else payload

    async def _send(self, output: str, outputs, inputs, state, changed) -> str:
        request_id = f"s{self.n}-{next(self.ids)}"
        self.waiting[request_id] = asyncio.get_running_loop().create_future()
        await self.ws.send(json.dumps({"type": "callback_request", "requestId": request_id,
                                       "rendererId": f"r{self.n}",
                                       "payload": {"output": output, "outputs": outputs, "inputs": inputs,
                                                   "state": state, "changedPropIds": changed}}))
        return request_id

    async def _read(self) -> None:
        rerun: asyncio.Task | None = None
        again = False

        async def rerun_while_moved() -> None:
            nonlocal again
            while again:
                again = False
                await self.compare("ana-clock")
        async for raw in self.ws:
            batch = json.loads(raw)
            for msg in batch if isinstance(batch, list) else [batch]:
                kind = msg.get("type")
                if kind == "callback_response":
                    waiting = self.waiting.pop(msg["requestId"], None)
                    if waiting and not waiting.done():
                        waiting.set_result(msg.get("payload") or {})
                elif kind == "get_props_request":  # the push asking whether the page is still there
                    await self.ws.send(json.dumps({"type": "get_props_response", "requestId": msg["requestId"],
                                                   "rendererId": msg["rendererId"], "payload": {"data": self.meta}}))
                elif kind == "set_props" and msg["payload"]["componentId"] == "ana-clock":
                    self.tally.pushes += 1
                    self.ticks = msg["payload"]["props"].get("data", self.ticks + 1)
                    # As the renderer: the clock is an input, so the comparison runs again; one at a
                    # time, and once more after it when the clock moved meanwhile.
                    again = True
                    if rerun is None or rerun.done():
                        rerun = asyncio.create_task(rerun_while_moved())


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else float("nan")


async def measure(args, base: str, shape: Shape, dashboard_pid: int, webhook: str) -> list[tuple]:
    tally, stop, sessions, rows = Tally(), asyncio.Event(), [], []
    tasks: list[asyncio.Task] = []
    first = 0
    for load in args.sessions:
        while len(sessions) < load:
            cookie = await asyncio.to_thread(login, base, "analyst")
            session = AnalystSession(len(sessions), base, cookie, shape, tally, args.every)
            opened = asyncio.Event()
            task = asyncio.create_task(session.run(stop, opened))
            tasks.append(task)
            await asyncio.wait([task, asyncio.ensure_future(opened.wait())], timeout=30,
                               return_when=asyncio.FIRST_COMPLETED)
            if task.done():
                task.result()  # a session that could not open: its error
            assert opened.is_set(), "a session did not open within 30 s"
            sessions.append(session)
        await push(webhook, args.rate, WARM_UP, first)
        first += 10_000_000
        pushes, before, started = tally.pushes, cpu_seconds(dashboard_pid), time.monotonic()
        await push(webhook, args.rate, args.seconds, first)
        first += 10_000_000
        elapsed = time.monotonic() - started
        cost = (cpu_seconds(dashboard_pid) - before) / elapsed * 100
        window = [(ms, why) for t, ms, why in tally.answered if started <= t <= started + elapsed]
        rows.append((load, cost, len(window), [ms for ms, _ in window],
                     sum(1 for _, why in window if why == "ana-clock"), (tally.pushes - pushes) / elapsed))
        failed = [t for t in tasks if t.done() and t.exception()]
        assert not failed, f"a session ended: {failed[0].exception()!r}"
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert not tally.errors, f"comparisons answered with an error: {tally.errors[:3]}"
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, nargs="+", default=[0, 5, 20, 40])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--every", type=float, default=3.0, help="seconds between a person's comparisons")
    parser.add_argument("--rate", type=int, default=20, help="complaints per second through the webhook")
    args = parser.parse_args()
    loads_seen = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config_path = write_config(work)
        config = load_config(config_path)
        ports = yaml.safe_load(config_path.read_text())
        base = f"http://127.0.0.1:{ports['dashboard']['port']}"
        webhook = f"http://127.0.0.1:{ports['ingest']['port']}/ingest/{WEBHOOK_FEED}"
        redis = EmbeddedRedis(work / "redis").start()
        seed(connect(redis.url, decode_responses=True), wib_today(utc_now()))
        roles = {name: Role(name, config_path, redis, work / f"{name}.log").start()
                 for name in ("ingest", "derive", "dashboard")}
        try:
            roles["ingest"].wait_http(f"http://127.0.0.1:{ports['ingest']['port']}/healthz")
            roles["dashboard"].wait_http(base + "/healthz")
            shape = Shape.of(create_app(config, redis.url))  # the same callbacks as the process's: for their ids
            rows = asyncio.run(measure(args, base, shape, role_pid(roles["dashboard"]), webhook))
            loads_seen.append(os.getloadavg())
        finally:
            for role in roles.values():
                role.stop()
            redis.stop()
    one, five, _ = loads_seen[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {one:.1f} (1 min), {five:.1f} (5 min) at the end; a person re-compares every "
          f"{args.every:g} s; {args.rate} complaints/s; {args.seconds:g} s measured per load")
    print(f"{'sessions':>8} {'dashboard %':>12} {'comparisons':>12} {'of them pushed':>15} {'pushes/s':>9} "
          f"{'p50 ms':>7} {'p95 ms':>7}")
    for load, cost, count, samples, pushed, push_rate in rows:
        print(f"{load:>8} {cost:>12.1f} {count:>12} {pushed:>15} {push_rate:>9.1f} "
              f"{percentile(samples, 0.5):>7.1f} {percentile(samples, 0.95):>7.1f}")
    print("marginal cost of one analyst session (% of a core):")
    for (n0, c0, *_), (n1, c1, *_) in itertools.pairwise(rows):
        print(f"  {n0}->{n1}: {(c1 - c0) / (n1 - n0):.2f}")
    if rows and rows[-1][0]:
        print(f"  mean per session at {rows[-1][0]}: {(rows[-1][1] - rows[0][1]) / (rows[-1][0] - rows[0][0]):.2f}")


if __name__ == "__main__":
    main()
