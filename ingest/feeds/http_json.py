"""http_json: poll a URL that answers JSON and take the list of records at a path."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from ingest.feeds.base import PollingFeed, PollOptions, decode_text, looks_like_html


class HttpJsonOptions(PollOptions):
    url: str
    # Dotted path to the list of records in the answer ("data", "result.items"); "" for the top level.
    records: str = ""


class HttpJsonFeed(PollingFeed):
    kind = "http_json"
    Options = HttpJsonOptions

    async def fetch(self, session: aiohttp.ClientSession) -> bytes:
        return await self.get_url(session, self.options.url)

    def parse(self, raw: bytes) -> list[Any]:
        return records_at(parse_json(raw), self.options.records)


def parse_json(raw: bytes) -> Any:
    """JSON from a payload; an HTML error page or truncated JSON is a ValueError saying so."""
    text = decode_text(raw)
    if not text.strip():
        raise ValueError("empty answer")
    if looks_like_html(text):
        raise ValueError("the source answered with an HTML page, not JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # The text stops inside a value: the answer was cut off, not badly written.
        truncated = exc.msg.startswith("Unterminated") or exc.pos >= len(text.rstrip()) - 1
        raise ValueError(f"{'truncated' if truncated else 'invalid'} JSON: {exc.msg} at character {exc.pos}") from None


def records_at(data: Any, path: str) -> list[Any]:
    """The list of records at a dotted path; one object counts as a list of one."""
    node = data
    for part in filter(None, path.split(".")):
        if not isinstance(node, dict) or part not in node:
            raise ValueError(f"no '{part}' in the answer (records path '{path}')")
        node = node[part]
    if isinstance(node, dict):
        return [node]
    if not isinstance(node, list):
        raise ValueError(f"records path '{path}' holds {type(node).__name__}, not a list")
    return node
