"""Alembic environment: runs on the connection given by bot.catalogue.db.migrate, or on the URL."""

from alembic import context
from sqlalchemy import create_engine

import bot.handoff.models  # noqa: F401 - its tables belong to the same metadata
import bot.observatory.models  # noqa: F401 - same metadata, same migration chain
from bot.catalogue.schema import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"), future=True)
        with engine.begin() as connection:
            _run_on(connection)
    else:
        _run_on(connection)


def _run_on(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run()
