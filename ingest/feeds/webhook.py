"""webhook: the source POSTs one record or a list to /ingest/<feed_id> with a bearer token."""

from __future__ import annotations

import hmac
import json
from typing import Any

from pydantic import Field, field_validator

from ingest.feeds.base import Options, PushFeed, decode_text
from ingest.intake import IntakeResult


class WebhookOptions(Options):
    # Several tokens are valid at once so a sender can be moved to a new one without downtime.
    tokens: list[str] = Field(min_length=1)
    max_body: int = Field(default=1_048_576, gt=0)

    @field_validator("tokens")
    @classmethod
    def _strong(cls, tokens):
        for token in tokens:
            if len(token) < 12:
                raise ValueError("each token needs at least 12 characters")
        return tokens


class Unauthorized(PermissionError):
    pass


class WebhookFeed(PushFeed):
    kind = "webhook"
    Options = WebhookOptions

    def authorize(self, header: str | None) -> None:
        """Accept 'Bearer <token>' for any configured token, compared in constant time."""
        presented = (header or "").removeprefix("Bearer ").strip().encode()
        # Compare against every token, without stopping early, so timing tells nothing.
        ok = False
        for token in self.options.tokens:
            ok |= hmac.compare_digest(presented, token.encode())
        if not presented or not ok:
            raise Unauthorized("missing or wrong bearer token")

    async def receive(self, body: bytes) -> IntakeResult:
        """Take a pushed body; an unparseable one is dead-lettered and reported as ValueError."""
        try:
            data: Any = json.loads(decode_text(body))
        except json.JSONDecodeError as exc:
            reason = f"invalid JSON: {exc.msg} at character {exc.pos}"
            # One sender's bad push: refused and kept, but the feed itself still works.
            await self.intake.reject_payload(reason, body, feed_failed=False)
            raise ValueError(reason) from None
        rows = data if isinstance(data, list) else [data]
        return await self.intake.take(rows)
