"""action_indy: every message goes through the dialogue engine (bot.dialogue.engine). This
adapter reads the tracker, sends what the engine decided and stores its context in a slot."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.say import polite_on_database_error, say_database_busy
from bot.catalogue.db import DATABASE_ERRORS, session_scope
from bot.dialogue.context import Context
from bot.dialogue.engine import TEXT, Outcome, Turn, entities_of, respond
from bot.handoff import service
from bot.handoff.tickets import Request
from bot.labels import intent_label
from bot.privacy import erase_person, privacy_facts

TRANSCRIPT_EVENTS = 60
logger = logging.getLogger(__name__)


def turn_of(tracker: Tracker) -> Turn:
    latest = tracker.latest_message or {}
    entities, said_as = entities_of(latest)
    intent = latest.get("intent") or {}
    return Turn(
        text=str(latest.get("text") or ""),
        intent=intent.get("name") or "nlu_fallback",
        confidence=float(intent.get("confidence") or 0.0),
        entities=entities,
        ranking=latest.get("intent_ranking") or [],
        sender_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "rest",
        said_as=said_as,
    )


def transcript(tracker: Tracker) -> List[tuple]:
    lines = []
    for event in tracker.events[-TRANSCRIPT_EVENTS:]:
        text = event.get("text")
        if event.get("event") in ("user", "bot") and text:
            if event["event"] == "user" and text.startswith("/"):  # a button: say which
                intent = text[1:].split("{")[0]
                text = f"[bouton] {intent_label(intent) or intent}"
            lines.append((event["event"], text))
    return lines


def send(dispatcher: CollectingDispatcher, says) -> None:
    for response, variables in says:
        if response == TEXT:
            dispatcher.utter_message(text=variables["text"], buttons=variables.get("buttons"))
        else:
            dispatcher.utter_message(response=response, **variables)


def carry_out(outcome: Outcome, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
    """What the engine decided that writes: a ticket, an erasure."""
    if outcome.handoff is not None:
        details = outcome.handoff
        request = Request(
            sender_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            first_name=details.get("name") or "", contact=details.get("contact") or "",
            reason=details.get("reason") or "request", profile=details.get("profile") or {},
            transcript=transcript(tracker),
        )
        send(dispatcher, service.create(request))  # one transaction: the whole ticket or none
    if outcome.erase:
        with session_scope() as session:
            erase_person(session, tracker.sender_id)
        facts = privacy_facts()
        dispatcher.utter_message(response="utter_delete_my_data_done", **facts)
        dispatcher.utter_message(response="utter_delete_my_data_contact", **facts)


class ActionIndy(Action):
    def name(self) -> Text:
        return "action_indy"

    @polite_on_database_error()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        context = Context.from_dict(tracker.get_slot("indy"))
        turn = turn_of(tracker)
        # The engine reads the catalogue and the tickets: off the event loop.
        outcome = await asyncio.to_thread(respond, context, turn)
        send(dispatcher, outcome.says)
        try:
            await asyncio.to_thread(carry_out, outcome, tracker, dispatcher)
        except DATABASE_ERRORS:
            logger.warning("database unavailable: the request was not written")
            say_database_busy(dispatcher, retry="/request_human" if outcome.handoff else None)
        send(dispatcher, outcome.after)
        events = [SlotSet("indy", outcome.context.to_dict())]
        search = outcome.context.search
        copies = {"search_kind": search.kind, "job": search.trade, "location": search.place,
                  "has_car": outcome.context.person.has_car}
        # The observatory's copies, written only when they change (the tracker stays small).
        events += [SlotSet(name, value) for name, value in copies.items()
                   if tracker.get_slot(name) != value]
        if outcome.searched:
            events.append(SlotSet("last_search", outcome.searched))
        if outcome.erase:
            events = []
        return events
