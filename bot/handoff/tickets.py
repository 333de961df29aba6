"""Tickets: created (stored first), taken, answered, closed or cancelled; the transcript.

Every change that the young person or the counsellors must hear about is written to the outbox
in the same transaction (bot.handoff.outbox): nothing is announced that is not stored, and
nothing stored is left unannounced.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.content import load_yaml
from bot.edge import clean_text
from bot.handoff import outbox
from bot.handoff.accounts import sees_all, teams_of
from bot.handoff.models import Counsellor, Ticket, TicketMessage
from bot.handoff.teams import Team, promise, route, say_when, teams
from bot.settings import get_settings

OPEN = ("waiting", "taken")
OUTCOMES = {
    "oriented": "Orienté·e vers une structure",
    "immersion": "Immersion proposée",
    "mrs": "MRS proposée",
    "application": "Candidature à une offre",
    "training": "Formation proposée",
    "no_follow_up": "Sans suite",
}
# The one question after closing: the buttons' payloads (caught before Rasa sees them, by
# bot.handoff.service.intercept) and the observatory's words for the answers.
SATISFACTION = {"yes": "Oui, ça m'a aidé", "partly": "Un peu", "no": "Non"}
FEEDBACK_PAYLOAD = "/handoff_feedback_"
NOT_ASKED_AFTER = ("no_follow_up",)  # nobody to ask: the person had gone
FEEDBACK_WITHIN_DAYS = 14
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
MAX_TEXT_CHARS = 4000  # one message of a transcript


MAX_ID = 2**31 - 1  # beyond, no ticket (and no database integer)


class TicketError(ValueError):
    """An action not allowed on this ticket now (message in French, for the dashboard)."""


class TicketNotFound(TicketError):
    """No such ticket, or not one of this counsellor's teams: the same answer for both."""

    def __init__(self) -> None:
        super().__init__("Cette demande n'existe pas.")


def visible_to(counsellor: Counsellor, ticket: Ticket) -> bool:
    """An admin sees every ticket; a counsellor the tickets of their teams."""
    return sees_all(counsellor) or ticket.team in teams_of(counsellor)


def new_reference() -> str:
    return "IND-" + "".join(secrets.choice(_ALPHABET) for _ in range(5))


@dataclass(frozen=True)
class Request:
    sender_id: str
    channel: str
    first_name: str
    contact: str
    reason: str  # request, offer, fallback
    profile: dict  # trade, place, epci, age, offer
    transcript: list[tuple[str, str]]  # (author "user"/"bot", text) before the request


@dataclass(frozen=True)
class Created:
    reference: str
    team: Team
    when: str  # "lundi avant 15 h"
    already_open: bool


def open_ticket_for(session: Session, sender_id: str) -> Ticket | None:
    return session.execute(
        select(Ticket).where(Ticket.sender_id == sender_id, Ticket.status.in_(OPEN))
        .order_by(Ticket.id.desc())
    ).unique().scalars().first()


def plan(session: Session, epci: str | None, age: int | None, topic: str,
         now: datetime) -> tuple[Team, str, datetime]:
    """Team and promise, before anything is stored (what Indy says before asking consent)."""
    team = route(epci, age, topic)
    waiting = session.execute(
        select(func.count(Ticket.id)).where(Ticket.team == team.id, Ticket.status == "waiting")
    ).scalar_one()
    deadline = promise(team, now, waiting)
    return team, say_when(deadline, now), deadline


def create_ticket(session: Session, request: Request, now: datetime | None = None) -> Created:
    now = now or datetime.now().astimezone()
    existing = open_ticket_for(session, request.sender_id)
    if existing is not None:
        team = teams()[existing.team]
        when = say_when(existing.promised_by.replace(tzinfo=now.tzinfo), now) \
            if existing.promised_by else ""
        return Created(existing.reference, team, when, True)
    topic = request.reason
    team, when, deadline = plan(session, request.profile.get("epci"), request.profile.get("age"),
                                topic, now)
    ticket = Ticket(
        reference=new_reference(), sender_id=request.sender_id, channel=request.channel,
        team=team.id, reason=request.reason, first_name=clean_text(request.first_name, 80),
        contact=clean_text(request.contact, 200), consent_at=now.replace(tzinfo=None),
        profile=json.dumps(request.profile, ensure_ascii=False),
        promised_by=deadline.replace(tzinfo=None),
        created_at=now.astimezone().replace(tzinfo=None),
    )
    session.add(ticket)
    session.flush()
    for author, text in request.transcript:
        session.add(TicketMessage(ticket_id=ticket.id, author=author,
                                  text=clean_text(text, MAX_TEXT_CHARS)))
    outbox.notify_counsellors(session, ticket, team)
    session.flush()
    return Created(ticket.reference, team, when, False)


def record_user_message(session: Session, ticket: Ticket, text: str) -> TicketMessage:
    message = TicketMessage(ticket_id=ticket.id, author="user",
                            text=clean_text(text, MAX_TEXT_CHARS))
    session.add(message)
    session.flush()
    return message


def record_distress(session: Session, ticket: Ticket, alert: str, message_id: int) -> None:
    """A line the counsellor sees first, in the transcript and on their Telegram desk."""
    session.add(TicketMessage(ticket_id=ticket.id, author="system", text=alert))
    outbox.tell_counsellors_distress(session, ticket, alert, message_id)
    session.flush()


def cancel(session: Session, sender_id: str) -> Ticket | None:
    ticket = open_ticket_for(session, sender_id)
    if ticket is None:
        return None
    ticket.status = "cancelled"
    ticket.closed_at = datetime.utcnow()
    session.add(TicketMessage(ticket_id=ticket.id, author="system",
                              text="Demande annulée par la personne."))
    outbox.tell_counsellors_cancelled(session, ticket)
    return ticket


def ticket_for(session: Session, ticket_id: int, counsellor: Counsellor) -> Ticket:
    """The ticket, if this counsellor may see it (checked on every action), else
    TicketNotFound."""
    if not 0 < ticket_id <= MAX_ID:
        raise TicketNotFound()
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or not visible_to(counsellor, ticket):
        raise TicketNotFound()
    return ticket


def take(session: Session, ticket_id: int, counsellor: Counsellor) -> Ticket:
    ticket = ticket_for(session, ticket_id, counsellor)
    if ticket.status == "taken" and ticket.taken_by == counsellor.id:
        return ticket
    if ticket.status != "waiting":
        raise TicketError("Cette demande est déjà prise ou terminée.")
    ticket.status, ticket.taken_by, ticket.taken_at = "taken", counsellor.id, datetime.utcnow()
    session.add(TicketMessage(ticket_id=ticket.id, author="system",
                              text=f"Prise en charge par {counsellor.display_name}."))
    outbox.to_person(session, ticket, "taken", who=counsellor.display_name)
    return ticket


def reply(session: Session, ticket_id: int, counsellor: Counsellor, text: str) -> TicketMessage:
    ticket = ticket_for(session, ticket_id, counsellor)
    text = clean_text(text, MAX_TEXT_CHARS)
    if not text:
        raise TicketError("Le message est vide.")
    if ticket.status == "waiting":
        take(session, ticket_id, counsellor)
    elif ticket.status != "taken" or ticket.taken_by != counsellor.id:
        raise TicketError("Prends d'abord cette demande pour y répondre.")
    message = TicketMessage(ticket_id=ticket.id, author="counsellor",
                            counsellor_id=counsellor.id, text=text)
    session.add(message)
    session.flush()
    outbox.to_person(session, ticket, "reply", text=message.text, key=f"reply-{message.id}",
                     who=counsellor.display_name)
    return message


def add_note(session: Session, ticket_id: int, counsellor: Counsellor,
             text: str) -> TicketMessage:
    """An internal note: on the desk, for the colleagues; never sent to the young person (no
    outbox row) nor shown in their conversation (bot/web/history.py shows their own lines)."""
    ticket = ticket_for(session, ticket_id, counsellor)
    text = clean_text(text, MAX_TEXT_CHARS)
    if not text:
        raise TicketError("La note est vide.")
    note = TicketMessage(ticket_id=ticket.id, author="note", counsellor_id=counsellor.id,
                         text=text)
    session.add(note)
    session.flush()
    return note


def _may_hand_on(ticket: Ticket, counsellor: Counsellor) -> None:
    if ticket.status not in OPEN:
        raise TicketError("Cette demande est déjà terminée.")
    if ticket.status == "taken" and ticket.taken_by != counsellor.id \
            and not sees_all(counsellor):
        raise TicketError("Cette demande est suivie par quelqu'un d'autre.")


def colleagues(session: Session, ticket: Ticket, counsellor: Counsellor) -> list[Counsellor]:
    """Who this ticket can be handed to: active accounts that see its team, not oneself."""
    accounts = session.execute(select(Counsellor).where(
        Counsellor.active.is_(True), Counsellor.id != counsellor.id)
        .order_by(Counsellor.display_name)).scalars()
    return [a for a in accounts if visible_to(a, ticket)]


def transfer_to_counsellor(session: Session, ticket_id: int, counsellor: Counsellor,
                           colleague_id: int) -> Ticket:
    """The colleague follows the ticket from now on; the young person is told who."""
    ticket = ticket_for(session, ticket_id, counsellor)
    _may_hand_on(ticket, counsellor)
    colleague = next((c for c in colleagues(session, ticket, counsellor)
                      if c.id == colleague_id), None)
    if colleague is None:
        raise TicketError("Choisis une ou un collègue de l'équipe dans la liste.")
    ticket.status, ticket.taken_by = "taken", colleague.id
    ticket.taken_at = ticket.taken_at or datetime.utcnow()
    line = TicketMessage(ticket_id=ticket.id, author="system",
                         text=f"Confiée à {colleague.display_name} par "
                              f"{counsellor.display_name}.")
    session.add(line)
    session.flush()
    outbox.to_person(session, ticket, "taken", key=f"taken-{ticket.id}-{line.id}",
                     who=colleague.display_name)
    return ticket


def transfer_to_team(session: Session, ticket_id: int, counsellor: Counsellor,
                     team_id: str) -> Ticket:
    """Back to waiting, in another team's queue (that team answers from now on)."""
    ticket = ticket_for(session, ticket_id, counsellor)
    _may_hand_on(ticket, counsellor)
    team = teams().get(team_id)
    if team is None or team.id == ticket.team:
        raise TicketError("Choisis une autre équipe dans la liste.")
    ticket.team, ticket.status, ticket.taken_by, ticket.taken_at = team.id, "waiting", None, None
    session.add(TicketMessage(ticket_id=ticket.id, author="system",
                              text=f"Transmise à {team.name} par {counsellor.display_name}."))
    return ticket


def close(session: Session, ticket_id: int, counsellor: Counsellor, outcome: str) -> Ticket:
    ticket = ticket_for(session, ticket_id, counsellor)
    if outcome not in OUTCOMES:
        raise TicketError("Choisis une issue dans la liste avant de clôturer : la demande "
                          "reste ouverte, rien n'est perdu.")
    if ticket.status not in OPEN:
        raise TicketError("Cette demande est déjà terminée.")
    if ticket.status == "taken" and ticket.taken_by != counsellor.id and counsellor.role != "admin":
        raise TicketError("Cette demande est suivie par quelqu'un d'autre.")
    ticket.status, ticket.outcome, ticket.closed_at = "closed", outcome, datetime.utcnow()
    session.add(TicketMessage(ticket_id=ticket.id, author="system",
                              text=f"Clôturée : {OUTCOMES[outcome]}."))
    outbox.to_person(session, ticket, "closed")
    if outcome not in NOT_ASKED_AFTER:
        words = load_yaml(get_settings().content_dir / "system.yml")["satisfaction"]
        outbox.ask_satisfaction(session, ticket, words["question"], [
            {"title": words["buttons"][value], "payload": FEEDBACK_PAYLOAD + value}
            for value in SATISFACTION])
    return ticket


def feedback_value(text: str) -> str | None:
    """"yes", "partly" or "no" when the message is one of the satisfaction buttons."""
    raw = (text or "").strip()
    if raw.startswith(FEEDBACK_PAYLOAD) and raw[len(FEEDBACK_PAYLOAD):] in SATISFACTION:
        return raw[len(FEEDBACK_PAYLOAD):]
    return None


def record_satisfaction(session: Session, sender_id: str, value: str,
                        now: datetime | None = None) -> Ticket | None:
    """The answer, on this person's last ticket closed lately and not answered yet (a second
    tap changes nothing)."""
    now = now or datetime.utcnow()
    ticket = session.execute(
        select(Ticket).where(Ticket.sender_id == sender_id, Ticket.status == "closed",
                             Ticket.closed_at >= now - timedelta(days=FEEDBACK_WITHIN_DAYS))
        .order_by(Ticket.closed_at.desc())).unique().scalars().first()
    if ticket is None or ticket.satisfaction is not None or value not in SATISFACTION:
        return None
    ticket.satisfaction, ticket.satisfaction_at = value, now
    return ticket


def _of_their_teams(statement, counsellor: Counsellor):
    if sees_all(counsellor):
        return statement
    return statement.where(Ticket.team.in_(sorted(teams_of(counsellor))))


def queue(session: Session, counsellor: Counsellor) -> list[Ticket]:
    """Open tickets this counsellor may see, oldest first."""
    statement = select(Ticket).where(Ticket.status.in_(OPEN)).order_by(Ticket.created_at)
    return list(session.execute(_of_their_teams(statement, counsellor)).unique().scalars())


def queue_marker(session: Session, counsellor: Counsellor) -> int:
    """A number that grows whenever this counsellor's queue may have changed: a new ticket, or
    a new line in a transcript (every take, close, cancel and message writes one). The desk
    polls it and redraws the queue only when it grew."""
    last_ticket = session.execute(_of_their_teams(
        select(func.max(Ticket.id)), counsellor)).scalar_one()
    last_message = session.execute(_of_their_teams(
        select(func.max(TicketMessage.id)).join(Ticket, Ticket.id == TicketMessage.ticket_id),
        counsellor)).scalar_one()
    return (last_ticket or 0) + (last_message or 0)


SEARCH_LIMIT = 50


def search(session: Session, counsellor: Counsellor, words: str,
           limit: int = SEARCH_LIMIT) -> list[Ticket]:
    """Past and open tickets of this counsellor's teams, newest first, whose number, first
    name, profile (trade, place, offer) or transcript contains every word of `words`."""
    words = clean_text(words, 200)
    if not words:
        return []
    statement = select(Ticket)
    for word in words.lower().split()[:8]:
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        said = select(TicketMessage.ticket_id).where(
            func.lower(TicketMessage.text).like(like, escape="\\"))
        statement = statement.where(or_(
            func.lower(Ticket.reference).like(like, escape="\\"),
            func.lower(Ticket.first_name).like(like, escape="\\"),
            func.lower(Ticket.profile).like(like, escape="\\"),
            Ticket.id.in_(said)))
    statement = _of_their_teams(statement, counsellor).order_by(Ticket.id.desc()).limit(limit)
    return list(session.execute(statement).unique().scalars())
