"""ICMP echo (ping) without root: a datagram ICMP socket, allowed where the host's
`net.ipv4.ping_group_range` includes the monitor's group. Elsewhere the check says so."""

from __future__ import annotations

import asyncio
import os
import socket
import struct

from core.clock import monotonic
from core.monitors import ServiceCheck
from ingest.monitor.checks.context import CheckContext, elapsed_ms
from ingest.monitor.result import Outcome

NOT_PERMITTED = "ICMP tidak diizinkan di mesin ini (net.ipv4.ping_group_range)"


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def permitted() -> bool:
    """Whether this process may open an unprivileged ICMP socket."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP).close()
        return True
    except OSError:
        return False


async def check(service_id: str, svc: ServiceCheck, ctx: CheckContext) -> Outcome:
    loop = asyncio.get_running_loop()
    try:
        address = (await loop.getaddrinfo(svc.target, None, family=socket.AF_INET))[0][4][0]
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    except PermissionError:
        return Outcome(False, None, NOT_PERMITTED)
    except OSError as exc:
        return Outcome(False, None, str(exc)[:200])
    sock.setblocking(False)
    seq = os.getpid() & 0xFFFF
    header = struct.pack("!BBHHH", 8, 0, 0, 0, seq)
    payload = b"banten-cc"
    packet = struct.pack("!BBHHH", 8, 0, _checksum(header + payload), 0, seq) + payload
    started = monotonic()
    try:
        await loop.sock_sendto(sock, packet, (address, 0))
        while True:
            reply = await asyncio.wait_for(loop.sock_recv(sock, 1024), svc.timeout)
            if reply and reply[0] == 0:  # echo reply (the kernel fills in our identifier)
                return Outcome(True, elapsed_ms(started, monotonic()))
    except TimeoutError:
        return Outcome(False, None, "tidak ada balasan ping (timeout)")
    except OSError as exc:
        return Outcome(False, None, str(exc)[:200])
    finally:
        sock.close()
