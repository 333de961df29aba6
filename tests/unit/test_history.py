"""A reloaded page gets its conversation back: Rasa's events, the handoff's messages, merged;
only the holder of a signed id reads it; the static files are cached and compressed."""

from __future__ import annotations

import asyncio
import gzip
import time

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.catalogue.db import session_scope
from bot.handoff import accounts, tickets
from bot.identity import issue_browser_id, telegram_sender
from bot.web import history
from bot.web.app import create_app
from tests.conftest import use_database

T0 = time.time() - 600


def tracker_events() -> list[dict]:
    """As Rasa's /conversations/<id>/tracker gives them (the fields the page needs)."""
    return [
        {"event": "action", "name": "action_session_start", "timestamp": T0},
        {"event": "user", "text": "bonjour", "timestamp": T0 + 1},
        {"event": "bot", "text": "Salut, je suis Indy.", "timestamp": T0 + 2,
         "data": {"buttons": [{"title": "🔎 Un job", "payload": "/search_job"}]}},
        {"event": "user", "text": "/search_job", "timestamp": T0 + 3},
        {"event": "bot", "text": "Dans quel métier ?", "timestamp": T0 + 4, "data": {}},
        {"event": "bot", "text": None, "timestamp": T0 + 5,
         "data": {"buttons": [{"title": "Soudure", "payload": "/inform_job"}]}},
        {"event": "slot", "name": "job", "value": "soudeur", "timestamp": T0 + 5},
    ]


def test_a_payload_sent_by_a_page_is_shown_in_words():
    events = [{"event": "user", "text": "/ask_mrs", "timestamp": T0,
               "parse_data": {"intent": {"name": "ask_mrs"}}},
              {"event": "user", "text": "/nothing_known", "timestamp": T0 + 1}]
    shown = history.merged(history.from_tracker(events), [])
    assert shown[0]["text"] == "Le recrutement sans CV (MRS)"
    assert shown[0]["payload"] == "/ask_mrs"  # the kiosk shows its tile's own title
    assert shown[1]["text"] == "/nothing_known"


def test_the_tracker_is_shown_as_the_page_showed_it():
    shown = history.merged(history.from_tracker(tracker_events()), [])
    assert [(m["who"], m["text"]) for m in shown] == [
        ("user", "bonjour"), ("bot", "Salut, je suis Indy."),
        ("user", "🔎 Un job"),  # the button tapped, not its payload
        ("bot", "Dans quel métier ?"), ("bot", "")]
    assert "buttons" not in shown[1]  # an old turn: its buttons lead nowhere now
    assert shown[-1]["buttons"] == [{"title": "Soudure", "payload": "/inform_job"}]


def test_a_handoff_adds_the_relayed_messages_and_the_counsellor_s_replies(empty_catalogue,
                                                                          monkeypatch):
    monkeypatch.delenv("INDY_COUNSELLORS_CHAT", raising=False)
    sender = issue_browser_id("web")
    with use_database(empty_catalogue, monkeypatch):
        with session_scope() as session:
            created = tickets.create_ticket(session, tickets.Request(
                sender_id=sender, channel="rest", first_name="Léa", contact="", reason="request",
                profile={}, transcript=[("user", "bonjour")]))
            ticket = tickets.open_ticket_for(session, sender)
            julie = accounts.add_counsellor(session, "julie-h", "Julie", "motdepasse-solide",
                                            team=ticket.team)
            tickets.take(session, ticket.id, julie)
            tickets.record_user_message(session, ticket, "je cherche en soudure")
            tickets.reply(session, ticket.id, julie, "Bonjour Léa, je regarde.")
            tickets.close(session, ticket.id, julie, "oriented")
        with session_scope() as session:
            added, news = history.from_handoff(session, sender)
            other, nothing = history.from_handoff(session, issue_browser_id("web"))
    assert created.reference and other == [] and nothing == 0
    shown = history.merged(history.from_tracker(tracker_events()), added)
    tail = [(m["who"], m["text"]) for m in shown[-5:]]
    assert tail[0] == ("bot", "Julie a pris ta demande et te répond ici. Écris-lui directement.")
    assert tail[1] == ("user", "je cherche en soudure")  # Indy never saw it: the transcript's
    assert tail[2] == ("counsellor", "💬 Julie : Bonjour Léa, je regarde.")
    assert tail[3][0] == "bot" and "Indy est de retour" in tail[3][1]
    assert tail[4][0] == "bot" and "t'a aidé ?" in tail[4][1]  # the question after closing
    # the last turn keeps its buttons: the question's
    assert [b["payload"] for b in shown[-1]["buttons"]] == [
        "/handoff_feedback_yes", "/handoff_feedback_partly", "/handoff_feedback_no"]
    assert news > 0


def test_only_the_holder_of_a_signed_id_reads_a_conversation(catalogue_url):
    async def check(client):
        for sender in ("777001999", telegram_sender(777001), "web-" + "a" * 24 + "-" + "b" * 32,
                       "<script>"):
            refused = await client.get("/api/history", params={"sender": sender})
            assert refused.status in (400, 403), sender
            assert refused.headers["Cache-Control"] == "no-store"

    async def go():
        async with TestClient(TestServer(create_app())) as client:
            await check(client)

    asyncio.run(go())


@pytest.mark.parametrize("path", ["/widget.js", "/static/widget.css", "/static/chat.js"])
def test_static_files_are_revalidated_and_gzipped(catalogue_url, path):
    async def check(client):
        plain = await client.get(path, headers={"Accept-Encoding": "identity"})
        body = await plain.read()
        assert plain.status == 200 and "Content-Encoding" not in plain.headers
        etag = plain.headers["ETag"]
        assert plain.headers["Last-Modified"]
        again = await client.get(path, headers={"If-None-Match": etag})
        assert again.status == 304
        zipped = await client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"},
                                  auto_decompress=False)
        assert zipped.headers["Content-Encoding"] == "gzip"
        raw = await zipped.read()
        assert gzip.decompress(raw) == body and len(raw) < len(body) / 2
        if path in ("/widget.js", "/static/widget.css"):
            assert plain.headers["Cache-Control"] == "public, max-age=3600"  # partners keep it
        else:
            assert plain.headers["Cache-Control"] == "no-cache"

    async def go():
        async with TestClient(TestServer(create_app())) as client:
            await check(client)

    asyncio.run(go())


def test_static_serves_its_own_folder_only(catalogue_url):
    async def check(client):
        for path in ("/static/..%2f..%2fsettings.py", "/static/%2e%2e/app.py",
                     "/static/vendor", "/static/nothing.js"):
            assert (await client.get(path)).status == 404, path
        assert (await client.get("/static/vendor/qrcode.js")).status == 200

    async def go():
        async with TestClient(TestServer(create_app())) as client:
            await check(client)

    asyncio.run(go())


def test_a_kiosk_code_hands_its_conversation_to_one_phone_once(catalogue_url, monkeypatch):
    monkeypatch.delenv("INDY_TELEGRAM_BOT_USERNAME", raising=False)

    async def check(client):
        kiosk = (await (await client.post("/api/session", json={"kind": "kiosk"})).json())[
            "sender"]
        given = await (await client.post("/api/continue", json={"sender": kiosk})).json()
        assert given["link"] is None and given["code"]  # no Telegram: the phone's browser
        phone = await client.post("/api/session", json={"kind": "web", "resume": given["code"]})
        assert (await phone.json())["sender"] == kiosk
        kept = await client.post("/api/session", json={"kind": "web", "sender": kiosk})
        assert (await kept.json())["sender"] == kiosk  # the phone's reload keeps it
        again = await client.post("/api/session", json={"kind": "web", "resume": given["code"]})
        assert again.status == 410 and "une fois" in (await again.json())["error"]
        unknown = await client.post("/api/session", json={"kind": "web", "resume": "nope"})
        assert unknown.status == 410
        other = await client.post("/api/session", json={"kind": "kiosk", "sender": kiosk})
        assert (await other.json())["sender"] == kiosk

    async def go():
        async with TestClient(TestServer(create_app())) as client:
            await check(client)

    asyncio.run(go())
