"""ask_bus_schedule: the job bus's next stops, at the user's commune if it goes there."""

from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.say import polite_on_database_error
from actions.slots import current_location
from bot.bus import bus_name, is_demo, next_stops


class ActionBusSchedule(Action):
    def name(self) -> Text:
        return "action_bus_schedule"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        location = current_location(tracker)
        answer = next_stops(date.today(), location)
        dispatcher.utter_message(response="utter_bus_intro", bus_name=bus_name().capitalize())
        if answer.served is False:
            dispatcher.utter_message(response="utter_bus_not_here", commune=answer.commune)
        for stop in answer.stops:
            dispatcher.utter_message(
                response="utter_bus_stop",
                day=stop.day_label(),
                commune=stop.commune,
                place=stop.place,
                hours=stop.hours,
            )
        if is_demo():
            dispatcher.utter_message(response="utter_bus_demo")
        return []
