"""What Rasa's port publishes: socket.io (the widget) only.

Rasa's HTTP API, the REST input and the Telegram input are for Indy's own processes and for
operators on the machine: a request from any other address gets 403, whatever the interface
Rasa listens on (`INDY_HOST=0.0.0.0` on the bus laptop). Addresses of a private network of
Indy's own machines can be added with INDY_INTERNAL_NETWORKS (CIDRs). Behind nginx every request
comes from loopback: nginx applies the same rule itself (bot/cluster.py).

Installed by bot/serve.py on the Sanic app Rasa builds, with a bound on request bodies.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from bot.settings import get_settings

PUBLIC_PREFIXES = ("/socket.io",)
MAX_BODY_BYTES = 1024 * 1024  # Sanic's default is 100 MB


@lru_cache(maxsize=1)
def _internal() -> tuple:
    networks = ["127.0.0.0/8", "::1/128", *get_settings().internal_networks]
    return tuple(ipaddress.ip_network(n, strict=False) for n in networks)


def internal_address(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in _internal())


def public_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PUBLIC_PREFIXES)


async def internal_only(request):  # noqa: ANN001, ANN201 - a Sanic request middleware
    from sanic import response

    if public_path(request.path) or internal_address(request.ip):
        return None
    return response.json({"error": "not published"}, status=403)


def install(app) -> None:  # noqa: ANN001
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.register_middleware(internal_only, "request")
