"""nlu_fallback and "Autre chose": guess two meanings, then offer a person after two misses."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.fallback import decide


class ActionIndyFallback(Action):
    def name(self) -> Text:
        return "action_indy_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        user_intents = [
            (event.get("parse_data") or {}).get("intent", {}).get("name") or ""
            for event in tracker.events
            if event.get("event") == "user"
        ]
        latest = tracker.latest_message or {}
        reply = decide(
            user_intents, latest.get("intent_ranking") or [], latest.get("entities") or []
        )
        dispatcher.utter_message(response=reply.response, buttons=reply.buttons or None)
        return []
