"""What a feed kind is: typed options, and either polling a source or receiving pushes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from yarl import URL

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
    # A larger answer (after decompression) is refused unread past this many bytes.
    max_bytes: int = Field(default=64 * 1024 * 1024, gt=0)

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
        """GET a URL; a non-2xx answer, a redirect to another host, an answer over `max_bytes` or a
        network fault is a FetchError."""
        return await fetch_bounded(session, url, params, self.options.headers, float(self.options.timeout),
                                   self.options.max_bytes)


MAX_REDIRECTS = 5


def same_site(origin: URL, target: URL) -> bool:
    """Whether a redirect stays with the source: the same host and port, or the same host moving to https."""
    if target.host != origin.host or target.scheme not in ("http", "https"):
        return False
    return (target.scheme, target.port) == (origin.scheme, origin.port) or (
        origin.scheme == "http" and target.scheme == "https" and target.port == 443)


async def fetch_bounded(session: aiohttp.ClientSession, url: str, params: dict[str, str] | None,
                        headers: dict[str, str], timeout: float, max_bytes: int) -> bytes:
    """GET with redirects followed only within the source's own host (they would carry its API key
    elsewhere, or turn a fetch towards an internal address) and at most `max_bytes` read."""
    try:
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        target, query = URL(url), params
        for _ in range(MAX_REDIRECTS + 1):
            async with session.get(target, params=query, headers=headers, timeout=client_timeout,
                                   allow_redirects=False) as resp:
                if resp.status in (301, 302, 303, 307, 308) and resp.headers.get("Location"):
                    following = resp.url.join(URL(resp.headers["Location"]))
                    if not same_site(resp.url, following):
                        raise FetchError(f"HTTP {resp.status} from source: redirect to another host, not followed")
                    target, query = following, None
                    continue
                if resp.status >= 300:
                    raise FetchError(f"HTTP {resp.status} from source")
                return await read_bounded(resp, max_bytes)
        raise FetchError(f"more than {MAX_REDIRECTS} redirects from source")
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise FetchError(without_addresses(f"{type(exc).__name__}: {exc}").rstrip(": ")) from None


async def read_bounded(resp: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    """The body, refused (FetchError) as soon as it passes `max_bytes`: announced or as it arrives."""
    too_large = FetchError(f"answer larger than {max_bytes} bytes, not read")
    if resp.content_length is not None and resp.content_length > max_bytes:
        raise too_large
    body = bytearray()
    async for chunk in resp.content.iter_chunked(65536):
        body.extend(chunk)
        if len(body) > max_bytes:
            raise too_large
    return bytes(body)


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
