"""Realistic figures for Banten, written to Redis the way ingest's derive step writes them."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.config import Config
from core.health import FeedHealth
from core.streams import ALERTS, KPI_UPDATES, KpiValue, feed_health, kpi, to_iso

# metric -> (headline, per kab/kota, entities)
FIGURES: dict[str, tuple[float, dict[str, float], int]] = {
    "bansos_tersalur": (87.4, {"3601": 78.2, "3602": 81.5, "3603": 90.1, "3604": 85.7, "3671": 93.4,
                               "3672": 95.0, "3673": 88.8, "3674": 94.2}, 48),
    "pengaduan_24j": (47, {"3601": 4, "3602": 5, "3603": 9, "3604": 6, "3671": 8, "3672": 3, "3673": 7,
                           "3674": 5}, 47),
    "kamera_aktif": (312, {"3601": 18, "3602": 14, "3603": 64, "3604": 27, "3671": 71, "3672": 22,
                           "3673": 38, "3674": 58}, 348),
    "kemiskinan": (5.70, {"3601": 9.06, "3602": 8.87, "3603": 6.23, "3604": 4.71, "3671": 4.50,
                          "3672": 3.47, "3673": 5.45, "3674": 1.66}, 9),
    "keterisian_tt": (72.6, {"3601": 64.0, "3602": 69.3, "3603": 77.8, "3604": 71.2, "3671": 81.5,
                             "3672": 66.4, "3673": 74.9, "3674": 79.1}, 412),
    "nilai_tender": (1.234e12, {}, 142),
    "harga_beras": (13_312.5, {"3601": 13_150, "3602": 13_050, "3603": 13_450, "3604": 13_250,
                               "3671": 13_600, "3672": 13_400, "3673": 13_300, "3674": 13_750}, 8),
    "harga_cabai_rawit": (62_400, {"3601": 55_000, "3602": 52_500, "3603": 64_000, "3604": 58_750,
                                   "3671": 69_500, "3672": 61_000, "3673": 60_250, "3674": 78_200}, 8),
}


def write_figure(r, metric_id: str, value: float | None, updated: datetime, regions=None, entities: int = 1,
                 wake: bool = True) -> None:
    """One headline figure, then the KPI_UPDATES entry that wakes the screens."""
    encoded = KpiValue(metric_id, value, updated, regions or {}, entities).encode()
    r.hset(kpi(metric_id), mapping=encoded)
    if wake:
        r.xadd(KPI_UPDATES, {"metric": metric_id, "value": encoded["value"], "updated": encoded["updated"]})


def write_health(r, feed_id: str, state: str, last_success: datetime | None, stale_after: float,
                 error: str = "", at: datetime | None = None) -> None:
    health = FeedHealth(feed_id, state=state, stale_after=stale_after, last_success=last_success,
                        last_error=error, last_error_at=at if error else None, records_in=1200, updated=at)
    r.hset(feed_health(feed_id), mapping=health.encode())


def write_wall(r, config: Config, now: datetime, stale_feed: str | None = "lpse_tender") -> None:
    """Every figure of config.yaml fresh, one feed silent for 25 minutes, two recent alerts."""
    for metric_id, (value, regions, entities) in FIGURES.items():
        feed = config.metrics[metric_id].feed
        updated = now - (timedelta(minutes=26) if feed == stale_feed else timedelta(seconds=8))
        write_figure(r, metric_id, value, updated, regions, entities)
    for feed_id, feed in config.feeds.items():
        if feed_id == stale_feed:
            write_health(r, feed_id, "ok", now - timedelta(minutes=25), float(feed.stale_after), at=now)
        else:
            write_health(r, feed_id, "ok", now - timedelta(seconds=4), float(feed.stale_after), at=now)
    r.xadd(ALERTS, {"severity": "warning", "kind": "rule", "source": "lapor_banten",
                    "message": "Lonjakan pengaduan banjir di Kab. Lebak: 12 laporan dalam 1 jam",
                    "at": to_iso(now - timedelta(minutes=7))})
    r.xadd(ALERTS, {"severity": "info", "kind": "rule", "source": "panel_harga",
                    "message": "Harga cabai rawit merah di Tangsel naik 18 % dari pekan lalu",
                    "at": to_iso(now - timedelta(minutes=2))})
