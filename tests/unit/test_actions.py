"""Custom actions with a Tracker built inline and a fresh CollectingDispatcher."""

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.bus import ActionBusSchedule
from actions.fallback import ActionIndyFallback
from actions.local_services import ActionLocalServices
from actions.privacy import ActionDeleteMyData


@pytest.fixture(autouse=True)
def _catalogue(catalogue_url):  # the bus stops are read from the catalogue
    return catalogue_url


def tracker(intent: str, entities: list[dict] | None = None, slots: dict | None = None,
            events: list[dict] | None = None, ranking: list[dict] | None = None) -> Tracker:
    latest = {
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
        "text": "…",
    }
    user_event = {"event": "user", "text": "…", "parse_data": latest}
    return Tracker("test-user", slots or {}, latest, (events or []) + [user_event], False,
                   None, {}, "action_listen")


def run(action, t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return events, dispatcher.messages


def test_local_services_without_a_place_asks_for_one():
    _, messages = run(ActionLocalServices(), tracker("ask_local_services"))
    assert [m["response"] for m in messages] == ["utter_local_services_ask_place"]


def test_local_services_near_the_place_of_the_message():
    entities = [{"entity": "location", "value": "42147"}]  # Montbrison
    _, messages = run(ActionLocalServices(), tracker("ask_local_services", entities=entities))
    names = [m["name"] for m in messages if m["response"] == "utter_local_service"]
    assert names == ["Mission Locale — antenne de Montbrison (démo)",
                     "Agence France Travail de Montbrison (démo)"]
    assert messages[-1]["response"] == "utter_local_services_demo"


def test_bus_schedule_at_a_served_commune():
    entities = [{"entity": "location", "value": "63010"}]  # Arlanc
    _, messages = run(ActionBusSchedule(), tracker("ask_bus_schedule", entities=entities))
    stops = [m for m in messages if m["response"] == "utter_bus_stop"]
    assert len(stops) == 1 and stops[0]["commune"] == "Arlanc"
    assert stops[0]["day"].startswith("Lundi")


def test_bus_schedule_at_an_unserved_commune_says_so():
    _, messages = run(ActionBusSchedule(), tracker("ask_bus_schedule", slots={"location": "63003"}))
    assert "utter_bus_not_here" in [m["response"] for m in messages]


def test_fallback_guesses_then_offers_a_person():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "ask_housing", "confidence": 0.3},
        {"name": "ask_mobility", "confidence": 0.2},
    ]
    _, messages = run(ActionIndyFallback(), tracker("nlu_fallback", ranking=ranking))
    assert messages[0]["response"] == "utter_fallback_suggest"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "/ask_housing", "/ask_mobility", "/other_topic"
    ]
    earlier = [{"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}]
    _, messages = run(ActionIndyFallback(), tracker("other_topic", events=earlier))
    assert messages[0]["response"] == "utter_fallback_offer_human"


def test_delete_my_data_asks_first_then_erases_and_gives_the_contact():
    _, messages = run(ActionDeleteMyData(), tracker("delete_my_data"))
    assert [m["response"] for m in messages] == ["utter_delete_my_data",
                                                 "utter_delete_my_data_confirm"]
    confirmed = tracker("delete_my_data", entities=[{"entity": "confirm", "value": "yes"}])
    _, messages = run(ActionDeleteMyData(), confirmed)
    assert [m["response"] for m in messages] == ["utter_delete_my_data_done",
                                                 "utter_delete_my_data_contact"]
    assert messages[1]["privacy_contact"] == "confidentialite@indy.example"
    assert messages[0]["retention_days"] == "180"
