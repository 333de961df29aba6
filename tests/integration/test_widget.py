"""The website widget in real headless Chromium: one <script> line on a partner's page, a
conversation over socket.io, quick replies, the session kept across pages, safe rendering,
accessibility checked with axe-core, screenshots at phone and desktop sizes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.catalogue.db import session_scope
from bot.handoff import accounts, tickets
from bot.settings import ROOT
from tests.conftest import use_database

pytestmark = pytest.mark.integration
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "reports" / "screenshots"


def serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [f"{v['id']}: {v['help']}" for v in violations
            if v["impact"] in ("serious", "critical")]


def session_id(page) -> str:
    return page.evaluate("localStorage.getItem('indy-widget-session')")


def test_the_widget_on_a_partner_page(stack, monkeypatch):
    settings = stack[0]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        # bypass_csp: only so that the test can inject axe-core into the page
        page = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True,
                                   has_touch=True, bypass_csp=True).new_page()
        page.goto(f"http://127.0.0.1:{settings.web_port}/exemple")
        bubble = page.locator(".indy-bubble")
        expect(bubble).to_be_visible()
        bubble.click()
        expect(page.locator(".indy-panel")).to_be_visible()
        bot = page.locator(".indy-msg.indy-bot")
        expect(bot.filter(has_text="privé")).to_be_visible(timeout=30_000)
        assert page.evaluate("document.activeElement.id") == "indy-input"

        page.fill("#indy-input", "c koi la mrs")
        page.press("#indy-input", "Enter")
        expect(bot.filter(has_text="simulation").first).to_be_visible(timeout=30_000)
        before = bot.count()
        page.locator(".indy-buttons button", has_text="Voir les offres").last.click()
        expect(bot).not_to_have_count(before, timeout=30_000)

        page.fill("#indy-input", "<img src=x onerror=alert(1)>")
        page.press("#indy-input", "Enter")
        expect(page.locator(".indy-msg.indy-user").last).to_have_text(
            "<img src=x onerror=alert(1)>")
        assert page.locator(".indy-panel img").count() == 0

        assert serious(page) == []
        page.screenshot(path=str(SHOTS / "widget_phone.png"))
        conversation = session_id(page)
        assert re.fullmatch(r"widget-[0-9a-f]{24}-[0-9a-f]{32}", conversation)  # the server's

        # A counsellor, asked for in the widget, answers in the widget; then Indy is back.
        page.fill("#indy-input", "je veux parler à un conseiller")
        page.press("#indy-input", "Enter")
        page.locator(".indy-buttons button", has_text="Oui, transmets").last.click()
        expect(bot.filter(has_text="Comment veux-tu").last).to_be_visible(timeout=30_000)
        page.fill("#indy-input", "Sam")
        page.press("#indy-input", "Enter")
        expect(bot.filter(has_text="numéro ou un e-mail").last).to_be_visible(timeout=30_000)
        page.fill("#indy-input", "non")
        page.press("#indy-input", "Enter")
        expect(bot.filter(has_text="Ta demande : IND-").last).to_be_visible(timeout=30_000)
        with use_database(settings.database_url, monkeypatch):
            with session_scope() as session:
                ticket = tickets.open_ticket_for(session, session_id(page))
                julie = accounts.add_counsellor(session, "julie-w", "Julie", "motdepasse-solide",
                                                team=ticket.team)  # a counsellor of its team
                assert ticket.channel == "socketio"
                tickets.reply(session, ticket.id, julie, "Bonjour Sam, je suis là.")
            expect(page.locator(".indy-msg.indy-counsellor", has_text="💬 Julie : Bonjour Sam")
                   .last).to_be_visible(
                timeout=20_000)
            with session_scope() as session:
                tickets.close(session, ticket.id, julie, "oriented")
        expect(bot.filter(has_text="Indy est de retour").last).to_be_visible(timeout=20_000)
        page.fill("#indy-input", "c'est quoi une pmsmp")
        page.press("#indy-input", "Enter")
        expect(bot.filter(has_text="PMSMP").last).to_be_visible(timeout=30_000)

        page.keyboard.press("Escape")
        expect(page.locator(".indy-panel")).to_be_hidden()
        page.reload()  # another page of the partner's site: the same conversation
        assert session_id(page) == conversation

        desktop = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        desktop.goto(f"http://127.0.0.1:{settings.web_port}/exemple")
        desktop.locator(".indy-bubble").click()
        expect(desktop.locator(".indy-msg.indy-bot").filter(has_text="privé")).to_be_visible(
            timeout=30_000)
        desktop.screenshot(path=str(SHOTS / "widget_desktop.png"))
        # Zoom 200 %: a 1280×800 screen at 200 % is a 640×400 CSS viewport.
        zoomed = browser.new_context(viewport={"width": 640, "height": 400},
                                     device_scale_factor=2).new_page()
        zoomed.goto(f"http://127.0.0.1:{settings.web_port}/exemple")
        zoomed.locator(".indy-bubble").click()
        expect(zoomed.locator("#indy-input")).to_be_in_viewport()
        expect(zoomed.locator(".indy-close")).to_be_in_viewport()
        assert zoomed.evaluate("document.documentElement.scrollWidth <= innerWidth")
        zoomed.screenshot(path=str(SHOTS / "widget_zoom200.png"))
        size = desktop.evaluate(
            "fetch('/widget.js').then(r => r.text()).then(t => t.length)")
        assert size < 20_000  # light: a few KB, plus the 48 KB vendored socket.io client
        browser.close()
