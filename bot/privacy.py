"""Personal data: what Indy tells about it (territory.yml, `privacy`), erasing one person's
data on request, and purging what is older than the retention period."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, delete, inspect, select, text
from sqlalchemy.orm import Session

from bot.settings import get_settings
from bot.territory import get_territory

# Rasa has saved the turn by then: the tracker can be erased without being written back.
TRACKER_ERASE_AFTER = timedelta(seconds=5)


def privacy_facts() -> dict[str, str]:
    privacy = get_territory().privacy
    return {
        "privacy_contact": privacy.get("contact", ""),
        "retention_days": str(privacy.get("retention_days", "")),
        "controller": privacy.get("controller", ""),
    }


def retention_days() -> int:
    return int(get_territory().privacy.get("retention_days", 180))


def tracker_url() -> str:
    """Rasa's tracker store (INDY_TRACKER_URL in production, else the SQLite file)."""
    if os.environ.get("INDY_TRACKER_URL"):
        return os.environ["INDY_TRACKER_URL"]
    if os.environ.get("INDY_TRACKER_DB"):
        return f"sqlite:///{Path(os.environ['INDY_TRACKER_DB'])}"
    return get_settings().tracker_url


@dataclass
class Erased:
    tickets: int = 0
    alerts: int = 0
    messages: int = 0


def erase_person(session: Session, sender_id: str) -> Erased:
    """Our rows about this person, now; their Rasa conversation, soon (see erase_trackers)."""
    from bot.catalogue.schema import Alert
    from bot.handoff.models import (
        ErasureRequest,
        OutboxMessage,
        ResumeCode,
        TelegramChat,
        Ticket,
    )

    erased = Erased()
    tickets = session.execute(select(Ticket).where(Ticket.sender_id == sender_id)).unique() \
        .scalars().all()
    for ticket in tickets:
        session.execute(delete(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id))
        session.delete(ticket)  # its transcript goes with it
    erased.tickets = len(tickets)
    erased.messages = session.execute(
        delete(OutboxMessage).where(OutboxMessage.recipient == sender_id)).rowcount
    erased.alerts = session.execute(delete(Alert).where(Alert.sender_id == sender_id)).rowcount
    session.execute(delete(ResumeCode).where(ResumeCode.sender_id == sender_id))
    session.execute(delete(TelegramChat).where(TelegramChat.sender_id == sender_id))
    session.add(ErasureRequest(sender_id=sender_id))
    session.flush()
    return erased


def erase_trackers(session: Session, now: datetime | None = None,
                   url: str | None = None) -> int:
    """Erases the Rasa conversations asked for (older than a few seconds); returns how many."""
    from bot.handoff.models import ErasureRequest

    now = now or datetime.utcnow()
    due = session.execute(select(ErasureRequest).where(
        ErasureRequest.done_at.is_(None),
        ErasureRequest.requested_at <= now - TRACKER_ERASE_AFTER)).scalars().all()
    if not due:
        return 0
    engine = create_engine(url or tracker_url(), future=True)
    try:
        if "events" in inspect(engine).get_table_names():
            with engine.begin() as connection:
                for request in due:
                    connection.execute(text("DELETE FROM events WHERE sender_id = :s"),
                                       {"s": request.sender_id})
    finally:
        engine.dispose()
    for request in due:
        request.done_at = now
    return len(due)


@dataclass
class Purged:
    conversations: int = 0
    tickets: int = 0


def purge_older_than(session: Session, days: int | None = None, now: datetime | None = None,
                     url: str | None = None) -> Purged:
    """Retention: conversations whose last event is older than `days`, and the closed or
    cancelled tickets (with their transcript) closed before that, are deleted; so is the chat
    id of a purged Telegram conversation, unless an open request or an alert still needs it."""
    from bot.catalogue.schema import Alert
    from bot.handoff.models import OutboxMessage, TelegramChat, Ticket
    from bot.handoff.tickets import OPEN

    now = now or datetime.utcnow()
    limit = now - timedelta(days=days if days is not None else retention_days())
    from bot.observatory.compute import before_purge

    before_purge(session, limit, url, now)  # the observatory keeps counts, then data goes
    purged = Purged()
    old = session.execute(select(Ticket).where(
        Ticket.status.in_(("closed", "cancelled")), Ticket.closed_at < limit)).unique() \
        .scalars().all()
    for ticket in old:
        session.execute(delete(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id))
        session.delete(ticket)
    purged.tickets = len(old)
    engine = create_engine(url or tracker_url(), future=True)
    stale: list[str] = []
    try:
        if "events" in inspect(engine).get_table_names():
            with engine.begin() as connection:
                stale = connection.execute(text(
                    "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :t"
                ), {"t": limit.timestamp()}).scalars().all()
                for sender in stale:
                    connection.execute(text("DELETE FROM events WHERE sender_id = :s"),
                                       {"s": sender})
                purged.conversations = len(stale)
        needed = set(session.execute(select(Ticket.sender_id).where(Ticket.status.in_(OPEN)))
                     .scalars()) | set(session.execute(
                         select(Alert.sender_id).where(Alert.active.is_(True))).scalars())
        for sender in stale:
            if sender.startswith("tg-") and sender not in needed:
                session.execute(delete(TelegramChat).where(TelegramChat.sender_id == sender))
    finally:
        engine.dispose()
    return purged
