"""Handing over to a person: who and when, consent, name, contact, then the ticket."""

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.say import polite_on_database_error, say_all, say_database_busy
from bot.catalogue.answers import offer_kind, offer_summary
from bot.catalogue.db import DATABASE_ERRORS
from bot.handoff import service
from bot.handoff.tickets import Request
from bot.labels import intent_label
from bot.understanding import parse_age, parse_yes_no

TRANSCRIPT_EVENTS = 60
logger = logging.getLogger(__name__)


def _reason(tracker: Tracker) -> str:
    recent = [e.get("name") for e in tracker.events[-12:] if e.get("event") == "action"]
    if "action_indy_fallback" in recent:
        return "fallback"
    if "action_offer_interest" in recent:
        offer_id = tracker.get_slot("offer_id")
        if str(offer_id or "").isdigit() and offer_kind(int(offer_id)) == "event":
            return "events"  # events are the Territoire d'industrie team's
        return "offer"
    return "request"


def _profile(tracker: Tracker) -> Dict[str, Any]:
    offer_id = tracker.get_slot("offer_id")
    offer = offer_summary(int(offer_id)) if str(offer_id or "").isdigit() else None
    said = [e.get("text") for e in tracker.events if e.get("event") == "user"]
    age = next((a for a in map(parse_age, reversed(said)) if a is not None), None)
    return service.profile(tracker.get_slot("job"), tracker.get_slot("location"), offer, age)


def _transcript(tracker: Tracker) -> List[tuple]:
    lines = []
    for event in tracker.events[-TRANSCRIPT_EVENTS:]:
        text = event.get("text")
        if event.get("event") in ("user", "bot") and text:
            if event["event"] == "user" and text.startswith("/"):  # a button: say which
                intent = text[1:].split("{")[0]
                text = f"[bouton] {intent_label(intent) or intent}"
            lines.append((event["event"], text))
    return lines


class ActionHandoffStart(Action):
    def name(self) -> Text:
        return "action_handoff_start"

    @polite_on_database_error("/request_human")
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        say_all(dispatcher, service.announce(tracker.sender_id, _reason(tracker),
                                             _profile(tracker)))
        return [SlotSet("handoff_consent", None)]


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_handoff_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        if service.has_open_ticket(tracker.sender_id):
            return []
        if tracker.get_slot("handoff_consent") is False:
            return []
        needed = ["handoff_consent", "handoff_name"]
        epci = _profile(tracker).get("epci")
        if service.needs_contact(tracker.get_latest_input_channel(), epci):
            needed.append("handoff_contact")
        return needed

    def validate_handoff_consent(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        answer = parse_yes_no(value)
        return {"handoff_consent": answer}

    def validate_handoff_name(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        name = " ".join(str(value or "").split())[:40]
        return {"handoff_name": name or "anonyme"}

    def validate_handoff_contact(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = " ".join(str(value or "").split())[:120]
        return {"handoff_contact": "" if parse_yes_no(text) is False else text}


class ActionHandoffCreate(Action):
    def name(self) -> Text:
        return "action_handoff_create"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if not service.has_open_ticket(tracker.sender_id) and \
                tracker.get_slot("handoff_consent") is not True:
            dispatcher.utter_message(response="utter_handoff_no_consent")
            return [SlotSet("handoff_consent", None)]
        request = Request(
            sender_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            first_name=tracker.get_slot("handoff_name") or "",
            contact=tracker.get_slot("handoff_contact") or "",
            reason=_reason(tracker), profile=_profile(tracker), transcript=_transcript(tracker),
        )
        try:
            messages = service.create(request)  # one transaction: the whole ticket or nothing
        except DATABASE_ERRORS:
            logger.warning("database unavailable: the ticket was not created")
            say_database_busy(dispatcher, retry="/request_human")
            messages = []
        say_all(dispatcher, messages)
        return [SlotSet("handoff_consent", None), SlotSet("handoff_contact", None)]


class ActionHandoffCancel(Action):
    def name(self) -> Text:
        return "action_handoff_cancel"

    @polite_on_database_error("/cancel_handoff")
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        say_all(dispatcher, service.cancel(tracker.sender_id))
        return []
