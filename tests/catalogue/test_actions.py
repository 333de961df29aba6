"""Search, paging, details, interest, alerts, trades: the custom actions on a real catalogue."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.alerts import ActionCreateAlert, ActionListAlerts, ActionStopAlert
from actions.search import (
    ActionMoreResults,
    ActionOfferDetails,
    ActionOfferInterest,
    ActionSearch,
    ActionSearchStart,
    ValidateSearchForm,
)
from actions.trades import ActionJobInfo, ActionSalary


def tracker(intent: str, entities: list[dict] | None = None, slots: dict | None = None,
            sender: str = "user-1") -> Tracker:
    latest = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities or [],
              "text": "…"}
    events = [{"event": "user", "text": "…", "parse_data": latest, "input_channel": "telegram"}]
    return Tracker(sender, slots or {}, latest, events, False, None, {}, "action_listen")


def run(action, t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return events, dispatcher.messages


def responses(messages) -> list[str]:
    return [m["response"] for m in messages]


@pytest.fixture(autouse=True)
def _catalogue(catalogue_url):
    return catalogue_url


def test_start_remembers_the_kind_and_forgets_an_old_trade():
    events, _ = run(ActionSearchStart(), tracker("search_training", slots={"job": "soudeur"}))
    slots = {e["name"]: e["value"] for e in events}
    assert slots == {"search_kind": "training", "search_offset": 0, "job": None}
    events, _ = run(ActionSearchStart(), tracker(
        "search_job", entities=[{"entity": "job", "value": "cariste"}]))
    assert {e["name"] for e in events} == {"search_kind", "search_offset"}


def test_the_form_asks_only_what_matters_for_the_kind():
    form = ValidateSearchForm()
    d = CollectingDispatcher()
    event = tracker("x", slots={"search_kind": "event"})
    slots = asyncio.run(form.required_slots([], d, event, {}))
    assert slots == ["location"]
    job = tracker("x", slots={"search_kind": "job"})
    slots = asyncio.run(form.required_slots([], d, job, {}))
    assert slots == ["location", "job", "has_car"]


def test_the_form_reads_answers_and_never_traps():
    form, d = ValidateSearchForm(), CollectingDispatcher()
    t = tracker("inform")
    assert form.validate_job("soudeuse", d, t, {}) == {"job": "soudeur", "form_tries": 0}
    assert form.validate_job("peu importe", d, t, {})["job"] == "any"
    assert form.validate_location("vers st just st rambert", d, t, {})["location"] == "42279"
    assert form.validate_has_car("g pas le permis", d, t, {})["has_car"] is False
    first = form.validate_location("blabla", d, t, {})
    assert first == {"location": None, "form_tries": 1}
    second = form.validate_location("blabla", d, tracker("inform", slots={"form_tries": 1}), {})
    assert second == {"location": "tiltam", "form_tries": 0}  # asked twice: anywhere


def test_a_job_search_near_thiers_shows_three_cards_and_a_way_on():
    slots = {"search_kind": "job", "job": "soudeur", "location": "63430", "has_car": True}
    events, messages = run(ActionSearch(), tracker("search_job", slots=slots))
    names = responses(messages)
    assert names[0] == "utter_search_noted"
    assert messages[0]["trade"] == " de soudeur" and messages[0]["place"] == " vers Thiers"
    cards = [m for m in messages if m["response"] == "utter_offer_card"]
    assert 1 <= len(cards) <= 3
    assert all(c["offer_id"].isdigit() and c["organisation"].endswith("(démo)") for c in cards)
    assert "utter_search_demo" in names
    assert names[-1] in ("utter_search_footer_more", "utter_search_footer_last")
    assert events == [{"event": "slot", "timestamp": None, "name": "search_offset",
                       "value": len(cards)}]


def test_more_results_pages_on_then_says_it_is_all():
    slots = {"search_kind": "job", "job": "any", "location": "63003", "has_car": True,
             "search_offset": 0}
    seen: list[str] = []
    for _ in range(100):
        events, messages = run(ActionMoreResults(), tracker("more_results", slots=slots))
        cards = [m["offer_id"] for m in messages if m["response"] == "utter_offer_card"]
        if not cards:
            assert responses(messages) == ["utter_more_results_none"]
            break
        seen.extend(cards)
        slots["search_offset"] = events[0]["value"]
    assert len(seen) == len(set(seen)) > 3


def test_more_results_without_a_search_asks_what_to_search():
    _, messages = run(ActionMoreResults(), tracker("more_results"))
    assert responses(messages) == ["utter_more_results_no_search"]


def test_details_and_interest_name_the_offer():
    slots = {"search_kind": "job", "job": "any", "location": "63430", "has_car": True}
    _, messages = run(ActionSearch(), tracker("search_job", slots=slots))
    offer_id = next(m["offer_id"] for m in messages if m["response"] == "utter_offer_card")
    entity = [{"entity": "offer_id", "value": offer_id}]
    _, details = run(ActionOfferDetails(), tracker("offer_details", entities=entity))
    assert details[0]["response"] == "utter_offer_details" and details[0]["how_to_apply"]
    events, interest = run(ActionOfferInterest(), tracker("offer_interest", entities=entity))
    assert responses(interest) == ["utter_offer_interest", "utter_offer_interest_next"]
    assert "(démo)" in interest[0]["offer"]
    assert events[0]["name"] == "offer_id" and events[0]["value"] == offer_id
    _, gone = run(ActionOfferDetails(), tracker("offer_details",
                                                entities=[{"entity": "offer_id", "value": "0"}]))
    assert responses(gone) == ["utter_offer_gone"]


def test_alerts_created_once_listed_and_stopped():
    slots = {"search_kind": "job", "job": "soudeur", "location": "63430"}
    _, created = run(ActionCreateAlert(), tracker("create_alert", slots=slots, sender="al"))
    assert responses(created) == ["utter_alert_created", "utter_alert_created_how"]
    _, again = run(ActionCreateAlert(), tracker("create_alert", slots=slots, sender="al"))
    assert responses(again) == ["utter_alert_exists"]
    _, listed = run(ActionListAlerts(), tracker("list_alerts", sender="al"))
    assert responses(listed) == ["utter_alert_line"] and listed[0]["place"] == " vers Thiers"
    _, stopped = run(ActionStopAlert(), tracker("stop_alert", sender="al"))
    assert responses(stopped) == ["utter_alerts_stopped"] and stopped[0]["count"] == "1"
    _, listed = run(ActionListAlerts(), tracker("list_alerts", sender="al"))
    assert responses(listed) == ["utter_alerts_none"]
    _, none = run(ActionCreateAlert(), tracker("create_alert", sender="nobody"))
    assert responses(none) == ["utter_alert_no_search"]


def test_job_info_and_salary_come_from_the_catalogue():
    entity = [{"entity": "job", "value": "soudeur"}]
    _, info = run(ActionJobInfo(), tracker("ask_job_info", entities=entity))
    assert responses(info) == ["utter_trade_info", "utter_trade_ways_in", "utter_trade_info_next"]
    assert "soud" in info[0]["description"]
    _, salary = run(ActionSalary(), tracker("ask_salary", entities=entity))
    assert salary[0]["response"] == "utter_trade_salary"
    assert int(salary[0]["min"].replace("\u202f", "")) >= 1823  # never below the SMIC
    _, general = run(ActionSalary(), tracker("ask_salary"))
    assert responses(general) == ["utter_ask_salary_1", "utter_ask_salary_2"]


def test_mrs_sessions_follow_the_explanation_and_page_on():
    from actions.search import ActionMrsSessions

    events, messages = run(ActionMrsSessions(), tracker("ask_mrs", slots={"location": "63430"}))
    names = responses(messages)
    assert names[0] == "utter_mrs_sessions" and "utter_search_noted" not in names
    cards = [m for m in messages if m["response"] == "utter_offer_card"]
    assert cards and all("MRS" in c["heading"] for c in cards)
    assert {e["name"]: e["value"] for e in events} == {"search_kind": "mrs",
                                                       "search_offset": len(cards)}
