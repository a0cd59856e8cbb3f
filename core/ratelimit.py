"""Token buckets, one per key: at most `burst` requests at once, refilled at `per_second`.

    buckets = TokenBuckets(per_second=20, burst=200)
    wait = buckets.take(("lapor_banten", "10.0.0.5"))   # 0: go ahead; else seconds until a token

The ingest process keeps one per feed and sender address (webhooks and uploads): a sender that
floods one feed is answered 429 with Retry-After, and other feeds and senders go on unhindered.
In memory: one ingest process receives them all.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    at: float
    reported: float = float("-inf")  # when a refusal of this key was last reported


class TokenBuckets:
    MAX_KEYS = 10_000  # idle keys are dropped beyond this, so random addresses cannot grow it without end

    def __init__(self, per_second: float, burst: int):
        self.rate = float(per_second)
        self.burst = float(burst)
        self._buckets: dict[Hashable, _Bucket] = {}

    def _bucket(self, key: Hashable, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.MAX_KEYS:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        else:
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
        return bucket

    def take(self, key: Hashable, now: float | None = None) -> float:
        """Take one token: 0.0 when there was one, else the seconds until there is."""
        now = time.monotonic() if now is None else now
        bucket = self._bucket(key, now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def first_refusal_in(self, key: Hashable, seconds: float, now: float | None = None) -> bool:
        """True at most once per `seconds` for a key: a flood is reported, not every request of it."""
        now = time.monotonic() if now is None else now
        bucket = self._bucket(key, now)
        if now - bucket.reported >= seconds:
            bucket.reported = now
            return True
        return False

    def _forget_full(self, now: float) -> None:
        for key in [k for k, b in self._buckets.items() if b.tokens + (now - b.at) * self.rate >= self.burst]:
            del self._buckets[key]
        if len(self._buckets) >= self.MAX_KEYS:  # all busy: start over rather than grow
            self._buckets.clear()
