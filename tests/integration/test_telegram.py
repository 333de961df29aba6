"""Indy on Telegram: the real python-telegram-bot application, fed with Bot API updates,
talking to the real Rasa stack and to a local Bot API stand-in (429 included); then a
counsellor's answer pushed to the chat through the outbox; the bridge restarted midway."""

from __future__ import annotations

import asyncio
import itertools
import os
from datetime import datetime

import pytest
from telegram import Update

from bot.catalogue.db import get_engine, session_scope
from bot.handoff import accounts, outbox, tickets
from bot.handoff.service import needs_contact
from bot.notify import TelegramTransport
from bot.settings import get_settings
from bot.telegram_bot import build, sender_of
from tests.conftest import use_database
from tests.support.telegram_api import TelegramApi

pytestmark = pytest.mark.integration
CHAT = 777001
_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def _the_stacks_database(stack):
    """The bridge run here keeps its chats in the stack's database, as `make run`'s does."""
    previous = os.environ.get("INDY_DATABASE_URL")
    os.environ["INDY_DATABASE_URL"] = stack[0].database_url
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    if previous is None:
        os.environ.pop("INDY_DATABASE_URL", None)
    else:
        os.environ["INDY_DATABASE_URL"] = previous
    get_settings.cache_clear()
    get_engine.cache_clear()


def text_update(text: str, chat: int = CHAT) -> dict:
    n = next(_ids)
    message = {"message_id": n, "date": 0, "chat": {"id": chat, "type": "private"},
               "from": {"id": chat, "is_bot": False, "first_name": "Léa"}, "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0,
                                "length": len(text.split()[0])}]
    return {"update_id": n, "message": message}


def button_update(payload: str) -> dict:
    n = next(_ids)
    return {"update_id": n, "callback_query": {
        "id": f"cb{n}", "chat_instance": "x", "data": payload,
        "from": {"id": CHAT, "is_bot": False, "first_name": "Léa"},
        "message": {"message_id": n, "date": 0, "chat": {"id": CHAT, "type": "private"},
                    "text": "…"}}}


async def feed(api: TelegramApi, rasa_url: str, *updates: dict) -> None:
    app = build(api.token, api.base_url, rasa_url)
    async with app:
        for update in updates:
            await app.process_update(Update.de_json(update, app.bot))


def sent_since(api: TelegramApi, start: int) -> list[dict]:
    return api.sent[start:]



async def run_until(app, done) -> None:
    """Polls the local Bot API server with the real application until `done()` (60 s at most)."""
    async with app:
        await app.updater.start_polling(poll_interval=0.05, timeout=1,
                                        allowed_updates=["message", "callback_query"])
        await app.start()
        for _ in range(600):
            if done():
                break
            await asyncio.sleep(0.1)
        await app.updater.stop()
        await app.stop()


def test_a_conversation_with_buttons_a_429_a_restart_and_a_counsellor(stack, monkeypatch):
    settings = stack[0]
    with TelegramApi() as api:
        asyncio.run(feed(api, settings.rasa_url, text_update("/start")))
        greeting = api.sent[:]
        assert "Indy" in greeting[0]["text"] and "privé" in greeting[-1]["text"]
        keyboard = greeting[-1]["reply_markup"]["inline_keyboard"]
        assert [row[0]["callback_data"] for row in keyboard][0] == "/search_job"
        assert ("sendChatAction", {"chat_id": str(CHAT), "action": "typing"}) in [
            (m, {k: str(v) for k, v in d.items()}) for m, d in api.actions]

        api.failures = [(429, 1)]  # Telegram says: wait a second
        start = len(api.sent)
        asyncio.run(feed(api, settings.rasa_url, button_update("/ask_capabilities")))
        answer = sent_since(api, start)
        assert answer and "Je peux t'aider" in answer[0]["text"]  # delivered after the wait
        assert api.failures == []  # the 429 was answered, then retried

        start = len(api.sent)
        asyncio.run(feed(api, settings.rasa_url, text_update("je veux parler a un conseiller")))
        # a new bridge process: the conversation goes on where it was (Rasa keeps it)
        asyncio.run(feed(api, settings.rasa_url, button_update("/affirm"),
                         text_update("Léa")))
        texts = [m["text"] for m in sent_since(api, start)]
        # Telegram can reach her: a call back is offered only when the team is closed now.
        asked = any("numéro ou un e-mail" in t for t in texts)
        assert asked == needs_contact("telegram", "200070712")
        if asked:
            asyncio.run(feed(api, settings.rasa_url, text_update("non")))
            texts = [m["text"] for m in sent_since(api, start)]
        assert any("Ta demande : IND-" in t for t in texts), texts

        with use_database(settings.database_url, monkeypatch):
            with session_scope() as session:
                ticket = tickets.open_ticket_for(session, sender_of(CHAT))  # a keyed hash
                julie = accounts.add_counsellor(session, "julie-tg", "Julie", "motdepasse-solide",
                                                team=ticket.team)  # a counsellor of its team
                assert ticket.channel == "telegram"
                tickets.reply(session, ticket.id, julie, "Bonjour Léa !")
            transports = {"telegram": TelegramTransport(api.token, api.base_url)}
            with session_scope() as session:
                outbox.deliver_due(session, transports, datetime.utcnow())
        assert api.sent[-1]["text"] == "💬 Julie : Bonjour Léa !"
        assert str(api.sent[-1]["chat_id"]) == str(CHAT)  # the chat, found server-side
        start = len(api.sent)
        asyncio.run(feed(api, settings.rasa_url, text_update("merci, je cherche en soudure")))
        assert sent_since(api, start) == []  # Indy stays quiet: Julie holds the conversation


def test_webhook_mode_checks_the_secret_token(stack):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.telegram_bot import SECRET_HEADER, webhook_app

    settings = stack[0]

    async def scenario(api: TelegramApi) -> tuple[int, int]:
        application = build(api.token, api.base_url, settings.rasa_url)
        async with application:
            async with TestClient(TestServer(webhook_app(application, "s3cret"))) as client:
                forged = await client.post("/telegram", json=text_update("/start", 888),
                                           headers={SECRET_HEADER: "wrong"})
                good = await client.post("/telegram", json=text_update("/start", 888),
                                         headers={SECRET_HEADER: "s3cret"})
                return forged.status, good.status

    with TelegramApi() as api:
        forged, good = asyncio.run(scenario(api))
        assert (forged, good) == (403, 200)
        assert len([m for m in api.sent if "Indy" in m["text"]]) == 1  # only the real one


def test_the_kiosk_qr_code_brings_the_request_to_telegram(stack, monkeypatch):
    from bot.handoff import resume

    settings = stack[0]
    with use_database(settings.database_url, monkeypatch):
        with session_scope() as session:
            tickets.create_ticket(session, tickets.Request(
                "kiosk-aaaaaaaaaaaaaaaaaaaaaaaa", "rest", "Sam", "", "request", {}, []))
            code = resume.new_code(session, "kiosk-aaaaaaaaaaaaaaaaaaaaaaaa")
        with TelegramApi() as api:
            asyncio.run(feed(api, settings.rasa_url, text_update(f"/start {code}", 999)))
        assert "continue ici" in api.sent[0]["text"] and "Indy" in api.sent[1]["text"]
        with session_scope() as session:
            ticket = tickets.open_ticket_for(session, sender_of(999))
            assert ticket is not None and ticket.channel == "telegram"
            assert tickets.open_ticket_for(session, "kiosk-aaaaaaaaaaaaaaaaaaaaaaaa") is None


def test_long_polling_survives_network_errors_and_a_restart_without_duplicates(stack):
    import requests

    settings = stack[0]
    chat = 424242

    async def poll_until(api: TelegramApi, done) -> None:
        await run_until(build(api.token, api.base_url, settings.rasa_url), done)

    def answers(api: TelegramApi) -> list[str]:
        return [m["text"] for m in api.sent if str(m["chat_id"]) == str(chat)]

    with TelegramApi() as api:
        api.fail_get_updates = 3  # the network is down at first
        api.updates = [text_update("bonjour", chat), text_update("c koi la mrs", chat)]
        asyncio.run(poll_until(api, lambda: any("simulation" in t for t in answers(api))))
        # The bridge restarts: the updates it handled were confirmed, they don't come back.
        api.updates.append(text_update("merci", chat))
        asyncio.run(poll_until(api, lambda: any("plaisir" in t for t in answers(api))))
    texts = answers(api)
    assert sum("Moi c'est Indy" in t for t in texts) == 1, texts
    assert sum("recrutement par simulation" in t and "La MRS" in t for t in texts) == 1
    assert sum("plaisir" in t for t in texts) == 1
    tracker = requests.get(f"{settings.rasa_url}/conversations/{sender_of(chat)}/tracker",
                           params={"token": settings.rasa_token}, timeout=10).json()
    said = [e["text"] for e in tracker["events"] if e.get("event") == "user"]
    assert said == ["bonjour", "c koi la mrs", "merci"]


def test_commands_map_to_intents(stack):
    settings = stack[0]
    with TelegramApi() as api:
        asyncio.run(feed(api, settings.rasa_url, text_update("/aide", 889)))
        assert "Je peux t'aider" in api.sent[0]["text"]
        start = len(api.sent)
        asyncio.run(feed(api, settings.rasa_url, text_update("/effacer", 889)))
        assert any("Je le fais" in m["text"] for m in sent_since(api, start))


def test_one_consumer_serves_the_young_person_and_the_counsellors_group(stack, monkeypatch):
    """Telegram gives a bot's updates to one reader: the bridge polls once for both parties.
    In the counsellors' group Julie takes the request and answers; Léa writes back in private
    and her message reaches the ticket; the group's chatter never becomes a conversation."""
    import requests
    from sqlalchemy import select

    from bot.handoff.models import OutboxMessage

    settings = stack[0]
    group, person, julie_tg = -100555, 5550001, 9055
    lea = sender_of(person)
    monkeypatch.setenv("INDY_COUNSELLORS_CHAT", str(group))
    with session_scope() as session:
        julie = accounts.add_counsellor(session, "julie-one", "Julie", "motdepasse-solide",
                                        team="ml-thiers")
        julie.telegram_user_id = str(julie_tg)
        tickets.create_ticket(session, tickets.Request(
            lea, "telegram", "Léa", "", "request", {"epci": "200070712"}, []))
        ticket = tickets.open_ticket_for(session, lea)
        notice_text = session.execute(select(OutboxMessage.text).where(
            OutboxMessage.recipient == str(group))).scalar_one()
    notice = {"message_id": 70, "date": 0, "chat": {"id": group, "type": "supergroup"},
              "from": {"id": 4242, "is_bot": True, "first_name": "Indy"}, "text": notice_text}
    julie_user = {"id": julie_tg, "is_bot": False, "first_name": "Julie"}

    def group_message(n: int, text: str, reply_to: dict | None = None) -> dict:
        message = {"message_id": 100 + n, "date": 0, "from": julie_user, "text": text,
                   "chat": {"id": group, "type": "supergroup"}}
        if reply_to:
            message["reply_to_message"] = reply_to
        return {"update_id": 9000 + n, "message": message}

    def lea_wrote_back() -> bool:
        with session_scope() as session:
            ticket_now = tickets.open_ticket_for(session, lea)
            return any(m.text == "merci Julie" for m in ticket_now.messages)

    async def poll_until(api: TelegramApi, done) -> None:
        await run_until(build(api.token, api.base_url, settings.rasa_url,
                              counsellors_chat=str(group)), done)

    def to(api: TelegramApi, chat: int) -> list[str]:
        return [m["text"] for m in api.sent if str(m["chat_id"]) == str(chat)]

    with TelegramApi() as api:
        private = text_update("merci Julie", person)
        private["update_id"] = 9004
        api.updates = [
            group_message(1, "salut l'équipe, qui est là ce matin ?"),  # chatter, not for Indy
            {"update_id": 9002, "callback_query": {
                "id": "cb-take", "from": julie_user, "chat_instance": "g",
                "data": f"take:{ticket.id}", "message": notice}},
            group_message(3, "Bonjour Léa, c'est Julie !", reply_to=notice),
            private,
        ]
        asyncio.run(poll_until(api, lea_wrote_back))
    assert to(api, group) == [f"✋ Julie prend {ticket.reference}.",
                              f"✅ Envoyé ({ticket.reference})."]
    assert api.callback_answers[0]["text"].startswith("✋ Julie prend")
    assert to(api, person) == []  # Julie holds the conversation: Indy stays quiet
    with session_scope() as session:
        ticket = tickets.open_ticket_for(session, lea)
        assert ticket.status == "taken"
        said = [(m.author, m.text) for m in ticket.messages if m.author != "system"]
        assert said == [("counsellor", "Bonjour Léa, c'est Julie !"), ("user", "merci Julie")]
    # The group's chatter reached no conversation of Rasa.
    tracker = requests.get(f"{settings.rasa_url}/conversations/{sender_of(group)}/tracker",
                           params={"token": settings.rasa_token}, timeout=10).json()
    assert [e for e in tracker["events"] if e.get("event") == "user"] == []
