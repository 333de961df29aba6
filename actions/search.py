"""Search intents: say back what was asked, then where to look (catalogue to come)."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.search import SEARCH_INTENTS, SearchRequest


class ActionSearch(Action):
    def name(self) -> Text:
        return "action_search"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = tracker.get_intent_of_latest_message()
        if intent not in SEARCH_INTENTS:
            intent = "search_job"
        request = SearchRequest(intent, tracker.get_slot("job"), tracker.get_slot("location"))
        dispatcher.utter_message(response="utter_search_noted", **request.said_back())
        dispatcher.utter_message(response=request.where_response())
        dispatcher.utter_message(response="utter_search_next")
        return []


class ActionMoreResults(Action):
    def name(self) -> Text:
        return "action_more_results"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_more_results")
        return []
