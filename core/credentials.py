"""The secrets the parts of one installation share among themselves, generated when config sets none.

The dashboard calls ingest (operators' uploads) and the video gateway (WHEP) with a bearer token;
each side refuses a caller without it. A site may set the tokens in config (`${ENV}`, when the
parts run on different machines); otherwise each is made once, at random, in a file readable by
its owner only under `ingest.secrets_dir`, where every role of this installation finds it. No
shipped default exists, so no token works anywhere it was not made.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from core.config import Config


def local_secret(name: str, directory: str | os.PathLike) -> str:
    """The secret in `directory/name`, made first if missing (atomic: parts starting together agree)."""
    folder = Path(directory)
    path = folder / name
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    draft = folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(32) + "\n")
    try:
        os.link(draft, path)  # fails when another part made it first: then theirs counts
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return _read(path)


def _read(path: Path) -> str:
    value = path.read_text().strip()
    if len(value) < 16:
        raise RuntimeError(f"{path} holds no usable secret: delete it to have a new one made")
    return value


def secrets_dir(config: Config) -> Path:
    return Path(config.ingest.secrets_dir)


def ingest_token(config: Config) -> str:
    """The dashboard's credential for ingest's upload route: `ingest.internal_token`, else generated."""
    return config.ingest.internal_token or local_secret("ingest-token", secrets_dir(config))


def gateway_token(config: Config) -> str:
    """The dashboard's credential for the video gateway: `video.internal_token`, else generated."""
    return config.video.internal_token or local_secret("video-token", secrets_dir(config))


def form_secret(config: Config) -> str:
    """The key that signs the sign-in forms: configured, else one per installation, so that a form
    served by one dashboard process is accepted by another behind the same load balancer."""
    return config.auth.form_secret or local_secret("form-secret", secrets_dir(config))
