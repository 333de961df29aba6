"""Alerts: "préviens-moi" after a search, "mes alertes", "arrête les alertes"."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.say import polite_on_database_error, say_all
from bot.catalogue.answers import alert_answer


class ActionCreateAlert(Action):
    def name(self) -> Text:
        return "action_create_alert"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        answer = alert_answer(
            "create", tracker.sender_id, tracker.get_latest_input_channel(),
            tracker.get_slot("search_kind"), tracker.get_slot("job"), tracker.get_slot("location"),
        )
        say_all(dispatcher, answer.messages)
        return []


class ActionListAlerts(Action):
    def name(self) -> Text:
        return "action_list_alerts"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        say_all(dispatcher, alert_answer("list", tracker.sender_id).messages)
        return []


class ActionStopAlert(Action):
    def name(self) -> Text:
        return "action_stop_alert"

    @polite_on_database_error()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        alert_id = next(tracker.get_latest_entity_values("alert_id"), None)
        which = int(alert_id) if str(alert_id or "").isdigit() else None
        say_all(dispatcher, alert_answer("stop", tracker.sender_id, alert_id=which).messages)
        return []
