"""What the source-format kinds share: several answers per poll, and one bad item dead-lettered, not fatal.

A kind that asks its source several questions per poll (one per regency, per BPS variable, per
tender's schedule) hands `parse` a list of `Answer`s; one unusable answer becomes a dead letter
with its reason while the others go in. An item that does not have the source's shape becomes a
`Malformed` row: nothing a source sends may crash a worker.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ingest.feeds.http_json import parse_json
from ingest.records import Malformed

# What a converter may raise on an item that lacks the source's shape.
SHAPE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError)


@dataclass(frozen=True)
class Answer:
    """One answer of a multi-question poll: what was asked (for reasons) and the body as it came."""

    query: str
    body: bytes
    # The parameters asked with, when the parse needs them (the regency a grid is about).
    params: dict[str, str] = field(default_factory=dict)


def raw_text(item: Any) -> str:
    """An item as text for the dead-letter stream."""
    if isinstance(item, bytes):
        return item.decode("utf-8", errors="replace")
    return item if isinstance(item, str) else json.dumps(item, ensure_ascii=False, default=str)


def answer_json(answer: Answer) -> Any:
    """The JSON of one answer, or a Malformed row naming the question and why its answer is unusable."""
    try:
        return parse_json(answer.body)
    except ValueError as exc:
        return Malformed(f"{answer.query}: {exc}", raw_text(answer.body))


def convert_each(items: Iterable[Any], convert: Callable[[Any], list[Any]], where: str = "") -> list[Any]:
    """Rows from each item by `convert`; an item it cannot read becomes one Malformed row with the reason."""
    rows: list[Any] = []
    for item in items:
        try:
            rows.extend(convert(item))
        except SHAPE_ERRORS as exc:
            reason = str(exc) if isinstance(exc, ValueError) else f"unexpected shape ({type(exc).__name__}: {exc})"
            rows.append(Malformed(f"{where}{reason}", raw_text(item)))
    return rows


def usable_answers(answers: list[Answer]) -> tuple[list[tuple[Answer, Any]], list[Malformed]]:
    """The answers' JSON and the unusable answers as Malformed rows; ValueError when none is usable."""
    usable, bad = [], []
    for answer in answers:
        data = answer_json(answer)
        (bad.append(data) if isinstance(data, Malformed) else usable.append((answer, data)))
    if answers and not usable:
        # Every question failed: the source is down or broken, which is a feed error, not bad rows.
        raise ValueError(bad[0].reason)
    return usable, bad
