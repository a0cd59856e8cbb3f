"""HLS camera portals (many public CCTV sites publish HLS): the newest segments, H.264 passed through."""

from __future__ import annotations

from ingest.cameras.source import PyAVSource


class Source(PyAVSource):
    """An HLS playlist, joined at its live edge."""

    options = {
        "live_start_index": "-1",   # join at the newest segment, not the start of the window
        "analyzeduration": "1000000",
        "probesize": "1000000",
        "http_persistent": "1",
        "reconnect": "1",
    }
