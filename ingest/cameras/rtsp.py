"""RTSP cameras (H.264 over RTSP, interleaved on TCP so no UDP ports need opening through firewalls)."""

from __future__ import annotations

from ingest.cameras.source import PyAVSource


class Source(PyAVSource):
    """An RTSP stream pulled over TCP."""

    options = {
        "rtsp_transport": "tcp",
        # Start relaying as soon as the SPS/PPS are known instead of probing for seconds.
        "analyzeduration": "1000000",
        "probesize": "500000",
        "fflags": "nobuffer",
    }
