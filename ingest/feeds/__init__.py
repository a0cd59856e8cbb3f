"""Feed kinds, one module each; the registry finds them by discovery (no list to keep in sync)."""

from __future__ import annotations

import importlib
import pkgutil

from pydantic import ValidationError

from core.config import Config, ConfigProblem, problems_from_validation
from ingest.feeds.base import FeedKind


def registry() -> dict[str, type[FeedKind]]:
    """Every feed kind in this package, by its `kind` name."""
    kinds: dict[str, type[FeedKind]] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name == "base":
            continue
        mod = importlib.import_module(f"{__name__}.{module.name}")
        for obj in vars(mod).values():
            if isinstance(obj, type) and issubclass(obj, FeedKind) and getattr(obj, "kind", None):
                kinds[obj.kind] = obj
    return kinds


def check_feeds(config: Config) -> list[ConfigProblem]:
    """Each feed's kind exists and its kind options are valid, as problems with YAML paths."""
    kinds, problems = registry(), []
    for feed_id, feed in config.feeds.items():
        cls = kinds.get(feed.kind)
        if cls is None:
            problems.append(ConfigProblem(f"feeds.{feed_id}.kind",
                                          f"unknown feed kind '{feed.kind}' (known: {', '.join(sorted(kinds))})"))
            continue
        try:
            cls.Options.model_validate(feed.options)
        except ValidationError as err:
            problems.extend(problems_from_validation(err, prefix=f"feeds.{feed_id}"))
    return problems
