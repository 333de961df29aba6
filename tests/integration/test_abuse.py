"""The running stack, driven as an attacker would: someone else's ids, a spoofed channel, the
Telegram input without its secret, Rasa's port reached from another machine, a widget room
joined uninvited. Each attack must fail and leave the victim's conversation as it was."""

from __future__ import annotations

import asyncio
import http.client
import json
import sqlite3

import pytest
import requests

from bot.identity import CHANNEL_SECRET_HEADER, channel_secret, telegram_sender
from tests.support.network import outside_address

pytestmark = pytest.mark.integration
VICTIM_CHAT = 61_234_567  # a public Telegram chat number: all an attacker knows


def web(settings) -> str:
    return f"http://127.0.0.1:{settings.web_port}"


def as_the_bridge(settings, sender: str, text: str, headers: dict | None = None):
    return requests.post(f"{settings.rasa_url}/webhooks/telegram/webhook",
                         json={"sender": sender, "message": text}, timeout=60,
                         headers={CHANNEL_SECRET_HEADER: channel_secret("telegram")}
                         if headers is None else headers)


def user_texts(settings, sender: str) -> list[str]:
    with sqlite3.connect(settings.tracker_db) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'",
                          (sender,)).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def test_a_telegram_chat_number_opens_nobody_s_conversation(stack):
    settings, _ = stack
    victim = telegram_sender(VICTIM_CHAT)
    assert as_the_bridge(settings, victim, "je cherche un taf de soudeur vers thiers").ok
    before = user_texts(settings, victim)
    assert before

    for sender in (str(VICTIM_CHAT), victim):
        erase = requests.post(f"{web(settings)}/api/chat", timeout=60, json={
            "sender": sender, "message": '/delete_my_data{"confirm": "yes"}'})
        assert erase.status_code in (400, 403), sender
        take_over = requests.post(f"{web(settings)}/api/continue", json={"sender": sender},
                                  timeout=10)
        assert take_over.status_code in (400, 403), sender
        news = requests.get(f"{web(settings)}/api/updates", params={"sender": sender}, timeout=10)
        assert news.status_code in (400, 403), sender
    # Rasa's REST input is not on the public side; on loopback the channel is the server's.
    spoofed = requests.post(f"{settings.rasa_url}/webhooks/rest/webhook", timeout=60, json={
        "sender": f"spoof-{VICTIM_CHAT}", "message": "salut", "input_channel": "telegram"})
    assert spoofed.status_code == 400
    assert user_texts(settings, f"spoof-{VICTIM_CHAT}") == []
    assert user_texts(settings, victim) == before  # nothing erased, nothing written


def test_the_telegram_input_is_the_bridge_s_only(stack):
    settings, _ = stack
    victim = telegram_sender(VICTIM_CHAT + 1)
    assert as_the_bridge(settings, victim, "bonjour").ok
    for headers in ({}, {CHANNEL_SECRET_HEADER: "devine"},
                    {CHANNEL_SECRET_HEADER: channel_secret("rest")}):
        forged = as_the_bridge(settings, victim, "/delete_my_data", headers)
        assert forged.status_code == 403, headers
    # A header that is not ASCII at all: refused, not a server error.
    connection = http.client.HTTPConnection("127.0.0.1", settings.rasa_port, timeout=30)
    body = json.dumps({"sender": victim, "message": "/delete_my_data"}).encode()
    connection.putrequest("POST", "/webhooks/telegram/webhook")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(len(body)))
    connection.putheader(CHANNEL_SECRET_HEADER, "sécret".encode())
    connection.endheaders(body)
    assert connection.getresponse().status == 403
    connection.close()
    # With the secret, the sender must still be a chat's keyed hash, not a chat number.
    assert as_the_bridge(settings, str(VICTIM_CHAT), "bonjour").status_code == 403
    assert user_texts(settings, victim) == ["bonjour"]



def test_from_another_machine_only_socketio_answers_on_rasa_s_port(stack):
    settings, _ = stack
    address = outside_address()
    if address is None:
        pytest.skip("no network address besides loopback on this machine")

    def status(method: str, path: str, body: dict | None = None) -> int:
        # Connects from that address: Rasa sees a peer that is not loopback, as from outside.
        connection = http.client.HTTPConnection("127.0.0.1", settings.rasa_port, timeout=30,
                                                source_address=(address, 0))
        payload = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=payload,
                           headers={"Content-Type": "application/json"})
        code = connection.getresponse().status
        connection.close()
        return code

    assert status("POST", "/webhooks/rest/webhook", {"sender": "x-outside", "message": "hi"}) \
        == 403
    assert status("POST", "/webhooks/telegram/webhook",
                  {"sender": telegram_sender(1), "message": "hi"}) == 403
    assert status("GET", "/") == 403
    assert status("GET", f"/conversations/x-outside/tracker?token={settings.rasa_token}") == 403
    assert status("GET", "/socket.io/?EIO=4&transport=polling") == 200  # the widget's way in
    assert user_texts(settings, "x-outside") == []


def test_a_widget_cannot_choose_its_room_nor_write_into_another(stack):
    import socketio

    settings, _ = stack

    async def scenario() -> tuple[str, str, list, list]:
        victim, attacker = socketio.AsyncClient(), socketio.AsyncClient()
        heard: dict[str, list] = {"victim": [], "attacker": []}
        ids: dict[str, asyncio.Future] = {}
        loop = asyncio.get_running_loop()
        for name, client in (("victim", victim), ("attacker", attacker)):
            ids[name] = loop.create_future()
            client.on("session_confirm",
                      lambda data, name=name: ids[name].done() or ids[name].set_result(data))
            client.on("bot_uttered", lambda data, name=name: heard[name].append(data))
            await client.connect(settings.rasa_url, transports=["polling"],
                                 socketio_path="/socket.io")
        try:
            await victim.emit("session_request", {"session_id": None})
            victim_id = await asyncio.wait_for(ids["victim"], 20)
            # The attacker asks for the victim's room by name, then writes into it.
            await attacker.emit("session_request", {"session_id": "w-je-choisis-ma-salle"})
            attacker_id = await asyncio.wait_for(ids["attacker"], 20)
            await attacker.emit("user_uttered", {"message": "c'est quoi la mrs",
                                                 "session_id": victim_id})
            for _ in range(600):
                if heard["attacker"]:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.5)
        finally:
            await victim.disconnect()
            await attacker.disconnect()
        return victim_id, attacker_id, heard["victim"], heard["attacker"]

    victim_id, attacker_id, victim_heard, attacker_heard = asyncio.run(scenario())
    assert victim_id.startswith("widget-") and attacker_id.startswith("widget-")
    assert attacker_id not in (victim_id, "w-je-choisis-ma-salle")
    assert attacker_heard and victim_heard == []  # the answer went to the attacker's own room
    assert user_texts(settings, victim_id) == []
    assert user_texts(settings, attacker_id) == ["c'est quoi la mrs"]


def test_huge_and_malformed_messages_are_capped_and_cleaned_on_every_channel(stack):
    import socketio

    from bot.edge import MAX_MESSAGE_CHARS

    settings, _ = stack
    nasty = "bon\x00jour\x07 " + "é" * 50_000
    sender = requests.post(f"{web(settings)}/api/session", json={"kind": "web"},
                           timeout=10).json()["sender"]
    within_body_limit = nasty[:8000]  # the web app reads 64 KB of JSON at most
    assert requests.post(f"{web(settings)}/api/chat", timeout=60,
                         json={"sender": sender, "message": within_body_limit}).status_code == 200
    tg = telegram_sender(VICTIM_CHAT + 2)
    assert as_the_bridge(settings, tg, nasty).ok
    assert requests.post(f"{settings.rasa_url}/webhooks/rest/webhook", timeout=60,
                         json={"sender": "x-huge", "message": nasty}).ok
    for malformed in ({"sender": "x-bad", "message": 12}, {"sender": ["x"], "message": "a"},
                      ["not", "an", "object"]):
        reply = requests.post(f"{settings.rasa_url}/webhooks/rest/webhook", json=malformed,
                              timeout=60)
        assert reply.status_code == 400, malformed
    # Beyond a megabyte, Rasa does not even read the body.
    too_big = requests.post(f"{settings.rasa_url}/webhooks/rest/webhook", timeout=60,
                            json={"sender": "x-2mb", "message": "x" * 2_000_000})
    assert too_big.status_code == 413

    async def widget(message: str) -> tuple[str, bool]:
        """The widget's session id, and whether Indy answered the message."""
        client = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
        answered = asyncio.Event()
        client.on("session_confirm", lambda data: confirmed.done() or confirmed.set_result(data))
        client.on("bot_uttered", lambda data: answered.set())
        await client.connect(settings.rasa_url, transports=["polling"], socketio_path="/socket.io")
        try:
            await client.emit("session_request", {})
            session_id = await asyncio.wait_for(confirmed, 20)
            await client.emit("user_uttered", {"message": message})
            try:
                await asyncio.wait_for(answered.wait(), 30)
            except asyncio.TimeoutError:
                return session_id, False
        finally:
            await client.disconnect()
        return session_id, True

    widget_sender, answered = asyncio.run(widget("bon\x00jour\x07 " + "é" * 5000))
    assert answered
    # A socket.io packet over 64 KB is not read at all (python-engineio's default: 1 MB).
    flooder, answered = asyncio.run(widget("x" * 200_000))
    assert not answered and user_texts(settings, flooder) == []
    for who in (sender, tg, "x-huge", widget_sender):
        [said] = user_texts(settings, who)
        assert said.startswith("bonjour ") and len(said) <= MAX_MESSAGE_CHARS, who
        assert not any(c in said for c in "\x00\x07"), who
    assert user_texts(settings, "x-2mb") == []


def test_a_counsellor_reaches_no_other_team_s_ticket_and_a_login_flood_is_held(stack,
                                                                                monkeypatch):
    import re

    from bot.catalogue.db import session_scope
    from bot.handoff import accounts, tickets
    from bot.handoff.models import Ticket
    from tests.conftest import use_database

    settings, _ = stack
    with use_database(settings.database_url, monkeypatch):
        with session_scope() as session:
            accounts.add_counsellor(session, "bruno-abuse", "Bruno", "motdepasse-solide",
                                    team="ml-ambert")
            created = tickets.create_ticket(session, tickets.Request(
                sender_id="web-abuse-victim", channel="rest", first_name="Léa", contact="",
                reason="request", profile={"epci": "200070712"}, transcript=[]))
            ticket = tickets.open_ticket_for(session, "web-abuse-victim")
            ticket_id, team = ticket.id, ticket.team
    assert team == "ml-thiers"

    base = f"{web(settings)}/conseillers"
    def form_token(browser: requests.Session) -> str:
        form = browser.get(f"{base}/connexion", timeout=30).text
        return re.search(r'name="csrf" value="([^"]+)"', form).group(1)

    bruno = requests.Session()
    logged = bruno.post(f"{base}/connexion", allow_redirects=False, timeout=30, data={
        "username": "bruno-abuse", "password": "motdepasse-solide", "csrf": form_token(bruno)})
    assert logged.status_code == 303
    queue = bruno.get(base, timeout=30)
    assert queue.headers["Cache-Control"] == "no-store" and created.reference not in queue.text
    token = re.search(r'name="csrf" value="([^"]+)"', queue.text).group(1)
    for ticket_path in (ticket_id, ticket_id + 1, "9" * 30):
        assert bruno.get(f"{base}/demandes/{ticket_path}", timeout=30).status_code == 404
        for action, extra in (("prendre", {}), ("repondre", {"text": "c'est Bruno"}),
                              ("cloturer", {"outcome": "mrs"})):
            acted = bruno.post(f"{base}/demandes/{ticket_path}/{action}", timeout=30,
                               data={"csrf": token, **extra}, allow_redirects=False)
            assert acted.status_code == 404, (ticket_path, action)
    with use_database(settings.database_url, monkeypatch):
        with session_scope() as session:
            ticket = session.get(Ticket, ticket_id)
            assert ticket.status == "waiting" and [m.author for m in ticket.messages] == []

    # A flood of guesses on one account: held after five, even with the right password.
    guesser = requests.Session()
    token = form_token(guesser)
    assert guesser.post(f"{base}/connexion", timeout=30, allow_redirects=False, data={
        "username": "bruno-abuse", "password": "motdepasse-solide"}).status_code == 403
    statuses = [guesser.post(f"{base}/connexion", timeout=30, allow_redirects=False, data={
        "username": "bruno-abuse", "password": f"essai-{n}", "csrf": token}).status_code
        for n in range(7)]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    held = guesser.post(f"{base}/connexion", timeout=30, allow_redirects=False, data={
        "username": "bruno-abuse", "password": "motdepasse-solide", "csrf": token})
    assert held.status_code == 429
