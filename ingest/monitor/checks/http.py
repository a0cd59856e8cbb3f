"""HTTP(S): status, keyword and JSON-path conditions; an https answer reports its certificate's expiry."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from core.clock import monotonic, utc_now
from core.monitors import ServiceCheck
from ingest.monitor.checks.certificate import client_context, days_left, peer_expiry
from ingest.monitor.checks.context import CheckContext, describe, elapsed_ms
from ingest.monitor.result import Outcome

BODY_LIMIT = 1_048_576  # keyword and JSON conditions read at most this much
CERT_EVERY_S = 3600.0   # an https service's certificate is read again after this long


async def certificate(svc: ServiceCheck, ctx: CheckContext):
    """The expiry of the service's certificate, read on a handshake of its own at most once an hour."""
    url = urlsplit(svc.target)
    key = (url.hostname, url.port or 443)
    known = ctx.certificates.get(key)
    if known is not None and monotonic() - known[0] < CERT_EVERY_S:
        return known[1]
    try:
        expires, _ = await peer_expiry(key[0], key[1], svc.verify_tls, svc.timeout)
    except Exception:  # noqa: BLE001 - the answer came; a failed second handshake says nothing new
        return known[1] if known else None
    ctx.certificates[key] = (monotonic(), expires)
    return expires


def at_path(document: Any, path: str) -> Any:
    """The value at a dotted path (`data.status`, `items.0.id`); KeyError when it is not there."""
    node = document
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(path)
    return node


def conditions_fail(svc: ServiceCheck, status: int, body: bytes) -> str:
    """Why an answer does not meet the service's conditions, or "" when it does."""
    if status not in svc.expect_status:
        return f"HTTP {status} (diharapkan {', '.join(map(str, svc.expect_status))})"
    text = body.decode("utf-8", errors="replace")
    if svc.keyword is not None and svc.keyword not in text:
        return f"kata kunci '{svc.keyword}' tidak ada di jawaban"
    if svc.json_conditions:
        try:
            document = json.loads(text)
        except ValueError:
            return "jawaban bukan JSON"
        for cond in svc.json_conditions:
            try:
                value = at_path(document, cond.path)
            except KeyError:
                return f"JSON: {cond.path} tidak ada"
            wanted = cond.equals if isinstance(cond.equals, list) else [cond.equals]
            if value not in wanted and str(value) not in map(str, wanted):
                return f"JSON: {cond.path} = {value!r}, diharapkan {cond.equals!r}"
    return ""


async def check(service_id: str, svc: ServiceCheck, ctx: CheckContext) -> Outcome:
    started = monotonic()
    ssl_arg = client_context(svc.verify_tls) if svc.target.startswith("https://") else None
    try:
        async with ctx.session.get(svc.target, timeout=aiohttp.ClientTimeout(total=svc.timeout), ssl=ssl_arg,
                                   allow_redirects=True) as resp:
            body = await resp.content.read(BODY_LIMIT)
            status = resp.status
    except Exception as exc:  # noqa: BLE001 - every failure is a reason shown to the operator
        return Outcome(False, None, describe(exc))
    ms = elapsed_ms(started, monotonic())
    expires = await certificate(svc, ctx) if ssl_arg is not None else None
    reason = conditions_fail(svc, status, body)
    if not reason and expires is not None and days_left(expires, utc_now()) < svc.expiry_down_days:
        reason = f"sertifikat berakhir {expires:%Y-%m-%d}"
    return Outcome(not reason, ms, reason, expires)
