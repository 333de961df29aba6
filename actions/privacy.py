"""delete_my_data: asks for confirmation, then really erases (bot.privacy.erase_person)."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.say import polite_on_database_error
from bot.catalogue.db import session_scope
from bot.privacy import erase_person, privacy_facts


class ActionDeleteMyData(Action):
    def name(self) -> Text:
        return "action_delete_my_data"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        confirmed = "yes" in tracker.get_latest_entity_values("confirm")
        if not confirmed:
            dispatcher.utter_message(response="utter_delete_my_data")
            dispatcher.utter_message(response="utter_delete_my_data_confirm")
            return []
        with session_scope() as session:
            erase_person(session, tracker.sender_id)
        facts = privacy_facts()
        dispatcher.utter_message(response="utter_delete_my_data_done", **facts)
        dispatcher.utter_message(response="utter_delete_my_data_contact", **facts)
        return []
