"""HLS camera portals (many public CCTV sites publish HLS): the newest segments, H.264 passed through."""

from __future__ import annotations

from urllib.parse import urlsplit

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

    def __init__(self, url: str, *args, **kwargs):
        super().__init__(url, *args, **kwargs)
        if urlsplit(url).scheme in ("http", "https"):
            # A playlist on the network may name its segments only on the network, never a file
            # of the gateway's machine (FFmpeg would open what the playlist names).
            self.options = {**self.options, "protocol_whitelist": "http,https,tls,tcp,crypto"}
