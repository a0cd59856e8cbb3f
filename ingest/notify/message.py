"""A notification as every channel sends it: a subject line and a plain text body."""

from __future__ import annotations

from dataclasses import dataclass


class NotifyError(RuntimeError):
    """A channel could not deliver (the reason, without secrets)."""


@dataclass(frozen=True)
class Message:
    subject: str
    text: str

    def full(self) -> str:
        return f"{self.subject}\n\n{self.text}"
