"""`python -m ingest.demo [config.yaml]`: run the simulated agency services by themselves."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from core.config import ConfigError, load_config
from ingest.demo import serve


async def main(path: str) -> None:
    """Serve until Ctrl-C or SIGTERM."""
    config = load_config(path)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await serve(config, stop)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "config.yaml"))
    except ConfigError as err:
        sys.exit(f"{err}")
    except OSError as err:
        sys.exit(f"{err}")
