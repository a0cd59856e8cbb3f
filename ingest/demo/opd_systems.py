"""Simulated OPD systems for the IT control center: web services on local ports that stay up, slow
down, go down, flap, sit behind a data-center network that fails now and then, and an HTTPS site
whose certificate expires within days, so the /wall/it-opd screen shows every state on first run.

Modes follow the clock from the demo's start (the data-center network fails 2 minutes in, for 3
minutes, every half hour), so every run looks alike; tests and demos can force a path's mode with
`PUT /_mode/<path>` {"mode": "up"|"down"|"slow"|"hang"}. A small DNS server answers for the
province's names (`DemoDns`), so the DNS check has something real to ask.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
import tempfile
from pathlib import Path

from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core.clock import monotonic, utc_now

SLOW_S = 1.2
HANG_S = 120  # longer than any check's timeout
CERT_DAYS = 6  # the demo's HTTPS certificate: inside the 14-day warning


def self_signed(folder: Path, days: float, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for `host` valid `days` from now, and its key, written to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "layanan-demo.bantenprov.go.id")])
    now = utc_now()
    san = [x509.DNSName("localhost")]
    try:
        san.append(x509.IPAddress(ipaddress.ip_address(host)))
    except ValueError:
        san.append(x509.DNSName(host))
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName(san), critical=False).sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def scheduled_mode(path: str, minutes: float) -> str:
    """What a path does `minutes` after the demo started, when nobody forced it."""
    if path.startswith("dc/") or path == "dc":
        return "down" if 2 <= minutes % 30 < 5 else "up"  # the data-center network: 3 min in 30
    return {"lambat": "slow", "mati": "down", "kedip": "down" if minutes % 6 >= 4 else "up"}.get(path, "up")


class OpdSystems:
    """The routes of every simulated system; `forced` holds the modes set through /_mode."""

    def __init__(self, follow_clock: bool = True):
        self.forced: dict[str, str] = {}
        self.hits: dict[str, int] = {}
        # The schedule is a duration since start (monotonic): the demo may replay past days meanwhile.
        self.started = monotonic()
        self.follow_clock = follow_clock  # off: every path is up unless forced (tests, benchmarks)

    def mode(self, path: str) -> str:
        if path.startswith("dc/") and self.forced.get("dc") == "down":
            return "down"  # everything behind the data-center network goes with it
        if path in self.forced or not self.follow_clock:
            return self.forced.get(path, "up")
        return scheduled_mode(path, (monotonic() - self.started) / 60)

    async def serve_path(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"].strip("/")
        self.hits[path] = self.hits.get(path, 0) + 1
        mode = self.mode(path)
        if mode == "down":
            return web.json_response({"status": "down"}, status=503)
        if mode == "hang":
            await asyncio.sleep(HANG_S)
        if mode == "slow":
            await asyncio.sleep(SLOW_S)
        return web.json_response({"status": "ok", "layanan": path})

    async def set_mode(self, request: web.Request) -> web.Response:
        path = request.match_info["path"].strip("/")
        body = await request.json()
        mode = body.get("mode")
        if mode not in ("up", "down", "slow", "hang", None):
            return web.json_response({"error": "mode: up, down, slow, hang or null"}, status=400)
        if mode is None:
            self.forced.pop(path, None)
        else:
            self.forced[path] = mode
        return web.json_response({"path": path, "mode": self.mode(path)})

    def app(self) -> web.Application:
        app = web.Application()
        app.add_routes([web.put("/_mode/{path:.*}", self.set_mode), web.get("/{path:.*}", self.serve_path)])
        return app


async def start(systems: OpdSystems, host: str, http_port: int, https_port: int | None,
                cert_folder: Path | None = None) -> web.AppRunner:
    """Listen on `http_port` (and with a fresh short-lived certificate on `https_port`)."""
    # A hanging request must not hold the shutdown for a minute.
    runner = web.AppRunner(systems.app(), access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, host, http_port).start()
    if https_port is not None:
        folder = cert_folder or Path("var/demo-tls")
        folder.mkdir(parents=True, exist_ok=True)
        # A folder of this start's own: two demos starting at once must not pair one's certificate
        # with the other's key. The context keeps both in memory, so the files can go at once.
        with tempfile.TemporaryDirectory(dir=folder) as own:
            context = server_context(*self_signed(Path(own), CERT_DAYS, host))
        await web.TCPSite(runner, host, https_port, ssl_context=context).start()
    return runner


class DemoDns(asyncio.DatagramProtocol):
    """A tiny DNS server for the demo and the tests: `names` (name -> IPv4) answer A records, other
    names NXDOMAIN."""

    def __init__(self, names: dict[str, str]):
        self.names = {n.rstrip(".") + ".": ip for n, ip in names.items()}

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        import dns.message
        import dns.rcode
        import dns.rrset

        try:
            query = dns.message.from_wire(data)
        except Exception:  # noqa: BLE001 - a malformed datagram gets no answer
            return
        answer = dns.message.make_response(query)
        name = query.question[0].name.to_text() if query.question else ""
        if name in self.names:
            answer.answer.append(dns.rrset.from_text(name, 60, "IN", "A", self.names[name]))
        else:
            answer.set_rcode(dns.rcode.NXDOMAIN)
        self.transport.sendto(answer.to_wire(), addr)


DEMO_NAMES = {"bantenprov.go.id": "127.0.0.1", "satudata.bantenprov.go.id": "127.0.0.1"}


async def start_dns(host: str, port: int, names: dict[str, str] | None = None) -> asyncio.DatagramTransport:
    transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
        lambda: DemoDns(names or DEMO_NAMES), local_addr=(host, port))
    return transport
