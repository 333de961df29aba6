"""The production profile: several Rasa replicas and action servers behind nginx.

Selected by INDY_PROFILE=production. Rasa keeps its conversations in PostgreSQL
(INDY_TRACKER_URL, by default INDY_DATABASE_URL) and takes the per-conversation lock in Redis
(INDY_REDIS_URL): any replica can answer any message, and the messages of one person are
handled one after the other. nginx (Debian's package) spreads the user channels over the
replicas (round robin; socket.io sticky by client address) and the actions over the action
servers. The web app and the Telegram bridge stay single: the outbox worker and Telegram's
long polling must run once.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.settings import Settings

NGINX = "/usr/sbin/nginx"


class ProfileError(RuntimeError):
    """The production profile is missing something it needs (said in French, for operators)."""


def check(settings: Settings) -> None:
    if not (settings.database_url_env or "").startswith("postgresql"):
        raise ProfileError("profil production : INDY_DATABASE_URL doit être une base PostgreSQL "
                           "(postgresql://utilisateur:motdepasse@hôte:5432/indy)")
    if not settings.tracker_url.startswith("postgresql"):
        raise ProfileError("profil production : INDY_TRACKER_URL doit être une base PostgreSQL")
    if not (settings.redis_url or "").startswith("redis://"):
        raise ProfileError("profil production : INDY_REDIS_URL manque (redis://127.0.0.1:6379/0)")
    if settings.rasa_replicas < 1 or settings.action_servers < 1:
        raise ProfileError("profil production : au moins 1 réplique Rasa et 1 serveur d'actions")
    if not Path(NGINX).exists() and not shutil.which("nginx"):
        raise ProfileError("profil production : nginx manque (apt-get install nginx-light)")


def service_env(settings: Settings) -> dict[str, str]:
    """The parts of the tracker and Redis URLs that endpoints.production.yml needs."""
    tracker = urlsplit(settings.tracker_url)
    redis = urlsplit(settings.redis_url or "redis://127.0.0.1:6379/0")
    return {
        "INDY_TRACKER_DIALECT": tracker.scheme.split("+")[0],
        "INDY_TRACKER_HOST": tracker.hostname or "127.0.0.1",
        "INDY_TRACKER_PORT": str(tracker.port or 5432),
        "INDY_TRACKER_NAME": tracker.path.lstrip("/") or "indy",
        "INDY_TRACKER_USER": unquote(tracker.username or ""),
        "INDY_TRACKER_PASSWORD": unquote(tracker.password or ""),
        "INDY_REDIS_HOST": redis.hostname or "127.0.0.1",
        "INDY_REDIS_PORT": str(redis.port or 6379),
        "INDY_REDIS_DB": redis.path.lstrip("/") or "0",
        "INDY_REDIS_PASSWORD": unquote(redis.password or ""),
        "INDY_REDIS_PREFIX": "indy" + "".join(c for c in settings.territory if c.isalnum()),
    }


@dataclass(frozen=True)
class Backend:
    name: str      # "rasa-1", "actions-2"…
    kind: str      # "rasa" or "actions"
    port: int


def backends(settings: Settings) -> list[Backend]:
    """Ports of the replicas: after the public ports (INDY_RASA_PORT + 101…, INDY_ACTIONS_PORT +
    101…), unless INDY_REPLICA_BASE_PORT sets where they start."""
    base = settings.replica_base_port
    rasa_base = base or settings.rasa_port + 101
    actions_base = base + settings.rasa_replicas if base else settings.actions_port + 101
    rasa = [Backend(f"rasa-{i + 1}", "rasa", rasa_base + i) for i in range(settings.rasa_replicas)]
    return rasa + [Backend(f"actions-{i + 1}", "actions", actions_base + i)
                   for i in range(settings.action_servers)]


def _option(command: list[str], option: str, value: str) -> list[str]:
    command = list(command)
    if option in command:
        command[command.index(option) + 1] = value
    return command


def role() -> str:
    """"all" (default): everything on this machine. "replicas": only Rasa replicas, action
    servers and nginx, for the second and later machines of a cluster (docs/deployment.md);
    the web app and the Telegram bridge run on one machine only."""
    return os.environ.get("INDY_ROLE", "all")


def commands(settings: Settings, single: dict[str, list[str]]) -> dict[str, list[str]]:
    """The embedded profile's commands, one per replica on its own loopback port, plus nginx
    on the public ports."""
    processes: dict[str, list[str]] = {}
    for backend in backends(settings):
        command = _option(single[backend.kind], "--port", str(backend.port))
        processes[backend.name] = _option(command, "--interface", "127.0.0.1")
    processes["proxy"] = [NGINX if Path(NGINX).exists() else "nginx",
                          "-c", str(write_nginx_conf(settings)), "-e", "stderr"]
    if role() == "all":
        processes.update({k: v for k, v in single.items() if k not in ("rasa", "actions")})
    return processes


def health_urls(settings: Settings, single: dict[str, str]) -> dict[str, str]:
    urls = {}
    for backend in backends(settings):
        path = "/" if backend.kind == "rasa" else "/health"
        urls[backend.name] = f"http://127.0.0.1:{backend.port}{path}"
    urls["proxy"] = single["rasa"]  # Rasa's public port is nginx's
    if role() == "all":
        urls.update({k: v for k, v in single.items() if k not in ("rasa", "actions")})
    return urls


def replicable(settings: Settings) -> set[str]:
    """Processes that others stand in for while they restart."""
    return {backend.name for backend in backends(settings)}


def first_wave(settings: Settings) -> set[str]:
    """Started and ready before the others: one replica creates Rasa's tables in PostgreSQL
    alone (two replicas creating them at once would collide)."""
    return {"rasa-1"}


def site_conf(settings: Settings) -> str:
    """Upstreams and servers (an nginx `http` block's content): what Debian's nginx takes in
    /etc/nginx/sites-enabled/ (`python -m bot cluster nginx`, docs/deployment.md)."""
    rasa = "\n".join(f"    server 127.0.0.1:{b.port} max_fails=1 fail_timeout=10s;"
                     for b in backends(settings) if b.kind == "rasa")
    actions = "\n".join(f"    server 127.0.0.1:{b.port} max_fails=1 fail_timeout=10s;"
                        for b in backends(settings) if b.kind == "actions")
    allow = "\n".join(f"      allow {network};" for network in
                       ("127.0.0.0/8", "::1", *settings.internal_networks))
    return f"""# Indy (bot/cluster.py): {settings.rasa_replicas} Rasa replica(s), \
{settings.action_servers} action server(s).
  # Rasa sends the whole conversation to the action server: bodies can be large.
  client_max_body_size 20m;
  client_body_buffer_size 1m;

  upstream indy_rasa {{
{rasa}
    keepalive 16;
  }}
  upstream indy_rasa_sticky {{
    ip_hash;  # socket.io: a client stays on the replica that holds its session
{rasa}
  }}
  upstream indy_actions {{
{actions}
    keepalive 16;
  }}
  map $http_upgrade $indy_connection_upgrade {{ default upgrade; '' close; }}

  server {{
    listen {settings.host}:{settings.rasa_port};
    proxy_http_version 1.1;
    proxy_read_timeout 120s;
    # (a location's proxy_set_header replaces every inherited one: Host is repeated in each;
    # Rasa's socket.io checks the page's origin against it)
    location /socket.io/ {{
      proxy_pass http://indy_rasa_sticky;
      proxy_set_header Host $http_host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $indy_connection_upgrade;
    }}
    # Only socket.io is public: Rasa's API, /webhooks/rest/ and /webhooks/telegram/ are for
    # Indy's processes and operators (bot/channels/surface.py applies the same rule).
    location / {{
{allow}
      deny all;
      proxy_pass http://indy_rasa;
      proxy_set_header Host $http_host;
      proxy_set_header Connection "";
      # A replica that refuses the connection is skipped; a POST already sent is never
      # replayed (it could be handled twice): the client gets 502 and sends it again with
      # the same message id (bot/rasa_client.py).
      proxy_next_upstream error timeout http_502 http_503;
    }}
  }}
  server {{
    listen 127.0.0.1:{settings.actions_port};
    proxy_http_version 1.1;
    proxy_read_timeout 60s;
    location / {{
      proxy_pass http://indy_actions;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout http_502 http_503;
    }}
  }}
"""


def nginx_conf(settings: Settings) -> str:
    """A whole nginx configuration around site_conf, run by the runner itself."""
    var = settings.var_dir / "nginx"
    user = "user root;\n" if os.geteuid() == 0 else ""  # the runner's own nginx: its user
    return f"""# Generated by bot/cluster.py (INDY_PROFILE=production).
{user}worker_processes 1;
daemon off;
pid {var}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
  log_format upstreams '$time_iso8601 $request_method $uri $status $upstream_addr';
  access_log {var}/access.log upstreams;
  client_body_temp_path {var}/body;
  proxy_temp_path {var}/proxy;
  fastcgi_temp_path {var}/fastcgi;
  uwsgi_temp_path {var}/uwsgi;
  scgi_temp_path {var}/scgi;
{site_conf(settings)}}}
"""


def write_nginx_conf(settings: Settings) -> Path:
    var = settings.var_dir / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (var / sub).mkdir(parents=True, exist_ok=True)
    target = var / "nginx.conf"
    target.write_text(nginx_conf(settings), encoding="utf-8")
    return target

