"""The Alembic migrations build exactly the schema the code declares."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.catalogue.db import get_engine, migrate
from bot.catalogue.schema import Base


def test_migrations_create_the_declared_schema_and_rerun_harmlessly(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate(url)
    migrate(url)  # already at head: nothing to do
    engine = get_engine(url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        assert set(inspect(connection).get_table_names()) >= {
            "places", "trades", "offers", "bus_stops", "services", "alerts", "alert_deliveries",
            "alembic_version",
        }
