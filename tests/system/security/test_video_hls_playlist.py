"""An HLS camera on the network plays; its playlist cannot make the gateway open a file of its own
machine (a listed or configured playlist names its segments, and FFmpeg would open what it names)."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import av
import numpy as np
import pytest

from ingest.cameras.hls import Source
from ingest.cameras.source import SourceError, SourceTimeouts


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def hls_site(tmp_path):
    """Four 1-second H.264 segments and their playlist, served over real HTTP."""
    out = av.open(str(tmp_path / "live.m3u8"), "w", format="hls", options={"hls_time": "1", "hls_list_size": "0"})
    stream = out.add_stream("libx264", rate=15)
    stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
    stream.options = {"g": "15", "bf": "0"}
    for i in range(60):
        frame = av.VideoFrame.from_ndarray(np.full((240, 320, 3), i * 4 % 255, np.uint8), format="rgb24")
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
    out.close()
    secret = tmp_path / "rahasia.ts"
    secret.write_bytes((tmp_path / "live0.ts").read_bytes())  # a file of the gateway's machine
    (tmp_path / "evil.m3u8").write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile://{secret}\n"
                                        "#EXT-X-ENDLIST\n")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_network_playlist_plays_but_cannot_name_a_local_file(hls_site):
    packets = Source(f"{hls_site}/live.m3u8", SourceTimeouts()).packets()
    assert sum(1 for _, _ in zip(range(20), packets)) == 20
    with pytest.raises(SourceError, match="cannot open"):
        next(iter(Source(f"{hls_site}/evil.m3u8", SourceTimeouts(open=3, read=3)).packets()))
