"""ask_job_info and ask_salary: what the catalogue knows of the trade asked about."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.say import say_all
from bot.catalogue.answers import trade_answer


def _trade(tracker: Tracker):
    return next(tracker.get_latest_entity_values("job"), None) or tracker.get_slot("job")


class ActionJobInfo(Action):
    def name(self) -> Text:
        return "action_job_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        say_all(dispatcher, trade_answer(_trade(tracker), "info").messages)
        return []


class ActionSalary(Action):
    def name(self) -> Text:
        return "action_salary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        say_all(dispatcher, trade_answer(_trade(tracker), "salary").messages)
        return []
