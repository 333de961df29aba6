"""A browser conversation as its page shows it, rebuilt from the server after a reload.

Three stores hold a conversation: Rasa's tracker (what the person said to Indy and Indy's
answers, with their buttons), the handoff's transcript (what the person wrote while a
counsellor held the conversation: Indy never saw it) and the outbox (what the handoff told the
person: taken, a counsellor's reply, closed). They are merged by time. Buttons are kept only
on the last turn: older ones no longer lead anywhere sensible (« Annuler ma demande » once a
counsellor took it), the page shows them as they were at the end of the conversation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.models import OutboxMessage, Ticket, TicketMessage
from bot.handoff.outbox import PULL_CHANNELS
from bot.labels import intent_label

COUNSELLOR_KEY = "reply-"  # the outbox key of a counsellor's reply (bot/handoff/tickets.py)


@dataclass
class Entry:
    at: float
    who: str  # "user", "bot" (Indy, or the handoff speaking for the service), "counsellor"
    text: str
    buttons: list[dict] = field(default_factory=list)
    turn: str = ""  # entries of one turn share it: buttons survive on the last turn only
    news: int = 0   # an outbox id: the page acknowledges it at its next poll
    payload: str = ""  # what a page sent (« /ask_mrs »): the page may know its own words

    def as_dict(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"who": self.who, "text": self.text}
        if self.buttons:
            shown["buttons"] = self.buttons
        if self.payload:
            shown["payload"] = self.payload
        return shown


def _epoch(moment: datetime | None) -> float:
    """Our rows store naive UTC datetimes; Rasa stores epoch seconds."""
    return (moment or datetime.utcnow()).replace(tzinfo=timezone.utc).timestamp()


def from_tracker(events: list[dict]) -> list[Entry]:
    """The person's messages and Indy's, from Rasa's tracker. A button's payload (« /affirm »)
    is shown as the title the person tapped, looked up in Indy's earlier buttons."""
    entries: list[Entry] = []
    titles: dict[str, str] = {}
    turn = 0
    for event in events:
        kind = event.get("event")
        if kind == "user":
            text = event.get("text") or ""
            if not text:
                continue
            turn += 1
            entries.append(Entry(float(event.get("timestamp") or 0), "user",
                                 shown_for(text, titles, event), turn=f"u{turn}",
                                 payload=text if text.startswith("/") else ""))
        elif kind == "bot":
            data = event.get("data") or {}
            buttons = [{"title": b["title"], "payload": b["payload"]}
                       for b in (data.get("buttons") or data.get("quick_replies") or [])
                       if isinstance(b, dict) and b.get("title") and b.get("payload")]
            for button in buttons:
                titles[button["payload"]] = button["title"]
            if event.get("text") or buttons:
                entries.append(Entry(float(event.get("timestamp") or 0), "bot",
                                     event.get("text") or "", buttons, turn=f"b{turn}"))
    return entries


def shown_for(text: str, titles: dict[str, str], event: dict) -> str:
    """What the person saw for what they sent: a button's title, else for a payload sent by a
    page (a kiosk's tile) the intent's name in words (content/labels.yml)."""
    if text in titles:
        return titles[text]
    if text.startswith("/"):
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        return (intent_label(intent) if intent else None) or text
    return text


def from_handoff(session: Session, sender: str) -> tuple[list[Entry], int]:
    """What the handoff added: the person's messages relayed to a counsellor, and the
    messages the outbox holds for this page. Also the last outbox id (acknowledged later)."""
    entries: list[Entry] = []
    relayed = session.execute(
        select(TicketMessage.created_at, TicketMessage.text, Ticket.taken_at, Ticket.closed_at)
        .join(Ticket, Ticket.id == TicketMessage.ticket_id)
        .where(Ticket.sender_id == sender, TicketMessage.author == "user",
               Ticket.taken_at.is_not(None))
        .order_by(TicketMessage.id)).all()
    for created, text, taken, closed in relayed:
        # Held by a counsellor (after taken, before closed): Indy's tracker never saw it.
        if created >= taken and (closed is None or created <= closed):
            entries.append(Entry(_epoch(created), "user", text, turn=f"r{created}"))
    news = session.execute(
        select(OutboxMessage).where(OutboxMessage.recipient == sender,
                                    OutboxMessage.channel.in_(PULL_CHANNELS),
                                    OutboxMessage.status != "failed")
        .order_by(OutboxMessage.id)).scalars().all()
    for row in news:
        entries.append(Entry(_epoch(row.created_at), author_of(row.dedupe_key), row.text,
                             json.loads(row.buttons or "[]"), turn=f"o{row.id}", news=row.id))
    return entries, max((row.id for row in news), default=0)


def author_of(dedupe_key: str) -> str:
    return "counsellor" if dedupe_key.startswith(COUNSELLOR_KEY) else "bot"


def authors(session: Session, ids: list[int]) -> dict[int, str]:
    """Who speaks in these outbox messages (a counsellor, or the service through Indy)."""
    if not ids:
        return {}
    rows = session.execute(select(OutboxMessage.id, OutboxMessage.dedupe_key)
                           .where(OutboxMessage.id.in_(ids))).all()
    return {row_id: author_of(key) for row_id, key in rows}


def merged(tracker: list[Entry], handoff: list[Entry]) -> list[dict[str, Any]]:
    """One list by time (stable: the tracker's own order first at equal times), with the
    buttons of the last turn only."""
    entries = sorted(tracker + handoff, key=lambda e: e.at)
    last_turn = entries[-1].turn if entries else None
    for entry in entries:
        if entry.turn != last_turn:
            entry.buttons = []
    return [entry.as_dict() for entry in entries]
