"""An e-CCTV camera listing served over real HTTP, and two real cameras for it to list (camera tests)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.cameras import CameraServer

LISTED = "cctv-3673-901"


class Listing:
    """A camera listing service over real HTTP (a thread: the gateway polls it while the test blocks)."""

    def __init__(self):
        self.items: list[dict] = []
        self.status = 200
        listing = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                body = json.dumps({"data": listing.items}).encode() if listing.status == 200 else b"<html>502</html>"
                self.send_response(listing.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        # The listing's own address carries a token, as agency APIs do: it must not be logged either.
        return f"http://listing-user:listing-secret-1234@127.0.0.1:{self.httpd.server_address[1]}/api/cctv?token=tok-5678"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def listed_item(server: CameraServer, camera_id: str = LISTED, active: bool = True) -> dict:
    """One camera as the e-CCTV listing gives it: its stream addresses hold the camera's password."""
    return {"id": camera_id, "nama_lokasi": "Terminal Pakupatan", "kecamatan": "Cipocok Jaya", "kode_kab": "3673",
            "latitude": -6.1301, "longitude": 106.1845, "is_active": active, "group": "dishub",
            "stream_url": server.url("main"), "stream_url_sub": server.url("sub"),
            "last_status_check": "2026-11-28T09:00:00+07:00"}


@pytest.fixture
def two_cameras(clips):
    servers = [CameraServer(i, clips).start() for i in (1, 2)]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def listing():
    service = Listing()
    yield service
    service.close()


def listing_config(listing: Listing) -> dict:
    return {"feeds": {"daftar": {"kind": "http_json", "application": "e-cctv", "url": listing.url, "records": "data",
                                 "interval": "1s", "source_id": "{id}", "drop_fields": ["stream_url"]}},
            "video": {"listings": {"daftar": {}}},
            "camera_groups": {"dishub": {"title": "Dishub", "roles": ["public", "operator"]}}}
