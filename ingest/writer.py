"""Writing accepted records to a feed's stream, dropping duplicates, in one round trip per batch.

Dedup and XADD happen in one Lua script so a record is either new and appended, or a duplicate
and dropped, with no window between the check and the write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import redis.asyncio

from core.config import Config
from core.streams import DEADLETTER, Record, dead_letter, feed_stream, seen_record, trim_args

_FIELDS = ("feed", "app", "region", "sid", "et", "it", "v", "payload")

# KEYS[1] = stream, KEYS[2..n+1] = seen markers; ARGV = ttl, trim mode, trim value, then 8 values a record.
_APPEND_NEW = """
local ttl = tonumber(ARGV[1])
local mode, trim = ARGV[2], ARGV[3]
local names = {'feed', 'app', 'region', 'sid', 'et', 'it', 'v', 'payload'}
local out = {}
for i = 2, #KEYS do
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ttl) then
    local args = {KEYS[1]}
    if mode ~= '' then
      args[#args + 1] = mode; args[#args + 1] = '~'; args[#args + 1] = trim
    end
    args[#args + 1] = '*'
    local base = 3 + (i - 2) * 8
    for j = 1, 8 do
      args[#args + 1] = names[j]; args[#args + 1] = ARGV[base + j]
    end
    out[#out + 1] = redis.call('XADD', unpack(args))
  else
    out[#out + 1] = 0
  end
end
return out
"""

# Keep one script call well under Lua's argument limits and Redis' latency budget.
BATCH = 500


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

    async def append(self, feed_id: str, records: Sequence[Record]) -> WriteResult:
        """Append the records not seen within the dedup window; report how many were new."""
        result = WriteResult()
        stream = feed_stream(feed_id)
        trim = trim_args(self.config.retention_for(feed_id))
        mode, value = ("MINID", trim["minid"]) if "minid" in trim else (("MAXLEN", trim["maxlen"]) if trim else ("", ""))
        ttl = int(self.config.retention.dedup_window)
        for start in range(0, len(records), BATCH):
            batch = records[start:start + BATCH]
            keys = [stream] + [seen_record(feed_id, r.source_id) for r in batch]
            args: list[Any] = [ttl, mode, value]
            for record in batch:
                encoded = record.encode()
                args.extend(encoded[name] for name in _FIELDS)
            ids = await self._append(keys=keys, args=args)
            new = sum(1 for i in ids if i not in (0, b"0"))
            result.accepted += new
            result.duplicates += len(batch) - new
        return result

    async def reject(self, feed_id: str, reason: str, raw: Any) -> None:
        """Put one rejected input on the dead-letter stream with its feed and reason."""
        await self.client.xadd(DEADLETTER, dead_letter(feed_id, reason, raw),
                               **trim_args(self.config.retention.deadletter))
