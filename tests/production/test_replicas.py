"""Two Rasa replicas behind nginx, conversations in PostgreSQL, the per-conversation lock in
Redis: concurrent multi-turn conversations are complete and in order, no message lost or
handled twice, and when one replica is killed mid-run the conversations go on on the other."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import uuid

import aiohttp
import requests

from bot import rasa_client
from bot.cluster import backends
from bot.settings import ROOT

SCRIPTS = [
    ["salut", "je cherche un job de soudeur a thiers", "oui", "d'autres offres",
     "c'est quoi la mrs", "merci"],
    ["bonjour", "c koi la mrs", "je cherche une formation cariste vers ambert", "non",
     "merci bcp", "au revoir"],
    ["wesh", "il passe ou le bus de l'emploi", "ca paye combien soudeur",
     "g pas le permis comment je fais", "t'es un robot ?", "bye"],
]
USERS = 12
KILL_AFTER = 24  # messages answered before replica 1 is killed (of 72)


def tracker(settings, sender: str) -> list[dict]:
    reply = requests.get(f"{settings.rasa_url}/conversations/{sender}/tracker",
                         params={"token": settings.rasa_token}, timeout=30)
    reply.raise_for_status()
    return reply.json()["events"]


def turns_are_closed(events: list[dict]) -> bool:
    """Each message was answered and the turn ended (action_listen) before the next one."""
    open_turn = False
    for event in events:
        if event["event"] == "user":
            if open_turn:
                return False
            open_turn = True
        elif event["event"] == "action" and event.get("name") == "action_listen":
            open_turn = False
    return not open_turn


def test_the_lock_store_orders_one_conversation_across_replicas(cluster):
    """Messages of one person arriving at both replicas at once are handled one by one."""
    settings, _ = cluster
    sender = "lock-" + uuid.uuid4().hex[:10]
    replicas = [b.port for b in backends(settings) if b.kind == "rasa"]
    texts = ["bonjour", "merci", "t'es un robot ?", "aide", "merci beaucoup", "salut",
             "c'est quoi la mrs", "au revoir"]

    async def send_all():
        async with aiohttp.ClientSession() as http:
            return await asyncio.gather(*(
                rasa_client.send(http, f"http://127.0.0.1:{replicas[i % 2]}/webhooks/rest/webhook",
                                 sender, text) for i, text in enumerate(texts)))

    answers = asyncio.run(send_all())
    assert all(answers)
    events = tracker(settings, sender)
    said = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(said) == sorted(texts)  # each once: none lost, none doubled
    assert turns_are_closed(events)


def test_the_widget_talks_through_nginx_over_socketio(cluster):
    """The widget's transport (socket.io over WebSocket) passes the proxy to a replica. The
    Engine.IO/Socket.IO frames are written by hand: python-socketio's client needs a newer
    aiohttp than Rasa allows."""
    settings, _ = cluster
    url = f"ws://127.0.0.1:{settings.rasa_port}/socket.io/?EIO=4&transport=websocket"
    origin = f"http://127.0.0.1:{settings.web_port}"  # a page of Indy's web app

    async def event(ws) -> tuple[str, object]:
        while True:
            frame = await ws.receive_str(timeout=60)
            if frame == "2":  # Engine.IO ping
                await ws.send_str("3")
            elif frame.startswith("42"):
                name, *args = json.loads(frame[2:])
                return name, args[0] if args else None

    async def talk() -> object:
        async with aiohttp.ClientSession() as http, \
                http.ws_connect(url, headers={"Origin": origin}) as ws:
            assert (await ws.receive_str(timeout=30)).startswith("0")  # open
            await ws.send_str("40")
            assert (await ws.receive_str(timeout=30)).startswith("40")  # connected
            session = uuid.uuid4().hex
            await ws.send_str("42" + json.dumps(["session_request", {"session_id": session}]))
            assert (await event(ws))[0] == "session_confirm"
            await ws.send_str("42" + json.dumps(["user_uttered", {
                "message": "c'est quoi la mrs", "session_id": session}]))
            name, data = await event(ws)
            assert name == "bot_uttered"
            return data

    answer = asyncio.run(asyncio.wait_for(talk(), timeout=120))
    assert "recrutement par simulation" in answer["text"]


def test_conversations_over_two_replicas_survive_one_killed(cluster):
    settings, processes = cluster
    url = f"{settings.rasa_url}/webhooks/rest/webhook"  # nginx
    answered = 0
    killed = asyncio.Event()
    sent: dict[str, list[tuple[str, str]]] = {}

    async def user(index: int, http: aiohttp.ClientSession) -> None:
        nonlocal answered
        sender = f"replica-{index}-{uuid.uuid4().hex[:8]}"
        sent[sender] = []
        for text in SCRIPTS[index % len(SCRIPTS)]:
            message_id = uuid.uuid4().hex
            answers = await rasa_client.send(http, url, sender, text, message_id)
            assert answers, f"no answer to {text!r}"
            sent[sender].append((text, message_id))
            answered += 1
            if answered == KILL_AFTER and not killed.is_set():
                processes["rasa-1"].kill()  # a crash, mid-run: other requests are in flight
                killed.set()

    async def everyone():
        async with aiohttp.ClientSession() as http:
            await asyncio.gather(*(user(i, http) for i in range(USERS)))

    asyncio.run(everyone())
    assert killed.is_set() and processes["rasa-1"].poll() is not None

    for sender, messages in sent.items():
        events = tracker(settings, sender)
        users = [(e["text"], e.get("message_id")) for e in events if e["event"] == "user"]
        assert users == messages, sender  # complete, in order, each once
        assert turns_are_closed(events), sender

    served = set(re.findall(r"POST /webhooks/rest/webhook 200 127\.0\.0\.1:(\d+)",
                            (settings.var_dir / "nginx" / "access.log").read_text()))
    assert served == {str(b.port) for b in backends(settings) if b.kind == "rasa"}


def test_the_observatory_counts_the_conversations_kept_in_postgresql(cluster):
    """The observatory reads Rasa's tracker store in PostgreSQL (INDY_TRACKER_URL)."""
    settings, _ = cluster
    env = {**os.environ, "INDY_DATABASE_URL": settings.database_url,
           "INDY_TRACKER_URL": settings.tracker_url}
    done = subprocess.run([sys.executable, "-m", "bot", "stats", "--days", "1"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    by_channel = done.stdout.split("Conversations par canal sur la période", 1)[1]
    api = re.search(r"^\s*API\s*\|\s*(\d+)", by_channel, re.MULTILINE)
    assert api and int(api.group(1)) >= USERS  # the users of the test above, at least
