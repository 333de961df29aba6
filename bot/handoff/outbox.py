"""The outbox: every message of the handoff is stored, then delivered by a worker.

Push channels (Telegram) are sent by `deliver_due`, oldest first and in order per recipient,
each committed as soon as it is sent (a crash resends nothing already sent), retried with
backoff (and Telegram's retry_after) while the failure may pass (network, 429, 5xx); a
failure that cannot pass (the person blocked the bot, the chat is unknown) marks the message
"failed" with its reason at once, shown on the ticket's page, and does not hold the
recipient's later messages. The dedupe key makes a message exist once. Pull channels (the web
page and Rasa's REST channel, which cannot push) are collected by `pull` when the page asks
for news, and marked sent only once the page says it has them (`after`): a lost answer loses
nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.handoff.models import OutboxMessage, Ticket
from bot.notify import render

PULL_CHANNELS = ("rest", "web", "socketio", "cmdline")
MAX_BACKOFF_S = 300


def counsellors_chat() -> str | None:
    """The counsellors' Telegram group (INDY_COUNSELLORS_CHAT), if there is one."""
    return os.environ.get("INDY_COUNSELLORS_CHAT") or None


def enqueue(session: Session, key: str, channel: str, recipient: str, text: str,
            buttons: list[dict] | None = None, ticket: Ticket | None = None) -> bool:
    """Stores a message once (False when its key exists already)."""
    if session.execute(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)).first():
        return False
    try:
        with session.begin_nested():
            session.add(OutboxMessage(
                dedupe_key=key, channel=channel, recipient=recipient, text=text,
                buttons=json.dumps(buttons or [], ensure_ascii=False),
                ticket_id=ticket.id if ticket else None,
            ))
    except IntegrityError:  # the same key stored concurrently
        return False
    return True


def notify_counsellors(session: Session, ticket: Ticket, team) -> None:
    chat = counsellors_chat()
    if not chat:
        return
    profile = json.loads(ticket.profile or "{}")
    details = ", ".join(str(v) for v in (profile.get("trade"), profile.get("place_name"),
                                          profile.get("offer")) if v)
    text = render("utter_handoff_counsellors_new", reference=ticket.reference, team=team.name,
                  name=ticket.first_name or "?", details=details or "—")
    enqueue(session, f"new-{ticket.id}", "telegram", chat, text,
            [{"title": "✋ Je prends", "payload": f"take:{ticket.id}"}], ticket)


def tell_counsellors_cancelled(session: Session, ticket: Ticket) -> None:
    chat = counsellors_chat()
    if chat:
        enqueue(session, f"cancelled-{ticket.id}", "telegram", chat,
                render("utter_handoff_counsellors_cancelled", reference=ticket.reference),
                ticket=ticket)


def tell_counsellors_distress(session: Session, ticket: Ticket, alert: str,
                              message_id: int) -> None:
    """The person a counsellor talks to wrote something that raised the safety layer."""
    chat = counsellors_chat()
    if chat:
        enqueue(session, f"distress-{ticket.id}-{message_id}", "telegram", chat,
                f"{alert} ({ticket.reference})", ticket=ticket)


def to_person(session: Session, ticket: Ticket, kind: str, key: str | None = None,
              **variables: str) -> None:
    """taken / reply / closed, in the person's channel."""
    text = render(f"utter_handoff_{kind}", **variables)
    buttons = []
    if kind == "closed":
        buttons = [{"title": "🔎 Chercher une offre", "payload": "/search_job"},
                   {"title": "💬 Ce que je sais faire", "payload": "/ask_capabilities"}]
    enqueue(session, key or f"{kind}-{ticket.id}", ticket.channel, ticket.sender_id, text,
            buttons, ticket)


def ask_satisfaction(session: Session, ticket: Ticket, question: str,
                     buttons: list[dict]) -> None:
    """The one question after closing, with its buttons, once per ticket."""
    enqueue(session, f"satisfaction-{ticket.id}", ticket.channel, ticket.sender_id, question,
            buttons, ticket)


def pull(session: Session, recipient: str, after: int | None = None) -> list[dict]:
    """Pending messages of a pull channel for this person, in order, each with its `id`.

    With `after` (the last id the page has shown), what the page has is marked sent and only
    what is newer is returned, still pending until the page acknowledges it in turn. Without
    it, everything returned is marked sent at once (callers that cannot acknowledge)."""
    rows = session.execute(
        select(OutboxMessage).where(OutboxMessage.recipient == recipient,
                                    OutboxMessage.channel.in_(PULL_CHANNELS),
                                    OutboxMessage.status == "pending")
        .order_by(OutboxMessage.id)
    ).scalars().all()
    now = datetime.utcnow()
    messages = []
    for row in rows:
        if after is not None and row.id <= after:
            row.status, row.sent_at = "sent", now  # the page has it
            continue
        row.attempts += 1
        if after is None:
            row.status, row.sent_at = "sent", now
        message = {"id": row.id, "text": row.text}
        if row.buttons and row.buttons != "[]":
            message["buttons"] = json.loads(row.buttons)
        messages.append(message)
    return messages


@dataclass
class Delivery:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def permanent(error: Exception) -> bool:
    """A failure that no retry can mend: the person blocked the bot or left, the chat does not
    exist or is no longer known. Network errors, 429 and server errors may pass."""
    from telegram.error import BadRequest, Forbidden

    from bot.telegram_chats import UnknownChat

    return isinstance(error, (Forbidden, BadRequest, UnknownChat))


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    if retry_after is not None:
        return timedelta(seconds=retry_after)
    return timedelta(seconds=min(MAX_BACKOFF_S, 2 ** min(attempts, 12)))


def deliver_due(session: Session, transports: dict, now: datetime | None = None) -> Delivery:
    """Sends what is due on push channels, committing each message once sent; a failure that
    may pass delays that recipient's later messages, one that cannot marks it failed."""
    now = now or datetime.utcnow()
    outcome = Delivery()
    blocked: set[tuple[str, str]] = set()
    rows = session.execute(
        select(OutboxMessage).where(OutboxMessage.status == "pending",
                                    OutboxMessage.channel.notin_(PULL_CHANNELS))
        .order_by(OutboxMessage.id)
    ).scalars().all()
    for row in rows:
        who = (row.channel, row.recipient)
        if who in blocked:
            continue
        if row.next_attempt_at > now:
            blocked.add(who)  # an earlier message waits: keep the order
            continue
        transport = transports.get(row.channel)
        if transport is None:
            blocked.add(who)
            continue
        row.attempts += 1
        try:
            transport.send(row.recipient, row.text, json.loads(row.buttons or "[]"))
        except Exception as error:  # noqa: BLE001 - any failure: now or later, said
            row.last_error = f"{type(error).__name__}: {error}"[:300]
            if permanent(error):
                row.status = "failed"
                outcome.failed += 1
            else:
                row.next_attempt_at = now + backoff(row.attempts,
                                                    getattr(error, "retry_after", None))
                blocked.add(who)
                outcome.retried += 1
            session.commit()
            continue
        row.status, row.sent_at = "sent", now
        outcome.sent += 1
        session.commit()  # sent: never sent again, whatever happens to the rest of the batch
    return outcome
