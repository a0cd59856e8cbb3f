"""The client's address: the peer's own, or, only when the peer is one of `dashboard.trusted_proxies`,
the address the proxy put in X-Forwarded-For (the right-most one that is not itself a trusted proxy;
the left part is whatever the client wrote). Anyone else's X-Forwarded-For is ignored, so nobody picks
their own address for the login limits, the per-client limits or the audit trail."""

from __future__ import annotations

import ipaddress
from functools import lru_cache


class TrustedProxies:
    def __init__(self, networks: list[str]):
        self.networks = tuple(ipaddress.ip_network(n, strict=False) for n in networks)

    @lru_cache(maxsize=1024)  # noqa: B019 - one per app, a few proxy addresses
    def trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in n for n in self.networks)

    def client(self, scope: dict) -> str:
        peer = scope.get("client")
        address = peer[0] if peer else ""
        if not self.networks or not self.trusted(address):
            return address
        forwarded = [v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == b"x-forwarded-for"]
        hops = [h.strip() for h in ",".join(forwarded).split(",") if h.strip()]
        for hop in reversed(hops):
            if not self.trusted(hop):
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    return address  # a proxy wrote nonsense: its own address stands
        return address
