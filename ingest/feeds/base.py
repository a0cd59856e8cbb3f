"""What a feed kind is: typed options, and either polling a source or receiving pushes."""

from __future__ import annotations

import re

from pathlib import Path
from typing import Any, ClassVar

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.config import Duration, FeedConfig
from ingest.intake import Intake


class Options(BaseModel):
    """Base of a kind's own options: unknown keys are mistakes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PollOptions(Options):
    """Options every polling kind shares."""

    interval: Duration = Duration(60)
    timeout: Duration = Duration(15)
    # Request headers, e.g. an API key as "${PIHPS_API_KEY}".
    headers: dict[str, str] = Field(default_factory=dict)

    @field_validator("interval", "timeout")
    @classmethod
    def _positive(cls, v):
        if v <= 0:
            raise ValueError("must be > 0")
        return v


class FetchError(RuntimeError):
    """The source could not be read this time (network, HTTP status); the feed retries."""


class FeedKind:
    """One configured feed of a kind. Subclasses set `kind` and `Options`."""

    kind: ClassVar[str] = ""
    Options: ClassVar[type[Options]] = Options

    def __init__(self, feed_id: str, feed: FeedConfig, intake: Intake):
        self.feed_id = feed_id
        self.feed = feed
        self.options = self.Options.model_validate(feed.options)
        self.intake = intake


class PollingFeed(FeedKind):
    """A feed the supervisor polls: `fetch` does the I/O, `parse` (pure, tested on saved payloads) the rest."""

    Options: ClassVar[type[PollOptions]] = PollOptions

    @property
    def interval(self) -> float:
        return float(self.options.interval)

    async def fetch(self, session: aiohttp.ClientSession) -> bytes:
        raise NotImplementedError

    def parse(self, raw: bytes) -> list[Any]:
        """The rows of one payload; ValueError (with the reason) when the payload is unusable."""
        raise NotImplementedError

    async def taken(self, rows: list[Any]) -> None:
        """Called once a poll's rows are stored; a feed that keeps a watermark moves it here."""

    async def get_url(self, session: aiohttp.ClientSession, url: str,
                      params: dict[str, str] | None = None) -> bytes:
        """GET a URL; a non-2xx answer or a network fault is a FetchError."""
        try:
            timeout = aiohttp.ClientTimeout(total=float(self.options.timeout))
            async with session.get(url, params=params, headers=self.options.headers, timeout=timeout) as resp:
                body = await resp.read()
                if resp.status >= 300:
                    raise FetchError(f"HTTP {resp.status} from source")
                return body
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise FetchError(without_addresses(f"{type(exc).__name__}: {exc}").rstrip(": ")) from None


# A feed's error is shown on walls and in the public /healthz: it names the fault, never the
# agency's internal address (aiohttp puts host:port, and sometimes the URL, in its messages).
_ADDRESSES = re.compile(r"[a-z][a-z0-9+.-]*://\S+|\(?'[^']*', \d+\)?|\b[\w.-]+:\d{2,5}\b|\[[0-9a-f:.]+\]:\d+",
                        re.IGNORECASE)


def without_addresses(message: str) -> str:
    """The message with URLs, host:port pairs and (address, port) tuples replaced by "<sumber>"."""
    return _ADDRESSES.sub("<sumber>", message)


class TableOptions(PollOptions):
    """A table an agency publishes as a file: at a URL or on a local/shared disk."""

    url: str | None = None
    path: str | None = None

    @model_validator(mode="after")
    def _one_source(self):
        if bool(self.url) == bool(self.path):
            raise ValueError("give exactly one of url or path")
        return self


class TableFeed(PollingFeed):
    """A polled table file (CSV, Excel): fetched from its URL or read from its path."""

    Options: ClassVar[type[TableOptions]] = TableOptions

    async def fetch(self, session: aiohttp.ClientSession) -> bytes:
        if self.options.url:
            return await self.get_url(session, self.options.url)
        try:
            return Path(self.options.path).read_bytes()
        except OSError as exc:
            raise FetchError(f"cannot read {self.options.path}: {exc.strerror}") from None


class PushFeed(FeedKind):
    """A feed whose source pushes to the ingest HTTP server."""


def decode_text(raw: bytes) -> str:
    """Text of a payload: UTF-8 (with or without BOM), else Windows-1252 as agencies' Excel exports are."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:100].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or head.startswith("<")
