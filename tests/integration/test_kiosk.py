"""The job bus kiosk page (/kiosk) on a tablet, in a real browser (Debian chromium)."""

from __future__ import annotations

import json
import os
import re

import pytest
from playwright.sync_api import expect

from bot.settings import ROOT

pytestmark = pytest.mark.integration

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "reports" / "screenshots"
LANDSCAPE = {"width": 1024, "height": 768}
PORTRAIT = {"width": 768, "height": 1024}
IDLE_MS = 90_000
CONFIRM_MS = 15_000
ANSWER_MS = 30_000
BOT = "li.message.bot:not(.pending)"
MRS = "Recrutement sans CV — MRS"
OFFLINE = "La connexion ne passe pas. Réessaie dans un instant."


@pytest.fixture
def open_kiosk(stack, browser):
    """Opens /kiosk on a fresh touch tablet; the page records the senders it chats as and
    the errors it logs (a Content-Security-Policy violation shows up there)."""
    url = f"http://127.0.0.1:{stack[0].web_port}/kiosk"
    contexts = []

    def _open(viewport=LANDSCAPE, clock=False, bypass_csp=False):
        context = browser.new_context(
            viewport=viewport, has_touch=True, locale="fr-FR", bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        page.senders = []
        page.errors = []

        def on_request(request):
            if request.url.endswith("/api/chat"):
                page.senders.append(json.loads(request.post_data)["sender"])

        page.on("request", on_request)
        page.on("console", lambda m: m.type == "error" and page.errors.append(
            f"{m.text} ({m.location.get('url')})"))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        if clock:
            page.clock.install()
        page.goto(url)
        expect(page.locator("#start")).to_be_visible()
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def kiosk(open_kiosk):
    return open_kiosk()


def start_with_mrs(page):
    page.locator(".tile", has_text="Recrutement sans CV").tap()
    expect(page.locator("#talk")).to_be_visible()
    expect(page.locator(BOT, has_text="simulation").first).to_be_visible(timeout=ANSWER_MS)


def expect_start_screen_again(page):
    expect(page.locator("#start")).to_be_visible()
    expect(page.locator("#talk")).to_be_hidden()
    expect(page.locator("#messages li")).to_have_count(0)
    expect(page.locator("#text")).to_have_value("")


def expect_new_sender_next_time(page):
    old = list(page.senders)
    assert old and len(set(old)) == 1, old
    start_with_mrs(page)
    assert page.senders[-1] != old[0]
    assert re.fullmatch(r"kiosk-[0-9a-f]{24}-[0-9a-f]{32}", page.senders[-1])  # the server's


def test_a_tile_starts_the_conversation_then_a_quick_reply(kiosk):
    page = kiosk
    start_with_mrs(page)
    expect(page.locator("li.message.user")).to_have_text([MRS])

    replies = page.locator("li.buttons button")
    expect(replies.first).to_be_visible()
    before = page.locator(BOT).count()
    title = replies.first.inner_text()
    replies.first.tap()
    expect(page.locator("li.message.user").last).to_have_text(title)
    expect(page.locator(BOT)).not_to_have_count(before, timeout=ANSWER_MS)
    expect(page.locator("li.message.error")).to_have_count(0)
    assert page.errors == []


def test_typing_with_the_keyboard(kiosk):
    page = kiosk
    start_with_mrs(page)
    before = page.locator(BOT).count()
    field = page.locator("#text")
    assert field.get_attribute("enterkeyhint") == "send"
    field.tap()
    page.keyboard.type("c koi la mrs")
    page.keyboard.press("Enter")
    expect(page.locator("li.message.user").last).to_have_text("c koi la mrs")
    expect(field).to_have_value("")
    expect(page.locator(BOT)).not_to_have_count(before, timeout=ANSWER_MS)
    expect(page.locator("li.message.error")).to_have_count(0)


def test_a_failed_send_keeps_the_typed_text(kiosk):
    page = kiosk
    start_with_mrs(page)
    page.route("**/api/chat", lambda route: route.abort())
    page.locator("#text").tap()
    page.keyboard.type("et le salaire ?")
    page.get_by_role("button", name="Envoyer").tap()
    expect(page.locator("li.message.error")).to_have_text(OFFLINE)
    expect(page.locator("#text")).to_have_value("et le salaire ?")
    expect(page.locator("li.message.user", has_text="et le salaire")).to_have_count(0)


def test_idle_asks_then_wipes(open_kiosk):
    page = open_kiosk(clock=True)
    start_with_mrs(page)
    overlay = page.locator("#idle-dialog")

    page.locator("#talk-title").tap()  # a touch restarts the count
    page.clock.fast_forward(IDLE_MS - 5_000)
    expect(overlay).to_be_hidden()
    page.clock.fast_forward(6_000)
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text("Tu es toujours là ?")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "kiosk_idle_1024x768.png"))

    page.get_by_role("button", name="Oui, je continue").tap()
    expect(overlay).to_be_hidden()
    expect(page.locator(BOT, has_text="simulation").first).to_be_visible()

    page.clock.fast_forward(IDLE_MS + 1_000)
    expect(overlay).to_be_visible()
    page.clock.fast_forward(CONFIRM_MS - 3_000)
    expect(page.locator("#countdown")).to_have_text("3")
    expect(page.locator("#messages li").first).to_be_attached()
    page.clock.fast_forward(3_000)
    expect(overlay).to_be_hidden()
    expect_start_screen_again(page)

    stored = page.evaluate(
        "() => ({session: sessionStorage.length, local: localStorage.length,"
        " dump: JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])})")
    assert stored["session"] == 0 and stored["local"] == 0, stored
    assert page.senders[0] not in stored["dump"]
    expect_new_sender_next_time(page)


def test_terminer_asks_then_wipes(kiosk):
    page = kiosk
    start_with_mrs(page)
    page.locator("#text").fill("un brouillon")
    page.get_by_role("button", name="Terminer").tap()
    expect(page.locator("#end-dialog")).to_contain_text("Tout effacer ?")
    page.get_by_role("button", name="Oui, effacer").tap()
    expect_start_screen_again(page)
    expect_new_sender_next_time(page)


def test_continue_on_phone(kiosk):
    if os.environ.get("INDY_TELEGRAM_BOT_USERNAME"):
        pytest.skip("Telegram is configured here")
    page = kiosk
    start_with_mrs(page)
    dialog = page.locator("#phone-dialog")
    page.get_by_role("button", name="Continuer sur mon téléphone").tap()
    # Without Telegram: this conversation in the phone's browser (a one-time code).
    expect(dialog).to_contain_text("la conversation s'ouvre dans ton navigateur")
    qr = page.locator("#qr")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/gif;base64,")
    page.get_by_role("button", name="Fermer").tap()
    expect(dialog).to_be_hidden()

    # With Telegram configured, the link becomes a QR code to Telegram.
    page.route("**/api/continue", lambda route: route.fulfill(
        json={"code": "AbCdEf123456", "link": "https://t.me/indy_bot?start=AbCdEf123456"}))
    page.get_by_role("button", name="Continuer sur mon téléphone").tap()
    expect(dialog).to_contain_text(
        "Scanne ce code avec ton téléphone pour continuer sur Telegram.")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 200
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "kiosk_phone_1024x768.png"))
    assert page.errors == []


def serious(page) -> list[dict]:
    violations = page.evaluate(
        "async () => (await axe.run()).violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))")
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_accessibility(open_kiosk):
    page = open_kiosk(bypass_csp=True)  # axe is injected as an inline script
    page.add_script_tag(path=str(AXE))
    found = serious(page)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    start_with_mrs(page)
    found = serious(page)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_tablet_layout_and_screenshots(open_kiosk, viewport):
    page = open_kiosk(viewport=viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    SHOTS.mkdir(parents=True, exist_ok=True)

    font = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 1.4 * 16
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    tiles = page.locator(".tile")
    expect(tiles).to_have_count(8)
    for i in range(8):
        box = tiles.nth(i).bounding_box()
        assert box["height"] >= 64 and box["width"] >= 64, box
        assert box["y"] + box["height"] <= viewport["height"], "tiles fit without scrolling"
    page.screenshot(path=str(SHOTS / f"kiosk_start_{size}.png"))

    start_with_mrs(page)
    targets = page.locator("li.buttons button, #composer button, #composer input, .action")
    for i in range(targets.count()):
        box = targets.nth(i).bounding_box()
        assert box["height"] >= 64, (targets.nth(i).inner_text(), box)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(SHOTS / f"kiosk_chat_{size}.png"))
