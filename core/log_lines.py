"""One log record, one line: values from outside (a URL path, a listing's group name, an operator's
file) may hold CR, LF or terminal escapes, which would forge log lines that look like our own
("... INFO ingest: upload accepted") or hide real ones from whoever reads the log."""

from __future__ import annotations

import logging
import re

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029\u0085]")


def one_line(text: str) -> str:
    """The text with every line break and control character written as a visible escape (\\n, \\x1b)."""
    return _CONTROL.sub(lambda m: {"\n": "\\n", "\r": "\\r"}.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


class OneLine(logging.Filter):
    """Renders each record's message with its arguments, then escapes it (tracebacks stay as they are)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = one_line(record.getMessage())
        record.msg, record.args = message, None
        return True


def keep_log_lines_whole(handlers: list[logging.Handler] | None = None) -> None:
    """Install OneLine on these handlers (default: the root logger's, as run.py configures them)."""
    for handler in handlers if handlers is not None else logging.getLogger().handlers:
        if not any(isinstance(f, OneLine) for f in handler.filters):
            handler.addFilter(OneLine())
