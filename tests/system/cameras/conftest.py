"""The camera wall tests' pages run in Chromium as a wall PC runs it (WebRTC host candidates the gateway
can reach, autoplay): this folder's `browser` is tests/support/camera_wall.py's, not the suite's."""

from tests.support.camera_wall import browser  # noqa: F401 - the fixture, overriding the suite's
