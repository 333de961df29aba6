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


def test_a_database_of_before_the_satisfaction_check_is_upgraded_with_its_tickets(tmp_path):
    """0007 adds tickets.satisfaction and satisfaction_at to an existing database: its
    tickets stay, with no answer yet."""
    from alembic import command
    from sqlalchemy import text

    from bot.catalogue.db import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0006")
    engine = get_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO tickets (reference, sender_id, channel, status, team, reason, "
            "first_name, contact, consent_at, profile, created_at) VALUES ('IND-OLD01', "
            "'web-x', 'rest', 'closed', 'ml-thiers', 'request', 'Léa', '', "
            "'2026-11-01 10:00:00', '{}', '2026-11-01 10:00:00')"))
    migrate(url)
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("tickets")}
        assert {"satisfaction", "satisfaction_at"} <= columns
        assert connection.execute(text(
            "SELECT reference, satisfaction FROM tickets")).all() == [("IND-OLD01", None)]
