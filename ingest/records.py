"""From one raw source row to one validated, masked Record envelope, or a reason to reject it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.cameras import secret_fields
from core.config import FeedConfig
from core.regions import normalize_region
from core.streams import Record
from ingest.normalize import parse_time, parser_for
from ingest.privacy import Masker, holds_personal_pattern

_TEMPLATE_FIELD = re.compile(r"\{([^{}]+)\}")
MAX_SOURCE_ID = 200


class Rejected(ValueError):
    """A record that cannot be accepted; the message is the dead-letter reason."""


@dataclass(frozen=True)
class Malformed:
    """A row a parser could not even split into fields (e.g. a CSV line with too many columns)."""

    reason: str
    raw: str


class RecordBuilder:
    """Validates rows of one feed against its config and wraps them in the envelope."""

    def __init__(self, feed_id: str, feed: FeedConfig, personal: tuple[str, ...] | list[str] = ()):
        self.feed_id = feed_id
        self.feed = feed
        # `personal`: names every feed masks (ingest.personal), beside the feed's own.
        # A camera listing's addresses and credentials never reach Redis, whatever the feed's kind
        # and its drop_fields say; drop_fields removes more.
        self._dropped = frozenset((*feed.drop_fields, *secret_fields(feed.application)))
        self.masker = Masker([*personal, *feed.personal], feed.keep_personal)
        self._id_fields = _TEMPLATE_FIELD.findall(feed.source_id) or [feed.source_id]
        self._id_is_template = "{" in feed.source_id
        self._parsers = {name: parser_for(kind, feed.number_format) for name, kind in feed.fields.items()}
        self._id_is_personal = any(self.masker.kind(f) for f in self._id_fields)

    def build(self, row: Any, ingest_time: datetime) -> Record:
        """The envelope for one row; raises Rejected with the reason."""
        if isinstance(row, Malformed):
            raise Rejected(row.reason)
        if not isinstance(row, dict):
            raise Rejected(f"record is not an object but {type(row).__name__}")
        payload = {k: v for k, v in row.items() if k not in self._dropped}
        for name in self.feed.fields:
            if payload.get(name) in (None, ""):
                raise Rejected(f"field '{name}': missing")
            try:
                payload[name] = self._parsers[name](payload[name])
            except ValueError as exc:
                raise Rejected(f"field '{name}': {exc}") from None
        return Record(
            feed_id=self.feed_id,
            application=self.feed.application,
            source_id=self._source_id(payload),
            event_time=self._event_time(payload, ingest_time),
            ingest_time=ingest_time,
            region=self._region(payload),
            payload=self.masker.payload(payload),
        )

    def _source_id(self, payload: dict) -> str:
        missing = [f for f in self._id_fields if payload.get(f) in (None, "")]
        if missing:
            raise Rejected(f"source id: field '{missing[0]}' missing")
        if self._id_is_template:
            source_id = self.feed.source_id.format_map(payload)
        else:
            source_id = str(payload[self.feed.source_id])
        if len(source_id) > MAX_SOURCE_ID:
            raise Rejected(f"source id longer than {MAX_SOURCE_ID} characters")
        if not source_id.isprintable():
            raise Rejected("source id contains control characters")
        if self._id_is_personal or holds_personal_pattern(source_id):
            # The id is stored in the record and in a de-duplication key name: a NIK or a phone number
            # in it would be kept unmasked, so such an id is kept as its digest (still unique).
            source_id = "sha256:" + hashlib.sha256(source_id.encode()).hexdigest()[:40]
        return source_id

    def _event_time(self, payload: dict, ingest_time: datetime) -> datetime:
        if not self.feed.event_time:
            return ingest_time
        value = payload.get(self.feed.event_time)
        if value in (None, ""):
            raise Rejected(f"field '{self.feed.event_time}' (event time): missing")
        try:
            return parse_time(value)
        except ValueError as exc:
            raise Rejected(f"field '{self.feed.event_time}' (event time): {exc}") from None

    def _region(self, payload: dict) -> str | None:
        if self.feed.region_code:
            return self.feed.region_code
        if not self.feed.region:
            return None
        value = payload.get(self.feed.region)
        if value in (None, ""):
            return None
        code = normalize_region(value)
        if code is None:
            raise Rejected(f"field '{self.feed.region}': unknown region code '{value}' (not a kab/kota of Banten)")
        return code
