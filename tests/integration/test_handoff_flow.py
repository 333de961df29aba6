"""A person asks for a counsellor in the chat page; a counsellor logs into the dashboard,
answers, the answer appears in the chat; the web app restarts in the middle; the counsellor
closes and Indy answers again. Both sides in real headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.settings import ROOT
from tests.integration.conftest import restart

pytestmark = pytest.mark.integration
CHROMIUM = "/usr/bin/chromium"


def test_request_ticket_take_reply_restart_close_and_indy_is_back(stack):
    settings, processes = stack
    env = {**os.environ, "INDY_DATABASE_URL": settings.database_url,
           "INDY_NEW_PASSWORD": "motdepasse-solide"}
    done = subprocess.run([sys.executable, "-m", "bot", "counsellor", "add", "julie",
                           "--name", "Julie", "--team", "ml-thiers"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    base = f"http://127.0.0.1:{settings.web_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        person = browser.new_context(viewport={"width": 400, "height": 800}).new_page()
        person.goto(base + "/")
        expect(person.locator("li.message.bot", has_text="privé")).to_be_visible(timeout=30_000)

        def say(text: str) -> None:
            person.fill("#text", text)
            person.press("#text", "Enter")

        def bot_says(pattern: str):
            return expect(person.locator("li.message.bot", has_text=pattern).last)

        say("je veux parler à un conseiller")
        bot_says("transmets notre conversation").to_be_visible(timeout=30_000)
        person.locator("li.buttons button", has_text="Oui, transmets").last.click()
        bot_says("Comment veux-tu qu'on t'appelle").to_be_visible(timeout=30_000)
        say("Léa")
        bot_says("numéro ou un e-mail").to_be_visible(timeout=30_000)
        say("non")
        bot_says("Ta demande : IND-").to_be_visible(timeout=30_000)
        reference = person.locator("li.message.bot", has_text="Ta demande : IND-").last \
            .inner_text().split("Ta demande : ")[1][:9]

        desk = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
        desk.goto(base + "/conseillers")
        desk.fill("#username", "julie")
        desk.fill("#password", "motdepasse-solide")
        desk.click("button[type=submit]")
        desk.click(f"text={reference}")
        expect(desk.locator(".msg.user", has_text="je veux parler à un conseiller")).to_be_visible()
        desk.click("text=Je prends")
        expect(desk.locator("text=Prise en charge").first).to_be_visible()
        bot_says("Julie a pris ta demande").to_be_visible(timeout=15_000)

        restart(settings, processes, "web")  # nothing is lost: all of it is in the database
        desk.reload()
        desk.fill("#reply", "Bonjour Léa, je suis Julie. Tu cherches dans quel métier ?")
        desk.click("button:has-text(\"Envoyer\")")
        expect(person.locator("li.message.counsellor", has_text="💬 Julie : Bonjour Léa")
               ).to_be_visible(timeout=20_000)  # a person's bubble, not Indy's

        say("soudeuse, vers Thiers")  # Indy stays quiet: it goes to Julie
        desk.wait_for_timeout(1500)
        desk.reload()
        expect(desk.locator(".msg.user", has_text="soudeuse, vers Thiers")).to_be_visible()
        assert person.locator("li.message.bot", has_text="soudeuse").count() == 0

        desk.select_option("#outcome", "immersion")
        desk.click("button:has-text(\"Clôturer\")")
        expect(desk.locator("text=Clôturée").first).to_be_visible()
        bot_says("Indy est de retour").to_be_visible(timeout=20_000)
        say("c'est quoi la mrs")
        bot_says("simulation").to_be_visible(timeout=30_000)
        shots = ROOT / "reports" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        person.screenshot(path=str(shots / "handoff_chat.png"), full_page=True)
        desk.goto(f"{desk.url}")
        desk.screenshot(path=str(shots / "handoff_dashboard.png"), full_page=True)
        browser.close()
