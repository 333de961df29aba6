"""Issue « Measured, robust and private », on the real stack: a locked database, a slow
partner API, the widget's allowed origins, personal data kept out of every process's logs."""

from __future__ import annotations

import asyncio
import copy
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

import aiohttp
import pytest
import requests

from bot.settings import ROOT
from tests.integration.conftest import Chat
from tests.support.replay import ReplayServer, fixture

pytestmark = pytest.mark.integration
PARTNER = "https://www.mission-locale.example"  # territory.yml, widget.allowed_origins


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def payload(messages: list[dict], title: str) -> str:
    return next(b["payload"] for m in messages for b in m.get("buttons", [])
                if title in b["title"])


def tickets_of(database_url: str, sender: str) -> int:
    with sqlite3.connect(database_url[len("sqlite:///"):]) as db:
        return db.execute("SELECT count(*) FROM tickets WHERE sender_id = ?",
                          (sender,)).fetchone()[0]


def ask_for_a_person(chat: Chat) -> list[dict]:
    consent = chat.say("je veux parler à un conseiller")
    assert "transmets" in texts(consent), consent
    asked = chat.say(payload(consent, "Oui, transmets"))
    if "Comment veux-tu" in texts(asked):  # the name, unless given at a previous try
        asked = chat.say("Léa")
    assert "numéro ou un e-mail" in texts(asked), asked
    return chat.say("non")


def test_a_locked_database_gets_a_polite_answer_then_the_next_try_works(stack):
    settings, _ = stack
    chat = Chat(settings)
    holder = sqlite3.connect(settings.database_url[len("sqlite:///"):], isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program writing, for as long as it likes
    try:
        search = chat.say("je cherche un taf de cariste vers montbrison")
        assert search and "Traceback" not in texts(search)  # reading still works (WAL)
        locked = ask_for_a_person(chat)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    said = texts(locked)
    assert "Réessaie dans une minute" in said and "IND-" not in said, locked
    assert "Traceback" not in said and "Error" not in said
    assert tickets_of(settings.database_url, chat.sender) == 0  # nothing half written

    again = ask_for_a_person(chat)
    assert "Ta demande : IND-" in texts(again), again
    assert tickets_of(settings.database_url, chat.sender) == 1


def test_conversations_go_on_while_a_slow_api_is_fetched(stack):
    settings, _ = stack
    replay, released = ReplayServer(), threading.Event()
    search_path = "/partenaire/offresdemploi/v2/offres/search"
    slow = copy.deepcopy(fixture("francetravail_search_thiers_page1"))
    slow.update(status=200, hold=released)
    slow["headers"]["Content-Range"] = "offres 0-1/2"
    replay.scripts["/connexion/oauth2/access_token"] = deque([fixture("francetravail_token")])
    replay.scripts[search_path] = deque([slow])
    env = {**os.environ, "INDY_DATABASE_URL": settings.database_url,
           "FRANCETRAVAIL_CLIENT_ID": "PAR_indy_test", "FRANCETRAVAIL_CLIENT_SECRET": "secret",
           "FRANCETRAVAIL_TOKEN_URL": f"{replay.url}/connexion/oauth2/access_token",
           "FRANCETRAVAIL_API_URL": f"{replay.url}/partenaire/offresdemploi/v2",
           "INDY_CONNECTOR_TIMEOUT_S": "150"}
    fetch = subprocess.Popen([sys.executable, "-m", "bot", "catalogue", "fetch", "francetravail"],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        deadline = time.monotonic() + 120
        while not replay.requests_to(search_path) and time.monotonic() < deadline:
            assert fetch.poll() is None, fetch.communicate()
            time.sleep(0.2)
        assert replay.requests_to(search_path), "the fetch never asked the API"
        chat = Chat(settings)
        answer = chat.say("je cherche un taf de soudeur vers thiers")
        assert "Je cherche un job de soudeur" in texts(answer)
        assert "voiture" in texts(answer)
        assert fetch.poll() is None  # the answers came while the API was still silent
    finally:
        released.set()
        out, err = fetch.communicate(timeout=120)
        replay.close()
    assert fetch.returncode == 0, err
    assert "francetravail : 2 offres lues" in out


def test_socketio_accepts_indys_pages_and_listed_partners_only(stack):
    settings, _ = stack
    handshake = f"{settings.rasa_url}/socket.io/?EIO=4&transport=polling"
    own = f"http://127.0.0.1:{settings.web_port}"  # the chat pages and /exemple
    for origin in (own, PARTNER):
        opened = requests.get(handshake, headers={"Origin": origin}, timeout=30)
        assert opened.status_code == 200 and opened.text.startswith("0{"), origin
        assert opened.headers["Access-Control-Allow-Origin"] == origin
    for origin in ("https://ailleurs.example", f"http://127.0.0.1:{settings.rasa_port + 1}",
                   "null"):
        refused = requests.get(handshake, headers={"Origin": origin}, timeout=30)
        assert refused.status_code == 400 and "not an accepted origin" in refused.text, origin
        assert "Access-Control-Allow-Origin" not in refused.headers

    async def websocket(origin: str) -> str:
        url = (f"ws://127.0.0.1:{settings.rasa_port}/socket.io/?EIO=4&transport=websocket")
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(url, origin=origin, timeout=30) as ws:
                    return (await ws.receive(timeout=30)).data[:1]  # "0": engine.io open
            except aiohttp.WSServerHandshakeError as error:
                return f"refused {error.status}"

    assert asyncio.run(websocket(PARTNER)) == "0"  # what the widget uses
    assert asyncio.run(websocket("https://ailleurs.example")) == "refused 400"


LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} level=[A-Z]+ logger=\S+ msg=")


def test_no_phone_number_email_or_name_in_any_log(stack):
    settings, processes = stack
    logs = Path(settings.var_dir) / "logs"

    def toggle_debug() -> None:
        for name in ("rasa", "actions"):
            size = (logs / f"{name}.log").stat().st_size
            processes[name].send_signal(signal.SIGUSR1)
            deadline = time.monotonic() + 60
            while "debug logs o" not in (logs / f"{name}.log").read_text(
                    encoding="utf-8")[size:]:
                assert time.monotonic() < deadline, f"{name} did not switch its debug logs"
                time.sleep(0.2)

    chat = Chat(settings)
    toggle_debug()
    try:
        chat.say("mon num c 06 12 34 56 78 et mon mail jean.dupont@gmail.com")
        chat.say("je m'appelle Jean Dupont")
    finally:
        toggle_debug()
    written = {name: (logs / f"{name}.log").read_text(encoding="utf-8")
               for name in ("rasa", "actions", "web")}
    for name, text in written.items():
        for secret in ("06 12 34 56 78", "jean.dupont", "gmail.com", "Dupont"):
            assert secret not in text, (name, secret)
        odd = [line for line in text.splitlines() if not LINE.match(line)]
        assert odd == [], (name, odd[:3])
    rasa = written["rasa"]
    assert "mon num c [téléphone] et mon mail [e-mail]" in rasa  # Rasa's debug line, masked
    assert "je m'appelle [prénom]" in rasa
