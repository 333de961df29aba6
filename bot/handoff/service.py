"""What the conversation asks of the handoff, in plain calls (used by actions and channels)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.catalogue.db import read_scope, session_scope
from bot.dialogue import safety
from bot.handoff import tickets
from bot.handoff.outbox import PULL_CHANNELS
from bot.handoff.resume import bot_username
from bot.handoff.teams import config as teams_config
from bot.handoff.teams import route, timezone
from bot.identity import browser_id_kind
from bot.places import place_by_key
from bot.text import fold

Message = tuple[str, dict[str, Any]]
_CANCEL = re.compile(r"\b(annul|cancel)")


def on_kiosk(sender_id: str | None) -> bool:
    """The bus's shared tablet: it wipes itself, an answer can never be read there later."""
    return browser_id_kind(sender_id) == "kiosk"


def needs_contact(channel: str | None, epci: str | None = None,
                  now: datetime | None = None) -> bool:
    """Ask how to reach the person when this channel cannot (someone who closed the page), or
    when the team is closed now (a call back is offered)."""
    if (channel or "rest") in PULL_CHANNELS:
        return True
    team = route(epci, None, "request")
    return not team.is_open((now or datetime.now().astimezone()).astimezone(timezone()))


def profile(job: str | None, location: str | None, offer: str | None,
            age: int | None = None, **said: Any) -> dict[str, Any]:
    """What the ticket keeps of the conversation for the counsellor's summary. `said`: what
    the person said of their search and of themselves (kind, offers_seen, has_car, rqth,
    pupil), kept when known."""
    place = place_by_key(location) if location else None
    return {
        "trade": job if job and job != "any" else None,
        "place": location, "place_name": place.name if place else None,
        "epci": place.epci[0] if place and len(place.epci) == 1 else None,
        "offer": offer, "age": age,
        **{key: value for key, value in said.items() if value is not None},
    }


def announce(sender_id: str, reason: str, prof: dict[str, Any],
             now: datetime | None = None) -> list[Message]:
    """Who will answer, and when; or the request already open."""
    now = now or datetime.now().astimezone()
    with session_scope() as session:
        existing = tickets.open_ticket_for(session, sender_id)
        if existing is not None:
            return []
        team, when, _ = tickets.plan(session, prof.get("epci"), prof.get("age"), reason, now)
    if teams_config().get("demo"):
        return []  # fictional teams promise nothing (the dialogue says they are fictional)
    name = "utter_handoff_who_kiosk" if on_kiosk(sender_id) else "utter_handoff_who"
    return [(name, {"who": team.who[0].upper() + team.who[1:], "when": when})]


def has_open_ticket(sender_id: str) -> bool:
    with session_scope() as session:
        return tickets.open_ticket_for(session, sender_id) is not None


def create(request: tickets.Request) -> list[Message]:
    with session_scope() as session:
        created = tickets.create_ticket(session, request)
    name = "utter_handoff_already" if created.already_open else "utter_handoff_created"
    if teams_config().get("demo") and not created.already_open:
        name = "utter_handoff_created_demo"  # fictional teams: no promise of an answer
        if (request.profile or {}).get("distress"):
            name = "utter_handoff_created_demo_safety"  # the crisis numbers, not France Travail
    kiosk = on_kiosk(request.sender_id) and name == "utter_handoff_created"
    if kiosk:
        name = "utter_handoff_created_kiosk" + ("_contact" if request.contact else "")
    messages: list[Message] = [(name, {"reference": created.reference, "team": created.team.name,
                                       "when": created.when})]
    if kiosk and not request.contact:  # the tablet wipes itself: where the answer can be read
        messages.append(("utter_handoff_kiosk_phone" if bot_username()
                         else "utter_handoff_kiosk_elsewhere", {}))
    if not created.already_open:
        messages.append(("utter_handoff_meanwhile", {}))
    return messages


def cancel(sender_id: str) -> list[Message]:
    with session_scope() as session:
        ticket = tickets.cancel(session, sender_id)
    return [("utter_handoff_cancelled" if ticket else "utter_handoff_nothing_to_cancel", {})]


def is_cancel(text: str | None) -> bool:
    """ "annuler", "annule ma demande", the button's payload; not "annule mon alerte"."""
    raw = (text or "").strip()
    if raw == "/cancel_handoff":
        return True
    folded = fold(raw)
    return bool(_CANCEL.search(folded)) and (
        "demande" in folded or "conseil" in folded or len(folded.split()) <= 2)


def intercept(sender_id: str, text: str) -> str:
    """Before Rasa sees a message: "indy" (Rasa answers), "relayed" (a counsellor holds the
    conversation: stored for them, Indy stays quiet), "distress:<category>" (relayed, the
    counsellor alerted, and the person gets the emergency numbers at once), "cancelled", or
    "feedback" (a button of the question after closing: counted, and thanked).
    Most conversations have no ticket: a read on a pooled connection says so, nothing written."""
    feedback = tickets.feedback_value(text)
    if feedback is None:
        with read_scope() as session:
            if tickets.open_ticket_for(session, sender_id) is None:
                return "indy"
    with session_scope() as session:
        if feedback:  # the question after closing: counted, thanked, never Rasa's
            tickets.record_satisfaction(session, sender_id, feedback)
            return "feedback"
        ticket = tickets.open_ticket_for(session, sender_id)
        if ticket is None:
            return "indy"
        if is_cancel(text):
            tickets.cancel(session, sender_id)
            return "cancelled"
        message = tickets.record_user_message(session, ticket, text)
        category = safety.detect(text)
        if category:
            tickets.record_distress(session, ticket, safety.counsellor_alert(category),
                                    message.id)
        if ticket.status != "taken":
            return "indy"
        return f"distress:{category}" if category else "relayed"
