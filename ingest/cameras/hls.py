"""HLS camera portals (many public CCTV sites publish HLS): the newest segments, H.264 passed through."""

from __future__ import annotations

from urllib.parse import urlsplit

from ingest.cameras.source import PyAVSource, SourceTimeouts

OPEN_AT_LEAST = 10.0  # seconds: opening reads the playlist, then probes its newest segment


class Source(PyAVSource):
    """An HLS playlist, joined at its live edge."""

    options = {
        "live_start_index": "-1",   # join at the newest segment, not the start of the window
        "analyzeduration": "1000000",
        "probesize": "1000000",
        "http_persistent": "1",
        "reconnect": "1",
    }

    def __init__(self, url: str, timeouts: SourceTimeouts):
        # Opening a live playlist can wait for the portal's next segment; the camera's own open
        # timeout (a few seconds, right for RTSP) would turn a busy portal offline.
        super().__init__(url, SourceTimeouts(max(timeouts.open, OPEN_AT_LEAST), timeouts.read))
        if urlsplit(url).scheme in ("http", "https"):
            # A playlist on the network may name its segments only on the network, never a file
            # of the gateway's machine (FFmpeg would open what the playlist names).
            self.options = {**self.options, "protocol_whitelist": "http,https,tls,tcp,crypto"}
