"""Production mode: with `demo.enabled: false`, no secret shipped with the demo may open anything.

The demo's tokens and camera password are in the shipped config.yaml (as `${ENV:-default}`), so
they are known to everyone who has read it. A real site that forgot to set one of them would run
with a public secret: `run.py check` and start-up refuse it, naming its YAML path.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from core.config import Config, ConfigProblem

# The secrets config.yaml ships (and their family: a value starting with "demo" is one).
SHIPPED_SECRETS = frozenset({"demo-lapor-token", "demo-upload-token-harga", "demo-internal-token-0123456789",
                             "demo-kamera", "demo"})


def is_demo_secret(value: str | None) -> bool:
    """Whether a secret is one the demo ships (or looks like one)."""
    return bool(value) and (value in SHIPPED_SECRETS or value.strip().lower().startswith("demo"))


def _password(url: str | None) -> str | None:
    try:
        parts = urlsplit(url or "")
        return unquote(parts.password) if parts.password else None
    except ValueError:
        return None


def demo_secrets(config: Config) -> list[ConfigProblem]:
    """(YAML path, why) of each demo secret a production config still holds; none on the demo."""
    if config.demo.enabled:
        return []
    found: list[tuple[str, str]] = []

    def check(path: str, value: str | None, what: str) -> None:
        if is_demo_secret(value):
            found.append((path, what))

    check("ingest.internal_token", config.ingest.internal_token, "is the demo's internal token")
    check("video.internal_token", config.video.internal_token, "is a demo token")
    check("redis.url", _password(config.redis.url), "holds a demo Redis password")
    for feed_id, feed in config.feeds.items():
        options = feed.options
        for i, token in enumerate(options.get("tokens") or []):
            check(f"feeds.{feed_id}.tokens[{i}]", str(token), "is the demo's webhook token")
        for i, token in enumerate(feed.upload_tokens):
            check(f"feeds.{feed_id}.upload_tokens[{i}]", token, "is the demo's upload token")
        for name in ("key", "api_key", "token"):
            if isinstance(options.get(name), str):
                check(f"feeds.{feed_id}.{name}", options[name], "is a demo key")
        for header, value in (options.get("headers") or {}).items():
            check(f"feeds.{feed_id}.headers.{header}", str(value).removeprefix("Bearer ").strip(), "is a demo key")
        check(f"feeds.{feed_id}.url", _password(options.get("url")), "holds a demo password")
    for camera_id, camera in config.cameras.items():
        for variant in ("main", "sub"):
            check(f"cameras.{camera_id}.{variant}", _password(getattr(camera, variant)),
                  "the stream address holds the demo camera password")
    if config.video.demo_cameras:
        found.append(("video.demo_cameras", "simulated cameras are for the demo: set 0"))
    return [ConfigProblem(path, f"{what} (demo.enabled is false): set your own secret through ${{ENV}}")
            if path != "video.demo_cameras" else ConfigProblem(path, f"{what} (demo.enabled is false)")
            for path, what in found]
