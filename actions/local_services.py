"""ask_local_services: the antennas nearest to the place the user gave."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.say import polite_on_database_error
from actions.slots import current_location
from bot.local_services import services_near


class ActionLocalServices(Action):
    def name(self) -> Text:
        return "action_local_services"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        location = current_location(tracker)
        if not location:
            dispatcher.utter_message(response="utter_local_services_ask_place")
            return []
        answer = services_near(location)
        if not answer.place_known:
            dispatcher.utter_message(response="utter_local_services_unknown_place")
        for service in answer.services:
            dispatcher.utter_message(
                response="utter_local_service",
                name=service["name"],
                audience=service.get("for", ""),
                address=service.get("address", ""),
                hours=service.get("hours", ""),
                phone=service.get("phone", ""),
            )
        if answer.demo:
            dispatcher.utter_message(response="utter_local_services_demo")
        return []
