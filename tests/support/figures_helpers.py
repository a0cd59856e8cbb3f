"""Helpers for the figures tests: records from the real adapters on saved payloads, and a processor run."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from core.config import load_config
from core.streams import FIGURES_GROUP, Record, app_records, app_regions, app_trend, app_units, feed_stream
from ingest.derive.figures_processor import CONSUMER, FiguresProcessor
from ingest.derive.groups import drain
from ingest.records import Malformed, RecordBuilder, Rejected

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_config(ROOT / "config.yaml")


def records_of(feed_id: str, rows: list, ingest_time: datetime) -> list[Record]:
    """The Records the ingest side would store for these adapter rows (bad rows left out, as dead letters)."""
    builder = RecordBuilder(feed_id, CONFIG.feeds[feed_id])
    out = []
    for row in rows:
        if isinstance(row, Malformed):
            continue
        try:
            out.append(builder.build(row, ingest_time))
        except Rejected:
            continue
    return out


async def store(client, records: list[Record]) -> None:
    for record in records:
        await client.xadd(feed_stream(record.feed_id), record.encode())


async def catch_up(client, processor: FiguresProcessor, now: datetime, started: bool = False) -> FiguresProcessor:
    """Start (unless started) and apply every entry, our pending ones first, at a chosen `now`."""
    if not started:
        await processor.start()

    async def handle(entries):
        await processor.process(entries, now)

    await drain(client, FIGURES_GROUP, CONSUMER, processor.streams, handle, pending=True)
    while await drain(client, FIGURES_GROUP, CONSUMER, processor.streams, handle, pending=False):
        pass
    return processor


async def region_level(client, app: str) -> dict[str, dict]:
    """The province and kab/kota level of an application, as a page reads it: one HGETALL."""
    return {k: json.loads(v) for k, v in (await client.hgetall(app_regions(app))).items()}


async def unit_level(client, app: str, region: str) -> dict[str, dict]:
    return {k: json.loads(v) for k, v in (await client.hgetall(app_units(app, region))).items()}


async def record_level(client, app: str, region: str, unit: str) -> dict[str, dict]:
    return {k: json.loads(v) for k, v in (await client.hgetall(app_records(app, region, unit))).items()}


async def trend_of(client, app: str, region: str) -> dict[str, dict]:
    return {k: json.loads(v) for k, v in (await client.hgetall(app_trend(app, region))).items()}
