"""Which web pages may talk to Indy from a browser (the widget on partners' sites).

Allowed: Indy's own pages (the web app on the same host name, e.g. the /exemple page; or the
very origin of the server asked, when one name serves everything behind a proxy), and the
partners' sites listed in territory.yml (`widget: allowed_origins`). Used by Rasa's socket.io
channel (bot/channels/socketio.py) and by the web app's /api/updates.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from bot.content import load_yaml
from bot.settings import get_settings


def over_https(request) -> bool:  # noqa: ANN001 - an aiohttp request
    """Whether the browser reached us over https: directly, or through the TLS proxy of the
    machine (docs/deployment.md), which says so in X-Forwarded-Proto. The header is believed
    only from a loopback peer: anyone else could send it."""
    if request.secure:
        return True
    from bot.channels.surface import internal_address

    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return forwarded == "https" and internal_address(request.remote)


def normalize(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


@lru_cache(maxsize=1)
def configured_origins() -> frozenset[str]:
    config = load_yaml(get_settings().territory_dir / "territory.yml") or {}
    listed = (config.get("widget") or {}).get("allowed_origins") or []
    return frozenset(normalize(str(o)) for o in listed)


def origin_allowed(origin: str | None, host: str | None, scheme: str = "http") -> bool:
    """`host` is the Host header the browser used to reach us (with its port, if any)."""
    if not origin:
        return True  # not a browser's cross-site request (curl, the server itself)
    origin = normalize(origin)
    if origin in configured_origins():
        return True
    if not host:
        return False
    if origin == normalize(f"{scheme}://{host}"):
        return True  # same origin (one name for everything, behind a proxy)
    try:
        asked, ours = urlsplit(origin), urlsplit(f"//{host}")
        return asked.hostname == ours.hostname and asked.port == get_settings().web_port
    except ValueError:
        return False
