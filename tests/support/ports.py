"""Blocks of consecutive free local ports for the simulated agencies and OPD systems in tests.

A block is drawn at random below the kernel's ephemeral range (net.ipv4.ip_local_port_range), so
that the ports the kernel hands out meanwhile (client connections, `bind(0)` elsewhere) never land
in a block between the check and the moment its server binds it, and so that suites running side
by side (the shifted-date lanes) do not pick the same block.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
# From the OS, not the `random` module: a test that seeds the module (Hypothesis does) would make
# suites running side by side draw the same blocks in the same order.
_DRAW = random.SystemRandom()


def _ephemeral_start() -> int:
    try:
        return int(RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def _free(port: int) -> bool:
    """Free for TCP and for UDP (the simulated OPD systems' DNS server listens on UDP)."""
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_port_block(count: int) -> int:
    """The first of `count` consecutive free local ports, outside the ephemeral range."""
    top = _ephemeral_start() - count
    for _ in range(500):
        base = _DRAW.randint(10_000, top)
        if all(_free(base + i) for i in range(count)):
            return base
    raise RuntimeError(f"no {count} consecutive free ports below {top + count}")
