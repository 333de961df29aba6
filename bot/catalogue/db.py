"""Connection to the catalogue's database and its migrations (Alembic).

A locked or unreachable database raises one of `DATABASE_ERRORS` quickly (SQLite waits
`INDY_DB_BUSY_TIMEOUT_MS`, 3 s by default, for another writer; PostgreSQL gives up connecting
after `INDY_DB_CONNECT_TIMEOUT_S`, 5 s): callers answer politely, and since every write goes
through one `session_scope` (one transaction), nothing is left half written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.settings import get_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# What a busy (locked) or unreachable database raises.
DATABASE_ERRORS = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def busy_timeout_ms() -> int:
    return int(os.environ.get("INDY_DB_BUSY_TIMEOUT_MS", "3000"))


def get_engine(url: str | None = None) -> Engine:
    """One engine (one pool) per database: `get_engine()` and `get_engine(None)` included."""
    return _engine(url or get_settings().database_url)


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        try:
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # SQLite then says "unable to open database file": see describe_error
    connect_args: dict = {}
    pooling: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        connect_args["connect_timeout"] = int(os.environ.get("INDY_DB_CONNECT_TIMEOUT_S", "5"))
    elif url.startswith("sqlite:///") and ":memory:" not in url:
        # SQLAlchemy 1.4 opens a new SQLite connection (and runs the PRAGMAs below) for every
        # session of a file database (NullPool); Rasa's process checks the handoff at every
        # message. Connections are kept instead, each used by one thread at a time.
        connect_args["check_same_thread"] = False
        pooling = {"poolclass": QueuePool, "pool_size": 5, "max_overflow": 10}
    engine = create_engine(url, future=True, connect_args=connect_args, **pooling)
    if engine.dialect.name == "sqlite":
        busy = busy_timeout_ms()

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # noqa: ANN001
            cursor = connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={busy}")  # first: WAL itself may wait
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
    return engine


get_engine.cache_clear = _engine.cache_clear  # type: ignore[attr-defined]


def is_locked(error: BaseException) -> bool:
    text = str(getattr(error, "orig", None) or error).lower()
    return "locked" in text or "busy" in text


def describe_error(error: BaseException, url: str | None = None) -> str:
    """For the operator, in French: what happened to the database, what to do."""
    if is_locked(error):
        return ("La base de données est occupée (un autre programme y écrit) : rien n'a été "
                "écrit. Réessaie dans un moment.")
    url = url or get_settings().database_url
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unreadable URL: show only its scheme
        shown = url.split(":", 1)[0] + ":…"
    detail = " ".join(str(getattr(error, "orig", None) or error).split())[:200]
    return (f"Base de données injoignable ({shown}) : {detail.rstrip('. ')}\n"
            "Vérifie INDY_DATABASE_URL et que la base est démarrée. Rien n'a été écrit.")


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session committed on success, rolled back on any error."""
    factory = sessionmaker(get_engine(url), future=True, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def read_scope(url: str | None = None) -> Iterator[Session]:
    """A session that only reads: never committed, its transaction ends when it closes."""
    session = sessionmaker(get_engine(url), future=True)()
    try:
        yield session
    finally:
        session.close()


def alembic_config(url: str | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url or get_settings().database_url)
    return config


def migrate(url: str | None = None) -> None:
    """Brings the schema to the latest migration (creates it on a new database)."""
    from alembic import command

    url = url or get_settings().database_url
    with get_engine(url).begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
