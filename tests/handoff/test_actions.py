"""The handoff's custom actions with an inline Tracker, on a real database."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import (
    ActionHandoffCancel,
    ActionHandoffCreate,
    ActionHandoffStart,
    ValidateHandoffForm,
)
from bot.catalogue.db import session_scope
from bot.handoff import service, tickets
from tests.conftest import use_database


def tracker(slots: dict | None = None, channel: str = "rest", sender: str = "web-aaaabbbbcccc",
            extra_events: list | None = None) -> Tracker:
    latest = {"intent": {"name": "request_human", "confidence": 0.9}, "entities": [],
              "text": "je veux parler a quelqu'un"}
    events = [
        {"event": "user", "text": "je cherche un taf de soudeur", "input_channel": channel,
         "parse_data": latest},
        {"event": "bot", "text": "Tu as le permis ?"},
        *(extra_events or []),
        {"event": "user", "text": "je veux parler a quelqu'un", "input_channel": channel,
         "parse_data": latest},
    ]
    return Tracker(sender, slots or {}, latest, events, False, None, {}, "action_listen")


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return events, [m["response"] for m in dispatcher.messages], dispatcher.messages


@pytest.fixture(autouse=True)
def db(empty_catalogue, monkeypatch):
    monkeypatch.delenv("INDY_COUNSELLORS_CHAT", raising=False)
    with use_database(empty_catalogue, monkeypatch):
        yield


def test_start_says_who_and_when():
    _, names, messages = run(ActionHandoffStart(), tracker({"location": "63003"}))
    assert names == ["utter_handoff_who"]
    assert messages[0]["who"].startswith("Une conseillère") and " avant " in messages[0]["when"]


def test_the_form_asks_consent_name_and_a_contact_only_where_needed():
    form, d = ValidateHandoffForm(), CollectingDispatcher()
    web = asyncio.run(form.required_slots([], d, tracker(channel="rest"), {}))
    telegram = asyncio.run(form.required_slots([], d, tracker(channel="telegram"), {}))
    assert web == ["handoff_consent", "handoff_name", "handoff_contact"]
    closed_now = ["handoff_contact"] if service.needs_contact("telegram") else []
    assert telegram == ["handoff_consent", "handoff_name", *closed_now]
    refused = asyncio.run(form.required_slots([], d, tracker({"handoff_consent": False}), {}))
    assert refused == []
    assert form.validate_handoff_consent("ouais", d, tracker(), {}) == {"handoff_consent": True}
    assert form.validate_handoff_contact("non merci", d, tracker(), {}) == {"handoff_contact": ""}


def test_create_stores_the_ticket_with_the_transcript_then_cancel():
    slots = {"handoff_consent": True, "handoff_name": "Sam", "job": "soudeur",
             "location": "63430"}
    _, names, messages = run(ActionHandoffCreate(), tracker(slots))
    assert names == ["utter_handoff_created", "utter_handoff_meanwhile"]
    assert messages[0]["reference"].startswith("IND-")
    assert messages[0]["team"] == "la Mission Locale de Thiers"
    with session_scope() as session:
        ticket = tickets.open_ticket_for(session, "web-aaaabbbbcccc")
        assert ticket.first_name == "Sam" and '"trade": "soudeur"' in ticket.profile
        assert [m.text for m in ticket.messages][:2] == ["je cherche un taf de soudeur",
                                                         "Tu as le permis ?"]
    _, names, _ = run(ActionHandoffCreate(), tracker(slots))
    assert names == ["utter_handoff_already"]
    _, names, _ = run(ActionHandoffCancel(), tracker())
    assert names == ["utter_handoff_cancelled"]
    _, names, _ = run(ActionHandoffCancel(), tracker())
    assert names == ["utter_handoff_nothing_to_cancel"]


def test_without_consent_nothing_is_stored():
    _, names, _ = run(ActionHandoffCreate(), tracker({"handoff_consent": False}))
    assert names == ["utter_handoff_no_consent"]
    with session_scope() as session:
        assert tickets.open_ticket_for(session, "web-aaaabbbbcccc") is None


def test_the_reason_follows_what_happened_before():
    fallback = [{"event": "action", "name": "action_indy_fallback"}]
    slots = {"handoff_consent": True, "handoff_name": "Sam"}
    run(ActionHandoffCreate(), tracker(slots, extra_events=fallback))
    with session_scope() as session:
        assert tickets.open_ticket_for(session, "web-aaaabbbbcccc").reason == "fallback"


def test_a_call_back_is_offered_when_the_team_is_closed():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    monday_10h = datetime(2026, 11, 30, 10, tzinfo=paris)
    saturday_18h = datetime(2026, 11, 28, 18, tzinfo=paris)
    assert not service.needs_contact("telegram", "200070712", monday_10h)
    assert service.needs_contact("telegram", "200070712", saturday_18h)
    assert service.needs_contact("rest", "200070712", monday_10h)  # the page cannot push


def test_age_and_topic_route_the_request():
    from bot.catalogue.db import session_scope as scope
    from bot.catalogue.records import OfferRecord
    from bot.catalogue.store import Resolver, offer_values, upsert_offers

    older = [{"event": "user", "text": "bonjour j'ai 28 ans et je cherche du taf"}]
    slots = {"handoff_consent": True, "handoff_name": "Max", "location": "63430"}
    _, _, messages = run(ActionHandoffCreate(), tracker(slots, extra_events=older,
                                                         sender="web-max-00000001"))
    assert messages[0]["team"] == "France Travail"  # over 25: not the Mission Locale
    with scope() as session:
        result = upsert_offers(session, [offer_values(OfferRecord(
            source="t", source_id="ev1", kind="event", event_type="job_dating",
            title="Job dating", organisation="Territoire", commune="Thiers"),
            Resolver(session))])
        event_id = result.new_offer_ids[0]
    interest = [{"event": "action", "name": "action_offer_interest"}]
    slots = {"handoff_consent": True, "handoff_name": "Zoé", "offer_id": str(event_id)}
    _, _, messages = run(ActionHandoffCreate(), tracker(slots, extra_events=interest,
                                                         sender="web-zoe-00000001"))
    assert messages[0]["team"] == "l'équipe du Territoire d'industrie"


def test_a_locked_database_gets_a_polite_answer_and_no_half_written_ticket(empty_catalogue,
                                                                            monkeypatch):
    import sqlite3

    from sqlalchemy import text

    from bot.catalogue.db import get_engine

    monkeypatch.setenv("INDY_DB_BUSY_TIMEOUT_MS", "300")
    get_engine.cache_clear()
    slots = {"handoff_consent": True, "handoff_name": "Sam", "location": "63430"}
    holder = sqlite3.connect(empty_catalogue[len("sqlite:///"):], isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        events, names, messages = run(ActionHandoffCreate(), tracker(slots))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert names == [None] and "Réessaie dans une minute" in messages[0]["text"]
    assert messages[0]["buttons"] == [{"title": "🔁 Réessayer", "payload": "/request_human"}]
    assert {e["name"]: e["value"] for e in events}["handoff_consent"] is None
    with session_scope() as session:
        for table in ("tickets", "ticket_messages", "outbox"):
            assert session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
    _, names, _ = run(ActionHandoffCreate(), tracker(slots))
    assert names == ["utter_handoff_created", "utter_handoff_meanwhile"]
    get_engine.cache_clear()


def test_an_unreachable_database_stops_before_the_form_asks_anything(monkeypatch, tmp_path):
    """The start of a handoff cannot read the teams' queue: Indy says so and waits for the
    person (the retry button) instead of asking for consent, name and contact for nothing."""
    from bot.catalogue.db import get_engine

    with use_database(f"sqlite:///{tmp_path / 'missing' / 'indy.db'}", monkeypatch):
        events, names, messages = run(ActionHandoffStart(), tracker({"location": "63430"}))
    get_engine.cache_clear()
    assert names == [None] and "Réessaie dans une minute" in messages[0]["text"]
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]
