"""The catalogue, tickets and outbox on a real PostgreSQL server (the production profile's
database): Alembic builds the declared schema, an import is all or nothing, a search, a
ticket, its transcript and the erasure of a person work as on SQLite."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from bot.catalogue.answers import run_search
from bot.catalogue.db import get_engine, migrate, session_scope
from bot.catalogue.importer import import_file
from bot.catalogue.prepare import prepare
from bot.catalogue.schema import Base, Offer
from bot.handoff import outbox, tickets
from bot.handoff.models import Ticket, TicketMessage
from bot.privacy import erase_person
from tests.catalogue.test_import import GOOD
from tests.conftest import TODAY, use_database
from tests.support.servers import new_database


@pytest.fixture
def database(postgres_url, monkeypatch):
    url = new_database(postgres_url, f"t_{uuid.uuid4().hex[:10]}")
    with use_database(url, monkeypatch):
        yield url


def test_alembic_builds_the_declared_schema_on_postgresql(database):
    migrate(database)
    migrate(database)  # already at head: nothing to do
    with get_engine(database).connect() as connection:
        assert get_engine(database).dialect.name == "postgresql"
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_an_import_is_one_transaction_on_postgresql(database, tmp_path):
    prepare(database, today=TODAY, demo=False)
    broken = tmp_path / "offres.csv"
    broken.write_text(GOOD + "ml-thiers,T4,boulot,Soudeur,Forges,63430,,,,,,\n", encoding="utf-8")
    with session_scope(database) as session:
        report = import_file(session, broken)
    assert not report.ok and [line for line, _ in report.errors] == [5]
    with session_scope(database) as session:
        assert session.execute(select(func.count(Offer.id))).scalar_one() == 0
    good = tmp_path / "bon.csv"
    good.write_text(GOOD, encoding="utf-8")
    with session_scope(database) as session:
        assert import_file(session, good).ok
    with session_scope(database) as session:
        assert session.execute(select(func.count(Offer.id))).scalar_one() == 3


def test_search_ticket_outbox_and_erasure_on_postgresql(database):
    prepare(database, today=TODAY, demo=True)
    answer = run_search("job", "soudeur", "63430", False, today=TODAY, url=database)
    assert answer.shown > 0  # cards from the demo offers near Thiers

    sender = "web-" + uuid.uuid4().hex[:12]
    with session_scope(database) as session:
        created = tickets.create_ticket(session, tickets.Request(
            sender_id=sender, channel="rest", first_name="Léa", contact="", reason="request",
            profile={"trade": "soudeur", "epci": "200070712"},
            transcript=[("user", "je cherche un taf de soudeur"), ("bot", "Tu as le permis ?")]))
    assert created.reference and not created.already_open
    with session_scope(database) as session:
        ticket = session.execute(select(Ticket).where(Ticket.sender_id == sender)).unique() \
            .scalar_one()
        outbox.to_person(session, ticket, "taken", who="Julie")
    with session_scope(database) as session:
        assert outbox.pull(session, sender)  # the web page collects it
        erased = erase_person(session, sender)
    assert erased.tickets == 1
    with session_scope(database) as session:
        assert session.execute(select(Ticket).where(Ticket.sender_id == sender)).first() is None
        assert session.execute(select(func.count(TicketMessage.id))).scalar_one() == 0


def test_a_nul_in_a_message_does_not_break_a_ticket_on_postgresql(database):
    """PostgreSQL refuses NUL in text: what a person or a counsellor writes is cleaned first."""
    from bot.handoff import accounts

    migrate(database)
    sender = "web-" + uuid.uuid4().hex[:12]
    with session_scope(database) as session:
        julie = accounts.add_counsellor(session, f"julie-{sender}", "Julie", "motdepasse-solide",
                                        role="admin")
        created = tickets.create_ticket(session, tickets.Request(
            sender_id=sender, channel="rest", first_name="Lé\x00a", contact="\x00",
            reason="request", profile={}, transcript=[("user", "je cherche\x00 un taf")]))
        ticket = tickets.open_ticket_for(session, sender)
        tickets.record_user_message(session, ticket, "\x00encore")
        tickets.reply(session, ticket.id, julie, "Bonjour\x00")
    assert created.reference
    with session_scope(database) as session:
        texts = session.execute(select(TicketMessage.text)).scalars().all()
    assert "je cherche un taf" in texts and "encore" in texts
