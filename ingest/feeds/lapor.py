"""lapor: e-Pormas / SP4N-LAPOR! complaints pulled with GET ?since=<the last updated_at seen>.

The watermark (the newest `updated_at` stored) lives in Redis, so a restarted worker asks from
where the last one stopped and misses nothing. The source answers `since` inclusively, so the
edge second comes again: those repeats are dropped by the dedup of source ids.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp

from core.streams import feed_watermark, utc_now
from ingest.feeds.base import PollingFeed, PollOptions
from ingest.feeds.http_json import parse_json, records_at
from ingest.normalize import parse_time

# A time this far ahead of the clock is a source's mistake: it must not push the watermark past real changes.
FUTURE_SLACK = timedelta(hours=1)


class LaporOptions(PollOptions):
    url: str
    records: str = "data"
    # The field whose newest value is passed back as `since`.
    watermark_field: str = "updated_at"
    # Where a worker with no watermark yet starts (an ISO time); empty asks for everything the source keeps.
    start: str = ""


class LaporFeed(PollingFeed):
    kind = "lapor"
    Options = LaporOptions

    async def watermark(self) -> str | None:
        """The newest `updated_at` already stored, as the source wrote it."""
        value = await self.intake.writer.client.get(feed_watermark(self.feed_id))
        if isinstance(value, bytes):
            value = value.decode()
        return value or self.options.start or None

    async def fetch(self, session: aiohttp.ClientSession) -> bytes:
        since = await self.watermark()
        return await self.get_url(session, self.options.url, {"since": since} if since else None)

    def parse(self, raw: bytes) -> list[Any]:
        return records_at(parse_json(raw), self.options.records)

    async def taken(self, rows: list[Any]) -> None:
        """Move the watermark to the newest change now stored; never backwards."""
        newest = newest_change(rows, self.options.watermark_field)
        if newest is None:
            return
        current = await self.watermark()
        if current:
            try:
                if parse_time(current) >= parse_time(newest):
                    return
            except ValueError:
                pass  # an unreadable old watermark is replaced
        await self.intake.writer.client.set(feed_watermark(self.feed_id), newest)


def newest_change(rows: list[Any], field: str = "updated_at") -> str | None:
    """The latest readable `field` among the rows, as written; unreadable times are skipped."""
    newest, newest_text, latest_allowed = None, None, utc_now() + FUTURE_SLACK
    for row in rows:
        if not isinstance(row, dict) or row.get(field) in (None, ""):
            continue
        try:
            moment = parse_time(row[field])
        except ValueError:
            continue
        if moment > latest_allowed:
            continue
        if newest is None or moment > newest:
            newest, newest_text = moment, str(row[field])
    return newest_text
