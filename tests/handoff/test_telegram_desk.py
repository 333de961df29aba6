"""Counsellors on Telegram: real python-telegram-bot handlers fed with Bot API updates, talking
to a local Bot API stand-in."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from telegram import Update

from bot.catalogue.db import session_scope
from bot.handoff import accounts, outbox, tickets
from bot.handoff.models import OutboxMessage
from bot.handoff.telegram_desk import build
from tests.conftest import use_database
from tests.support.telegram_api import BOT, TelegramApi

GROUP = -100777
JULIE_TG = 9001


@pytest.fixture
def reference(empty_catalogue, monkeypatch):
    monkeypatch.setenv("INDY_COUNSELLORS_CHAT", str(GROUP))
    with use_database(empty_catalogue, monkeypatch):
        with session_scope() as session:
            julie = accounts.add_counsellor(session, "julie", "Julie", "motdepasse-solide",
                                            team="ml-thiers")
            julie.telegram_user_id = str(JULIE_TG)
            created = tickets.create_ticket(session, tickets.Request(
                sender_id="web-0123456789ab", channel="rest", first_name="Léa", contact="",
                reason="request", profile={}, transcript=[]),
                datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Europe/Paris")))
        yield created.reference


def user(uid: int) -> dict:
    return {"id": uid, "is_bot": False, "first_name": "Julie"}


def test_take_then_answer_by_replying_in_the_group(reference):
    with session_scope() as session:
        ticket = tickets.open_ticket_for(session, "web-0123456789ab")
        notice_text = session.execute(select(OutboxMessage.text).where(
            OutboxMessage.channel == "telegram")).scalar_one()
    notice = {"message_id": 1, "date": 0, "chat": {"id": GROUP, "type": "supergroup"},
              "from": BOT, "text": notice_text}

    async def scenario(api: TelegramApi) -> None:
        app = build(api.token, str(GROUP), api.base_url)
        async with app:
            take = {"update_id": 1, "callback_query": {
                "id": "cb1", "from": user(JULIE_TG), "chat_instance": "x",
                "data": f"take:{ticket.id}", "message": notice}}
            await app.process_update(Update.de_json(take, app.bot))
            stranger = {"update_id": 2, "callback_query": {
                "id": "cb2", "from": user(4242), "chat_instance": "x",
                "data": f"take:{ticket.id}", "message": notice}}
            await app.process_update(Update.de_json(stranger, app.bot))
            answer = {"update_id": 3, "message": {
                "message_id": 5, "date": 0, "chat": {"id": GROUP, "type": "supergroup"},
                "from": user(JULIE_TG), "text": "Bonjour Léa, c'est Julie !",
                "reply_to_message": notice}}
            await app.process_update(Update.de_json(answer, app.bot))

    with TelegramApi() as api:
        asyncio.run(scenario(api))
    assert api.callback_answers[0]["text"].startswith("✋ Julie prend " + reference)
    assert "pas relié" in api.callback_answers[1]["text"]
    assert [m["text"] for m in api.sent] == [f"✋ Julie prend {reference}.",
                                             f"✅ Envoyé ({reference})."]
    with session_scope() as session:
        news = [m["text"] for m in outbox.pull(session, "web-0123456789ab")]
    assert news == ["Julie a pris ta demande et te répond ici. Écris-lui directement.",
                    "💬 Julie : Bonjour Léa, c'est Julie !"]


def test_a_counsellor_of_another_team_cannot_take_nor_answer_from_the_group(reference):
    from bot.handoff.telegram_desk import reply_from_telegram, take_from_telegram

    with session_scope() as session:
        bruno = accounts.add_counsellor(session, "bruno", "Bruno", "motdepasse-solide",
                                        team="ml-ambert")
        bruno.telegram_user_id = "9002"
        ticket = tickets.open_ticket_for(session, "web-0123456789ab")
    assert take_from_telegram(9002, ticket.id) == "Cette demande n'existe pas."
    assert take_from_telegram(9002, 10**30) == "Cette demande n'existe pas."
    assert reply_from_telegram(9002, f"Demande {reference}", "C'est Bruno") == \
        "Cette demande n'existe pas."
    with session_scope() as session:
        assert tickets.open_ticket_for(session, "web-0123456789ab").status == "waiting"
        assert outbox.pull(session, "web-0123456789ab") == []
