"""RTSP cameras pulled over UDP (`protocol: rtsp_udp`): for cameras or networks where interleaved TCP
is not offered. A lost datagram is a lost slice, so the socket buffer is large enough for a whole
720p keyframe burst while the pull thread waits for the CPU."""

from __future__ import annotations

from ingest.cameras.rtsp import Source as TcpSource


class Source(TcpSource):
    """An RTSP stream pulled over UDP."""

    options = {**TcpSource.options, "rtsp_transport": "udp", "buffer_size": str(2 << 20)}
