"""Erasure on request and retention, on a real Rasa SQL tracker store and our database."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, select, text

from bot.catalogue.alerts import create_alert
from bot.catalogue.db import session_scope
from bot.handoff import outbox, tickets
from bot.handoff.models import Ticket
from bot.privacy import erase_person, erase_trackers, purge_older_than
from tests.conftest import use_database


@pytest.fixture
def stores(empty_catalogue, monkeypatch, tmp_path):
    tracker_db = tmp_path / "tracker.db"
    monkeypatch.setenv("INDY_TRACKER_DB", str(tracker_db))
    monkeypatch.delenv("INDY_COUNSELLORS_CHAT", raising=False)
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tracker_db))
    with use_database(empty_catalogue, monkeypatch):
        yield store, f"sqlite:///{tracker_db}"


def save(store, sender: str, when: float) -> None:
    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered("je cherche un taf à Thiers, je m'appelle Léa", timestamp=when))
    tracker.update(BotUttered("Tu as le permis ?", timestamp=when + 1))
    asyncio.run(store.save(tracker))


def events(url: str, sender: str) -> int:
    with create_engine(url).connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM events WHERE sender_id = :s"),
                                  {"s": sender}).scalar_one()


def test_erasure_removes_our_rows_now_and_the_conversation_soon(stores):
    store, url = stores
    save(store, "lea", time.time())
    save(store, "sam", time.time())
    with session_scope() as session:
        tickets.create_ticket(session, tickets.Request("lea", "rest", "Léa", "06 00 00 00 00",
                                                       "request", {}, [("user", "Léa ici")]))
        create_alert(session, "lea", "rest", "job", "soudeur", "63430")
        erased = erase_person(session, "lea")
        assert (erased.tickets, erased.alerts) == (1, 1)
        assert session.execute(select(Ticket)).first() is None
        assert outbox.pull(session, "lea") == []
        assert erase_trackers(session) == 0  # not yet: Rasa may still be saving the turn
        assert events(url, "lea") == 2
        later = datetime.utcnow() + timedelta(seconds=10)
        assert erase_trackers(session, later) == 1
    assert events(url, "lea") == 0 and events(url, "sam") == 2  # only hers


def test_retention_purges_old_conversations_and_closed_tickets(stores):
    store, url = stores
    old = (datetime.utcnow() - timedelta(days=200)).timestamp()
    save(store, "old", old)
    save(store, "recent", time.time())
    with session_scope() as session:
        tickets.create_ticket(session, tickets.Request("old", "rest", "A", "", "request", {}, []))
        ticket = tickets.open_ticket_for(session, "old")
        ticket.status, ticket.closed_at = "closed", datetime.utcnow() - timedelta(days=200)
        session.flush()
        purged = purge_older_than(session, 180)
    assert (purged.conversations, purged.tickets) == (1, 1)
    assert events(url, "old") == 0 and events(url, "recent") == 2


def test_the_web_app_applies_the_retention_at_start_and_daily(stores, monkeypatch):
    """No cron needed with `make run`: the web app's worker purges (INDY_PURGE_EVERY_H)."""
    from aiohttp.test_utils import TestServer

    from bot.web.app import create_app

    store, url = stores
    save(store, "old", (datetime.utcnow() - timedelta(days=400)).timestamp())
    save(store, "recent", time.time())
    monkeypatch.setenv("INDY_PURGE_EVERY_H", "24")

    async def serve_a_while() -> None:
        async with TestServer(create_app()):
            for _ in range(100):
                if events(url, "old") == 0:
                    return
                await asyncio.sleep(0.2)

    asyncio.run(serve_a_while())
    assert events(url, "old") == 0 and events(url, "recent") == 2


def test_the_chat_number_behind_a_telegram_sender_goes_with_erasure_and_retention(stores):
    from bot.handoff.models import TelegramChat
    from bot.telegram_chats import remember

    store, url = stores
    old = (datetime.utcnow() - timedelta(days=200)).timestamp()
    erased, purged, asked, alerted = (remember(n) for n in (111, 222, 333, 444))
    for sender in (purged, asked, alerted):
        save(store, sender, old)
    with session_scope() as session:
        erase_person(session, erased)
        tickets.create_ticket(session, tickets.Request(asked, "telegram", "A", "", "request",
                                                       {}, []))
        create_alert(session, alerted, "telegram", "job", "soudeur", "63430")
        purge_older_than(session, 180)
        kept = set(session.execute(select(TelegramChat.sender_id)).scalars())
    # Erased at once; purged with its conversation, unless a request or an alert needs it.
    assert kept == {asked, alerted}
