"""e-Banjir's reports of yesterday and today, through ingest's record builder, the streams and the
figures and headline processors (the eighth application of tests/support/eighth_app.py)."""

from __future__ import annotations

from datetime import timedelta

from core.clock import utc_now
from core.config import Config
from core.redis import connect_async
from core.streams import DERIVE_GROUP, feed_stream
from ingest.derive.figures_processor import FiguresProcessor
from ingest.derive.groups import drain
from ingest.derive.headline import CONSUMER as HEADLINE_CONSUMER
from ingest.derive.headline import HeadlineProcessor
from ingest.records import RecordBuilder
from tests.support.figures_helpers import catch_up, store

SETTINGS = {
    "feeds": {"banjir_pos": {"kind": "http_json", "application": "e-banjir", "url": "http://127.0.0.1:9/pos",
                             "source_id": "pos", "region": "kode_wilayah", "event_time": "waktu",
                             "fields": {"tinggi_cm": "number"}}},
    "metrics": {"banjir_siaga": {"application": "e-banjir", "label": "Pos siaga banjir", "label_en": "Posts on alert",
                                 "feed": "banjir_pos", "entity": ["pos"], "aggregate": "count",
                                 "where": {"status": ["siaga", "awas"]}, "unit": "count", "higher_is_worse": True}},
}
# (kab/kota, posts, on alert yesterday, on alert today, highest water level today in cm)
POSTS = (("3602", 8, 3, 6, 320), ("3601", 6, 2, 2, 250), ("3604", 7, 5, 5, 280))


def rows(day, on_alert_of) -> list[dict]:
    """Every post's report of a day: the first `on_alert` posts of a kab/kota are on alert."""
    out = []
    for region, posts, yesterday, today, highest in POSTS:
        alert = on_alert_of(yesterday, today)
        for i in range(posts):
            out.append({"pos": f"P-{region}-{i + 1}", "kode_wilayah": region, "waktu": day.isoformat(),
                        "status": "siaga" if i < alert else "normal", "tinggi_cm": highest - 10 * i})
    return out


async def derive(redis_url: str, config: Config) -> None:
    """Yesterday's and today's reports through ingest's builder, the streams and both processors,
    each day at its own time (the day's point of the daily series)."""
    client = connect_async(redis_url, decode_responses=True)
    builder = RecordBuilder("banjir_pos", config.feeds["banjir_pos"])
    now = utc_now()
    yesterday = now - timedelta(days=1)
    figures = FiguresProcessor(config, client)
    headline = HeadlineProcessor(config, client)
    await headline.start()
    headline_streams = [feed_stream(f) for f in headline.by_feed]
    for day, on_alert in ((yesterday, lambda y, t: y), (now, lambda y, t: t)):
        await store(client, [builder.build(row, day) for row in rows(day, on_alert)])
        await catch_up(client, figures, day, started=day is not yesterday)
        while await drain(client, DERIVE_GROUP, HEADLINE_CONSUMER, headline_streams, headline.process, pending=False):
            pass
    await client.aclose()

