"""A counsellor's message reaches the chat page and the kiosk once, and is marked delivered only
after the page has shown it (GET /api/updates?after=…): an answer lost on the way loses
nothing. In real Chromium against the real web app; Rasa is not needed for that part
(nothing listens on its port, Indy's answers are the polite technical message)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from bot.catalogue.db import session_scope
from bot.handoff import outbox
from bot.handoff.models import OutboxMessage
from bot.settings import ROOT
from tests.support.servers import _wait_port, free_port

pytestmark = pytest.mark.integration
CHROMIUM = "/usr/bin/chromium"
POLLS_S = 10  # three polls of the page at least (every 3 s)


@pytest.fixture
def web_app(empty_catalogue, tmp_path):
    port = free_port()
    env = {**os.environ, "INDY_DATABASE_URL": empty_catalogue, "INDY_WEB_PORT": str(port),
           "INDY_RASA_PORT": "9", "INDY_PURGE_EVERY_H": "0", "INDY_VAR_DIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "bot", "web"], cwd=ROOT, env=env)
    try:
        _wait_port(port, process)
        yield f"http://127.0.0.1:{port}", empty_catalogue
    finally:
        process.terminate()
        process.wait(timeout=15)


def _news_for(url: str, sender: str, text: str) -> None:
    with session_scope(url) as session:
        outbox.enqueue(session, f"test-{sender}-{text}", "rest", sender, text)


def _status(url: str, sender: str) -> list[str]:
    with session_scope(url) as session:
        return list(session.execute(select(OutboxMessage.status).where(
            OutboxMessage.recipient == sender)).scalars())


def lose_the_first_answer_with_news(page) -> list[str]:
    """The network drops the first /api/updates answer that carries a message (the server had
    answered): before, that message was marked delivered and never shown."""
    lost: list[str] = []

    def handle(route) -> None:
        response = route.fetch()
        if not lost and json.loads(response.text()).get("messages"):
            lost.append(route.request.url)
            route.abort()
            return
        route.fulfill(response=response)

    page.route("**/api/updates*", handle)
    return lost


def test_news_show_once_in_the_chat_page_and_the_kiosk_then_are_acknowledged(web_app):
    base, url = web_app
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        lost = lose_the_first_answer_with_news(page)
        page.goto(base + "/")
        expect(page.locator("li.message.bot", has_text="souci technique").first).to_be_visible(
            timeout=20_000)
        sender = page.evaluate("sessionStorage.getItem('indy-sender')")
        assert sender.startswith("web-")
        _news_for(url, sender, "💬 Julie : Bonjour !")
        news = page.locator("li.message.bot", has_text="Julie : Bonjour")
        expect(news).to_have_count(1, timeout=15_000)
        assert lost  # it was answered once already, and that answer was lost
        page.wait_for_timeout(POLLS_S * 1000)  # (the routes above run meanwhile)
        expect(news).to_have_count(1)  # shown once, though polled again and again
        assert _status(url, sender) == ["sent"]  # acknowledged by the next poll

        kiosk = browser.new_context(viewport={"width": 800, "height": 1280},
                                    has_touch=True).new_page()
        senders: list[str] = []
        kiosk.on("request", lambda r: senders.append(json.loads(r.post_data)["sender"])
                 if r.url.endswith("/api/chat") else None)
        lost_at_kiosk = lose_the_first_answer_with_news(kiosk)
        kiosk.goto(base + "/kiosk")
        kiosk.locator(".tile").first.click()
        expect(kiosk.locator("li.message.bot", has_text="souci technique").first).to_be_visible(
            timeout=20_000)
        assert senders and senders[0].startswith("kiosk-")
        _news_for(url, senders[0], "💬 Julie : On se voit au bus ?")
        at_kiosk = kiosk.locator("li.message.bot", has_text="On se voit au bus")
        expect(at_kiosk).to_have_count(1, timeout=15_000)
        assert lost_at_kiosk
        kiosk.wait_for_timeout(POLLS_S * 1000)
        expect(at_kiosk).to_have_count(1)
        assert _status(url, senders[0]) == ["sent"]
        browser.close()
