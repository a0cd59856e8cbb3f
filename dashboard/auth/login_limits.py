"""Brute-force protection for sign-in: failed attempts counted per address and per username and
address in Redis.

After `auth.login_limit.failures` failures within `window` (default 5 in 5 minutes) from one
address, or against one username from one address, further attempts from there are refused with
429 until the window ends: without even checking the password, so guessing stays slow and costs the
server nothing. A username is never locked for everyone: a stranger failing as `admin` from their
address does not keep the real admin out at theirs. Counters live in Redis, so every dashboard
worker counts the same attempts; a refused attempt adds no key. A successful sign-in clears its
username's counter at that address (not the address's: one valid account must not reset an
attacker's budget for the others).
"""

from __future__ import annotations

from typing import Any

from core.config import LoginLimit
from core.streams import login_failures


class LoginLimiter:
    def __init__(self, limit: LoginLimit):
        self.failures = limit.failures
        self.window = max(1, int(limit.window))

    def _keys(self, ip: str, username: str) -> list[str]:
        keys = [login_failures("ip", ip or "-")]
        if username:
            keys.append(login_failures("user", f"{username.lower()[:64]}@{ip or '-'}"))
        return keys

    async def retry_after(self, client: Any, ip: str, username: str) -> int:
        """Seconds until this address and username may try again; 0 when they may now."""
        keys = self._keys(ip, username)
        pipe = client.pipeline(transaction=False)
        for key in keys:
            pipe.get(key)
            pipe.ttl(key)
        answers = await pipe.execute()
        wait = 0
        for count, ttl in zip(answers[::2], answers[1::2]):
            if count is not None and int(count) >= self.failures:
                wait = max(wait, ttl if ttl and ttl > 0 else self.window)
        return wait

    async def failed(self, client: Any, ip: str, username: str) -> None:
        """Count one failed attempt; the window starts at the first failure."""
        pipe = client.pipeline(transaction=False)
        for key in self._keys(ip, username):
            pipe.incr(key)
            pipe.expire(key, self.window, nx=True)
        await pipe.execute()

    async def succeeded(self, client: Any, ip: str, username: str) -> None:
        await client.delete(login_failures("user", f"{username.lower()[:64]}@{ip or '-'}"))
