"""The web chat page in a real browser (Debian chromium driven by Playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.settings import ROOT

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "reports" / "screenshots"


@pytest.fixture(scope="module")
def page(stack):
    assert CHROMIUM.exists(), "chromium is missing: run `make browser` (apt-get install chromium)"
    settings = stack[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 420, "height": 820}, locale="fr-FR")
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{settings.web_port}/")
        yield page
        browser.close()


def test_greeting_then_a_question_then_a_button(page):
    bot = page.locator("li.message.bot:not(.pending)")
    expect(bot.first).to_contain_text("Indy", timeout=30_000)
    expect(page.locator("li.message.bot", has_text="privé")).to_be_visible()

    page.fill("#text", "c koi la mrs")
    page.press("#text", "Enter")
    expect(page.locator("li.message.bot", has_text="simulation").first).to_be_visible(
        timeout=30_000)

    buttons = page.locator("li.buttons button")
    expect(buttons.last).to_be_visible()
    before = bot.count()
    title = buttons.last.inner_text()
    buttons.last.click()
    expect(page.locator("li.message.user", has_text=title)).to_be_visible()
    expect(bot).not_to_have_count(before, timeout=30_000)

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "web_chat.png"), full_page=True)


def test_text_is_never_html(page):
    page.fill("#text", "<b>gras</b> <img src=x onerror=alert(1)>")
    page.press("#text", "Enter")
    shown = page.locator("li.message.user").last
    expect(shown).to_have_text("<b>gras</b> <img src=x onerror=alert(1)>")
    assert page.locator("li.message img").count() == 0
