"""Paths and settings, read from the environment with working defaults (the embedded profile)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    territory: str
    territory_dir: Path
    content_dir: Path
    var_dir: Path
    models_dir: Path
    host: str
    rasa_port: int
    actions_port: int
    web_port: int
    rasa_token: str
    database_url_env: str | None = None
    tracker_url_env: str | None = None
    # "embedded" (SQLite, one process each) or "production" (PostgreSQL, Redis lock store,
    # several Rasa replicas and action servers behind nginx: bot/cluster.py).
    profile: str = "embedded"
    redis_url: str | None = None
    rasa_replicas: int = 2
    action_servers: int = 2
    replica_base_port: int = 0  # 0: after the public ports (bot/cluster.py)
    # Signs the conversation ids Indy issues and keys the hash of Telegram chats
    # (bot/identity.py): INDY_SECRET_KEY, else var/secret_key, made on first run.
    secret_key: str = ""
    # Who may call Rasa's HTTP API and REST/Telegram inputs besides loopback (CIDRs).
    internal_networks: tuple[str, ...] = ()

    @property
    def database_url(self) -> str:
        """The catalogue's database: SQLite in var/ unless INDY_DATABASE_URL says otherwise."""
        return self.database_url_env or f"sqlite:///{self.var_dir / 'indy.db'}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def tracker_db(self) -> Path:
        return self.var_dir / "tracker.db"

    @property
    def tracker_url(self) -> str:
        """Rasa's tracker store as a SQLAlchemy URL: INDY_TRACKER_URL, else in production the
        catalogue's database (Rasa's tables beside ours), else SQLite in var/."""
        if self.tracker_url_env:
            return self.tracker_url_env
        if self.profile == "production" and self.database_url_env:
            return self.database_url_env
        return f"sqlite:///{self.tracker_db}"


def stored_secret_key(var_dir: Path) -> str:
    """The key kept in var/secret_key (owner-only), made on first run. Losing it only
    invalidates the ids already issued: browsers get new ones, Telegram chats start afresh."""
    path = var_dir / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    territory = os.environ.get("INDY_TERRITORY", "tiltam")
    var_dir = Path(os.environ.get("INDY_VAR_DIR", ROOT / "var"))
    return Settings(
        territory=territory,
        territory_dir=Path(os.environ.get("INDY_TERRITORY_DIR", ROOT / "territory" / territory)),
        content_dir=Path(os.environ.get("INDY_CONTENT_DIR", ROOT / "content")),
        var_dir=var_dir,
        models_dir=Path(os.environ.get("INDY_MODELS_DIR", ROOT / "models")),
        host=os.environ.get("INDY_HOST", "127.0.0.1"),
        rasa_port=int(os.environ.get("INDY_RASA_PORT", "5005")),
        actions_port=int(os.environ.get("INDY_ACTIONS_PORT", "5055")),
        web_port=int(os.environ.get("INDY_WEB_PORT", "8000")),
        # Rasa's HTTP API (not the user channels) always needs a token: the configured one,
        # else a random one made at start and handed to the processes Indy starts.
        rasa_token=os.environ.get("INDY_RASA_TOKEN") or secrets.token_hex(24),
        database_url_env=os.environ.get("INDY_DATABASE_URL") or None,
        tracker_url_env=os.environ.get("INDY_TRACKER_URL") or None,
        profile=os.environ.get("INDY_PROFILE", "embedded"),
        redis_url=os.environ.get("INDY_REDIS_URL") or None,
        rasa_replicas=int(os.environ.get("INDY_RASA_REPLICAS", "2")),
        action_servers=int(os.environ.get("INDY_ACTION_SERVERS", "2")),
        replica_base_port=int(os.environ.get("INDY_REPLICA_BASE_PORT", "0")),
        secret_key=os.environ.get("INDY_SECRET_KEY") or stored_secret_key(var_dir),
        internal_networks=tuple(n.strip() for n in
                                os.environ.get("INDY_INTERNAL_NETWORKS", "").split(",")
                                if n.strip()),
    )
