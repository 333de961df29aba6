"""Catalogue searches: start (what kind), the form (trade, place, car), results and paging."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.say import polite_on_database_error, say_all
from actions.slots import current_location
from bot.catalogue.answers import (
    CAR_KINDS,
    INTENT_KINDS,
    TRADE_KINDS,
    offer_details,
    offer_summary,
    run_search,
)
from bot.catalogue.search import ANY
from bot.understanding import parse_any, parse_place, parse_trade, parse_yes_no


class ActionSearchStart(Action):
    """Remembers what is searched; forgets the trade of a previous search unless repeated."""

    def name(self) -> Text:
        return "action_search_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        kind = INTENT_KINDS.get(intent, "job")
        events = [SlotSet("search_kind", kind), SlotSet("search_offset", 0)]
        if not list(tracker.get_latest_entity_values("job")):
            events.append(SlotSet("job", None))
        return events


class ValidateSearchForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_search_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        kind = tracker.get_slot("search_kind") or "job"
        needed = ["location"]
        if kind in TRADE_KINDS:
            needed.append("job")
        if kind in CAR_KINDS:
            needed.append("has_car")
        return needed

    def _retry(self, tracker: Tracker, slot: str, fallback: Any) -> Dict[Text, Any]:
        """Asked twice without an answer understood: take "any" and go on, never trap."""
        tries = int(tracker.get_slot("form_tries") or 0) + 1
        if tries >= 2:
            return {slot: fallback, "form_tries": 0}
        return {slot: None, "form_tries": tries}

    def validate_job(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> Dict[Text, Any]:
        trade = parse_trade(value)
        if trade:
            return {"job": trade, "form_tries": 0}
        if parse_any(value):
            return {"job": ANY, "form_tries": 0}
        dispatcher.utter_message(response="utter_search_job_not_understood")
        return self._retry(tracker, "job", ANY)

    def validate_location(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        place = parse_place(value)
        if place:
            return {"location": place, "form_tries": 0}
        dispatcher.utter_message(response="utter_search_place_not_understood")
        return self._retry(tracker, "location", "tiltam")

    def validate_has_car(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        answer = parse_yes_no(value)
        if answer is not None:
            return {"has_car": answer, "form_tries": 0}
        return self._retry(tracker, "has_car", None)


def _has_car(tracker: Tracker) -> Optional[bool]:
    value = tracker.get_slot("has_car")
    return value if isinstance(value, bool) else None


def _search(dispatcher: CollectingDispatcher, tracker: Tracker, offset: int) -> List[Dict]:
    answer = run_search(
        tracker.get_slot("search_kind") or "job",
        tracker.get_slot("job"),
        tracker.get_slot("location"),
        _has_car(tracker),
        offset=offset,
    )
    say_all(dispatcher, answer.messages)
    return [SlotSet("search_offset", offset + answer.shown)]


class ActionSearch(Action):
    def name(self) -> Text:
        return "action_search"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        return _search(dispatcher, tracker, 0)


class ActionMoreResults(Action):
    def name(self) -> Text:
        return "action_more_results"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if not tracker.get_slot("search_kind"):
            dispatcher.utter_message(response="utter_more_results_no_search")
            return []
        return _search(dispatcher, tracker, int(tracker.get_slot("search_offset") or 0))


class ActionOfferDetails(Action):
    def name(self) -> Text:
        return "action_offer_details"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        offer_id = next(tracker.get_latest_entity_values("offer_id"), None)
        if not str(offer_id or "").isdigit():
            dispatcher.utter_message(response="utter_offer_gone")
            return []
        say_all(dispatcher, offer_details(int(offer_id)).messages)
        return [SlotSet("offer_id", str(offer_id))]


class ActionOfferInterest(Action):
    """"Ça m'intéresse": the offer is remembered for the counsellor (handoff comes next)."""

    def name(self) -> Text:
        return "action_offer_interest"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        offer_id = next(tracker.get_latest_entity_values("offer_id"), None) or tracker.get_slot(
            "offer_id")
        summary = offer_summary(int(offer_id)) if str(offer_id or "").isdigit() else None
        if summary is None:
            dispatcher.utter_message(response="utter_offer_gone")
            return []
        dispatcher.utter_message(response="utter_offer_interest", offer=summary)
        dispatcher.utter_message(response="utter_offer_interest_next")
        return [SlotSet("offer_id", str(offer_id))]


class ActionMrsSessions(Action):
    """After the MRS explained: the next sessions near the person, if the catalogue has some."""

    def name(self) -> Text:
        return "action_mrs_sessions"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        answer = run_search("mrs", None, current_location(tracker), _has_car(tracker))
        if not answer.shown:
            return []
        dispatcher.utter_message(response="utter_mrs_sessions")
        say_all(dispatcher, [m for m in answer.messages if m[0] != "utter_search_noted"])
        return [SlotSet("search_kind", "mrs"), SlotSet("search_offset", answer.shown)]
