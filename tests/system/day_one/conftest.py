"""The system as a new user first meets it: `run.py all` on an empty store, with its replayed past.

One system for the whole folder (starting it replays 61 days: the slow part), and one browser; both
end with the folder (package scope), so the rest of the suite runs without them.
"""

from __future__ import annotations

import pytest

from core.redis import connect
from tests.support.system import DAY_ONE_DAYS as DAYS
from tests.support.system import chromium, running_system


@pytest.fixture(scope="package")
def system(tmp_path_factory):
    # No demo cameras: nothing here watches video, and encoding clips would slow the replay down.
    with running_system(tmp_path_factory.mktemp("day-one"), history_days=DAYS, demo_cameras=0) as system:
        yield system


@pytest.fixture(scope="package")
def browser(system):
    with chromium(role="admin") as browser:  # every screen opens to the admin
        yield browser


@pytest.fixture(scope="package")
def r(system):
    client = connect(system.redis.url, decode_responses=True)
    yield client
    client.close()
