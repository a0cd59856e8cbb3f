"""Several dashboard processes behind one address, with no sticky sessions: a sign-in form served by one
process is accepted by another (the form key is the installation's, not each process's own), and a
form forged without that key is refused by both."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.request
from urllib.parse import urlencode

from dashboard.app import create_app
from tests.support.app import SESSION_COOKIE, TEST_PASSWORD, TEST_USERS, serve


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(opener, url: str, token: str) -> int:
    body = urlencode({"username": TEST_USERS["admin"], "password": TEST_PASSWORD, "csrf": token, "next": "/"})
    try:
        opener.open(url, body.encode(), timeout=20)
        return 200
    except urllib.error.HTTPError as answer:
        return answer.code


def test_a_form_from_one_dashboard_process_signs_in_at_another(security_config, redis_server, redis_url):
    first, second = create_app(security_config, redis_server.url), create_app(security_config, redis_server.url)
    with serve(first) as one, serve(second) as other:
        jar = http.cookiejar.CookieJar()  # cookies go by host, not port: both processes get them
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        form = opener.open(one + "/login", timeout=10).read().decode()
        token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        assert _post(opener, other + "/login", token) == 303
        assert any(c.name == SESSION_COOKIE for c in jar), [c.name for c in jar]

        # A token whose signature was changed is refused by every process.
        stranger = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                               _NoRedirect)
        form = stranger.open(other + "/login", timeout=10).read().decode()
        token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        assert _post(stranger, one + "/login", forged) == 403
