"""Tables of the handoff (same metadata as the catalogue: one database, one migration chain)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from bot.catalogue.schema import Base


def _now() -> datetime:
    return datetime.utcnow()


class Counsellor(Base):
    __tablename__ = "counsellors"
    id = Column(Integer, primary_key=True)
    username = Column(String(80), nullable=False, unique=True)
    display_name = Column(String(120), nullable=False)
    password_hash = Column(String(300), nullable=False)
    role = Column(String(20), nullable=False, default="counsellor")  # or "admin"
    team = Column(String(60))
    telegram_user_id = Column(String(40))
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=_now)


class WebSession(Base):
    """A dashboard login: only the token's hash is stored."""

    __tablename__ = "web_sessions"
    token_hash = Column(String(64), primary_key=True)
    counsellor_id = Column(Integer, ForeignKey("counsellors.id", ondelete="CASCADE"),
                           nullable=False)
    csrf_token = Column(String(64), nullable=False)
    expires_at = Column(DateTime, nullable=False)
    created_at = Column(DateTime, nullable=False, default=_now)

    counsellor = relationship(Counsellor, lazy="joined")


class Ticket(Base):
    __tablename__ = "tickets"
    id = Column(Integer, primary_key=True)
    reference = Column(String(20), nullable=False, unique=True)
    sender_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(40), nullable=False)
    status = Column(String(20), nullable=False, default="waiting")  # taken, closed, cancelled
    team = Column(String(60), nullable=False)
    reason = Column(String(40), nullable=False, default="request")  # offer, fallback
    first_name = Column(String(80), nullable=False, default="")
    contact = Column(String(200), nullable=False, default="")
    consent_at = Column(DateTime, nullable=False)
    profile = Column(Text, nullable=False, default="{}")  # JSON: trade, place, age, offer
    promised_by = Column(DateTime)
    created_at = Column(DateTime, nullable=False, default=_now)
    taken_at = Column(DateTime)
    taken_by = Column(Integer, ForeignKey("counsellors.id"))
    closed_at = Column(DateTime)
    outcome = Column(String(40))
    satisfaction = Column(String(20))  # yes, partly, no: the person's answer after closing
    satisfaction_at = Column(DateTime)

    counsellor = relationship(Counsellor, lazy="joined")
    messages = relationship("TicketMessage", order_by="TicketMessage.id", lazy="selectin",
                            cascade="all, delete-orphan")

    __table_args__ = (Index("ix_tickets_status_created", "status", "created_at"),)


class TicketMessage(Base):
    """The transcript: what was said before the request, then both ways while it is open, and
    the counsellors' internal notes (author "note": shown on the desk only)."""

    __tablename__ = "ticket_messages"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False,
                       index=True)
    # user, bot, counsellor, system; note: a counsellor's internal note, never sent to the person
    author = Column(String(20), nullable=False)
    counsellor_id = Column(Integer, ForeignKey("counsellors.id"))
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=_now)

    counsellor = relationship(Counsellor, lazy="joined")  # who wrote a reply or a note


class OutboxMessage(Base):
    """A message to deliver (to a young person, to the counsellors' group): stored first,
    retried with backoff until sent, sent once (dedupe key), in order per recipient."""

    __tablename__ = "outbox"
    id = Column(Integer, primary_key=True)
    dedupe_key = Column(String(120), nullable=False)
    channel = Column(String(40), nullable=False)
    recipient = Column(String(200), nullable=False)
    text = Column(Text, nullable=False)
    buttons = Column(Text, nullable=False, default="[]")  # JSON [{title, payload}]
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="SET NULL"))
    status = Column(String(20), nullable=False, default="pending")  # sent, failed
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=_now)
    last_error = Column(String(300))
    created_at = Column(DateTime, nullable=False, default=_now)
    sent_at = Column(DateTime)

    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_outbox_dedupe"),
        Index("ix_outbox_pending", "status", "next_attempt_at"),
        Index("ix_outbox_recipient", "channel", "recipient", "id"),
    )


class ResumeCode(Base):
    """A one-time code carried by the kiosk's QR code (Telegram deep link): it names nothing
    about the person; used once, it moves their open request to the phone."""

    __tablename__ = "resume_codes"
    code = Column(String(40), primary_key=True)
    sender_id = Column(String(200), nullable=False)
    created_at = Column(DateTime, nullable=False, default=_now)
    used_at = Column(DateTime)


class ErasureRequest(Base):
    """"Efface mes données": our rows go at once; the conversation in Rasa's tracker store is
    erased by the web app's worker a few seconds later, once Rasa has saved the turn."""

    __tablename__ = "erasure_requests"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(200), nullable=False)
    requested_at = Column(DateTime, nullable=False, default=_now)
    done_at = Column(DateTime)


class TelegramChat(Base):
    """Where to push to a Telegram conversation: its sender id (a keyed hash, bot/identity.py)
    and the chat id Telegram knows. Kept only here, so that no conversation id is a public
    chat number; written by the bridge, read by the outbox and alerts (bot/telegram_chats.py)."""

    __tablename__ = "telegram_chats"
    sender_id = Column(String(40), primary_key=True)
    chat_id = Column(String(40), nullable=False)
    created_at = Column(DateTime, nullable=False, default=_now)
