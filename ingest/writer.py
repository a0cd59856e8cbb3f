"""Writing accepted records to a feed's stream, dropping duplicates, in one round trip per batch.

Dedup and XADD happen in one Lua script so a record is either new and appended, or a duplicate
and dropped, with no window between the check and the write.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import redis.asyncio

from core.cameras import secret_fields, without_secrets
from core.config import Config
from core.redis import is_replicated
from core.streams import DEADLETTER, Record, dead_letter, feed_stream, seen_record, trim_args
from ingest.privacy import Masker, mask_input

_FIELDS = ("feed", "app", "region", "sid", "et", "it", "v", "payload")
# Fields of one record travel as one argument joined by the ASCII unit separator: packing one
# argument instead of eight is what makes a batch cheap for the client. JSON escapes control
# characters and source ids are refused when they contain one, so the separator cannot occur inside.
SEP = "\x1f"

# KEYS[1] = stream; ARGV = seen-key prefix, ttl, trim mode, trim value, then one joined record each.
_APPEND_NEW = """
local prefix, ttl, mode, trim = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local names = {'feed', 'app', 'region', 'sid', 'et', 'it', 'v', 'payload'}
local out = {}
for i = 5, #ARGV do
  local values, from = {}, 1
  for j = 1, 7 do
    local at = string.find(ARGV[i], '\\31', from, true)
    values[j] = string.sub(ARGV[i], from, at - 1)
    from = at + 1
  end
  values[8] = string.sub(ARGV[i], from)
  if redis.call('SET', prefix .. values[4], '1', 'NX', 'EX', ttl) then
    local args = {KEYS[1]}
    if mode ~= '' then
      args[#args + 1] = mode; args[#args + 1] = '~'; args[#args + 1] = trim
    end
    args[#args + 1] = '*'
    for j = 1, 8 do
      args[#args + 1] = names[j]; args[#args + 1] = values[j]
    end
    out[#out + 1] = redis.call('XADD', unpack(args))
  else
    out[#out + 1] = 0
  end
end
return out
"""

MAX_RAW = 65536  # bytes of a rejected input kept in its dead letter (core.streams.dead_letter)
# Keep one script call well under Lua's argument limits and Redis' latency budget.
BATCH = 1000


class ReplicaNotReached(redis.RedisError):
    """The batch is on the primary but no replica confirmed it in time: not acknowledged (the
    sender retries; dedup makes the retry harmless if the first write survives)."""


@dataclass
class WriteResult:
    accepted: int = 0
    duplicates: int = 0


class StreamWriter:
    """Appends a feed's records and dead letters; one instance serves every feed of a process."""

    def __init__(self, client: redis.asyncio.Redis, config: Config):
        self.client = client
        self.config = config
        self._append = client.register_script(_APPEND_NEW)
        wanted = config.redis.ack_replicas
        # Replication is asynchronous: a primary that dies before passing a record on takes it
        # along. So under Sentinel a batch counts as written only once a replica holds it.
        self.ack_replicas = (1 if is_replicated(client) else 0) if wanted is None else wanted
        self.ack_timeout_ms = max(1, int(config.redis.ack_timeout * 1000))

    async def send(self, feed_id: str, records: Sequence[Record]) -> asyncio.Task[WriteResult]:
        """Start writing one batch (at most BATCH records) and return once it is on the wire.

        The caller validates the next batch while Redis runs this one: on two cores that overlap
        is most of the throughput.
        """
        trim = trim_args(self.config.retention_for(feed_id))
        mode, value = (("MINID", trim["minid"]) if "minid" in trim
                       else ("MAXLEN", trim["maxlen"]) if trim else ("", ""))
        args: list[Any] = [seen_record(feed_id, ""), int(self.config.retention.dedup_window), mode, value]
        for record in records:
            encoded = record.encode()
            args.append(SEP.join(encoded[name] for name in _FIELDS))

        async def run() -> WriteResult:
            ids = await self._write(feed_stream(feed_id), args)
            new = sum(1 for i in ids if i not in (0, b"0"))
            return WriteResult(accepted=new, duplicates=len(records) - new)

        task = asyncio.create_task(run())
        await asyncio.sleep(0)  # let the task send its command before the caller goes on
        return task

    async def _write(self, stream: str, args: list[Any]) -> list:
        """The script, then WAIT on the same connection (WAIT counts that connection's writes)."""
        if not self.ack_replicas:
            return await self._append(keys=[stream], args=args)
        async with self.client.pipeline(transaction=False) as pipe:
            await self._append(keys=[stream], args=args, client=pipe)
            pipe.execute_command("WAIT", self.ack_replicas, self.ack_timeout_ms)
            ids, acked = await pipe.execute()
        if acked < self.ack_replicas:
            raise ReplicaNotReached(f"{acked} of {self.ack_replicas} replica(s) confirmed within "
                                    f"{self.ack_timeout_ms} ms")
        return ids

    async def append(self, feed_id: str, records: Sequence[Record]) -> WriteResult:
        """Append the records not seen within the dedup window; report how many were new."""
        result = WriteResult()
        for start in range(0, len(records), BATCH):
            written = await (await self.send(feed_id, records[start:start + BATCH]))
            result.accepted += written.accepted
            result.duplicates += written.duplicates
        return result

    async def reject(self, feed_id: str, reason: str, raw: Any) -> None:
        """Put one rejected input on the dead-letter stream with its feed and reason, both masked as
        the feed's records are (a rejected complaint holds the same NIKs and names as an accepted one)."""
        feed = self.config.feeds.get(feed_id)
        extra = [*self.config.ingest.personal, *(feed.personal if feed else ())]
        keep = feed.keep_personal if feed else ()
        if feed is not None and secret_fields(feed.application) and isinstance(raw, dict):
            raw = without_secrets(raw)  # a rejected camera row keeps its place, never its address
        if isinstance(raw, (bytes, str)) and len(raw) > MAX_RAW:
            raw = raw[:MAX_RAW]  # the entry keeps this much anyway; masking more is work for nothing
        masked = mask_input(raw, extra, keep)
        await self.client.xadd(DEADLETTER, dead_letter(feed_id, Masker(extra, keep).text(reason), masked),
                               **trim_args(self.config.retention.deadletter))
