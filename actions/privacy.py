"""delete_my_data: says how erasure works here, with the territory's privacy contact."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.privacy import privacy_facts


class ActionDeleteMyData(Action):
    def name(self) -> Text:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_delete_my_data")
        dispatcher.utter_message(response="utter_delete_my_data_how", **privacy_facts())
        return []
