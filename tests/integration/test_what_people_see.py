"""What a young person sees, in real Chromium (Debian's, through Playwright) on a phone, a tablet
and a desktop: a reload brings the conversation back from the server (mid-conversation and
mid-handoff) without greeting again; the message box stays visible and tappable, the keyboard
open too; every target is 44 px at least; a counsellor's reply looks like a person's; the chat
page backs off its polling; axe finds nothing critical or serious. Screenshots of each state
go to reports/screenshots/."""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from bot.catalogue.db import session_scope
from bot.handoff import accounts, tickets
from bot.settings import ROOT
from tests.conftest import use_database
from tests.support.servers import free_port

pytestmark = pytest.mark.integration
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "reports" / "screenshots"
ANSWER_MS = 30_000
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "tablet": {"width": 800, "height": 1280},
             "desktop": {"width": 1366, "height": 768}}
KEYBOARD_PX = 300  # an on-screen keyboard takes about this much of a phone's height
MIN_TARGET = 44
BOT = "li.message.bot:not(.pending)"


def new_page(browser, size: str):
    phone = size == "phone"
    # bypass_csp: only so that the test can inject axe-core into the page
    context = browser.new_context(viewport=VIEWPORTS[size], is_mobile=phone, has_touch=phone,
                                  locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.sent = []  # what the page sent to /api/chat

    def on_request(request):
        if request.url.endswith("/api/chat"):
            page.sent.append(json.loads(request.post_data)["message"])

    page.on("request", on_request)
    return page


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}" for v in violations
            if v["impact"] in ("serious", "critical")]


def small_targets(page, selector: str) -> list[str]:
    """Visible targets smaller than 44 × 44 px (what a thumb needs)."""
    return page.evaluate("""([selector, min]) => Array.from(document.querySelectorAll(selector))
        .filter(e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed')
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width > 0 && (r.width < min || r.height < min))
        .map(([e, r]) => `${e.tagName} «${(e.textContent || e.placeholder || '').trim()}»`
                         + ` ${Math.round(r.width)}×${Math.round(r.height)}`)""",
                         [selector, MIN_TARGET])


def fully_visible(page, selector: str) -> bool:
    """Inside the visible part of the screen (not below the fold, not under a keyboard)."""
    return page.evaluate("""(selector) => {
        const r = document.querySelector(selector).getBoundingClientRect();
        const h = window.visualViewport ? window.visualViewport.height : innerHeight;
        return r.top >= 0 && r.bottom <= h + 0.5 && r.left >= 0 && r.right <= innerWidth + 0.5;
    }""", selector)


def say(page, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def keyboard_open(page, size: str):
    """An on-screen keyboard, as the browser resizes the page for it."""
    viewport = VIEWPORTS[size]
    page.set_viewport_size({"width": viewport["width"],
                            "height": viewport["height"] - KEYBOARD_PX})
    page.wait_for_timeout(300)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_chat_page_layout_reload_and_targets(browser, stack, size):
    base = f"http://127.0.0.1:{stack[0].web_port}"
    page = new_page(browser, size)
    page.goto(base + "/")
    expect(page.locator(BOT, has_text="privé")).to_be_visible(timeout=ANSWER_MS)
    assert fully_visible(page, "#text") and fully_visible(page, "#composer button")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    shot(page, f"chat_greeting_{size}")

    say(page, "c koi la mrs")
    expect(page.locator(BOT, has_text="simulation").first).to_be_visible(timeout=ANSWER_MS)
    expect(page.locator("li.buttons button").last).to_be_visible()
    page.wait_for_timeout(300)
    assert fully_visible(page, "#text"), "the message box stays pinned after an answer"
    # A long answer opens at its start: the person's question is still on screen, or the
    # answer's first line at least.
    first_answer = page.locator(BOT, has_text="simulation").first
    top = page.evaluate("(e) => e.getBoundingClientRect().top",
                        first_answer.element_handle())
    list_top = page.evaluate("document.getElementById('messages').getBoundingClientRect().top")
    assert top >= list_top - 1, (top, list_top)
    assert small_targets(page, "button, input, a") == []
    assert serious(page) == []
    shot(page, f"chat_answer_{size}")

    keyboard_open(page, size)
    page.locator("#text").tap() if size == "phone" else page.locator("#text").click()
    assert fully_visible(page, "#text") and fully_visible(page, "#composer button")
    shot(page, f"chat_keyboard_{size}")
    page.set_viewport_size(VIEWPORTS[size])

    before = len(page.sent)
    texts = page.locator("li.message").all_inner_texts()
    page.reload()
    expect(page.locator(BOT, has_text="simulation").first).to_be_visible(timeout=ANSWER_MS)
    expect(page.locator("li.message")).to_have_count(len(texts))
    assert page.locator("li.message").all_inner_texts() == texts
    assert page.sent[before:] == [], "a reload never greets again"
    expect(page.locator("li.buttons button", has_text="Voir les offres")).to_be_visible()
    assert fully_visible(page, "#text")
    shot(page, f"chat_reloaded_{size}")
    page.context.close()


def test_chat_page_reload_in_the_middle_of_a_handoff(browser, stack, monkeypatch):
    settings = stack[0]
    page = new_page(browser, "phone")
    page.goto(f"http://127.0.0.1:{settings.web_port}/")
    expect(page.locator(BOT, has_text="privé")).to_be_visible(timeout=ANSWER_MS)
    say(page, "je veux parler à un conseiller")
    page.locator("li.buttons button", has_text="Oui, transmets").last.click()
    expect(page.locator(BOT, has_text="Comment veux-tu").last).to_be_visible(timeout=ANSWER_MS)
    say(page, "Noa")
    expect(page.locator(BOT, has_text="numéro ou un e-mail").last).to_be_visible(
        timeout=ANSWER_MS)
    say(page, "non")
    expect(page.locator(BOT, has_text="Ta demande : IND-").last).to_be_visible(
        timeout=ANSWER_MS)
    reference = re.search(r"IND-[A-Z0-9]{5}", page.locator(
        BOT, has_text="Ta demande : IND-").last.inner_text()).group(0)
    sender = page.evaluate("sessionStorage.getItem('indy-sender')")
    with use_database(settings.database_url, monkeypatch):
        with session_scope() as session:
            ticket = tickets.open_ticket_for(session, sender)
            sami = accounts.add_counsellor(session, "sami-w", "Sami", "motdepasse-solide",
                                           team=ticket.team)
            tickets.reply(session, ticket.id, sami, "Bonjour Noa, je suis là. Tu cherches quoi ?")
            ticket_id = ticket.id
        reply = page.locator("li.message.counsellor", has_text="Bonjour Noa")
        expect(reply).to_be_visible(timeout=40_000)
        expect(reply.locator(".who")).to_have_text("Conseillère / conseiller")
        say(page, "un job en soudure")  # goes to Sami: Indy stays quiet
        expect(page.locator("li.message.pending")).to_have_count(0, timeout=ANSWER_MS)
        shot(page, "chat_handoff_phone")
        colours = page.evaluate("""() => ['li.message.bot', 'li.message.counsellor'].map(s =>
            getComputedStyle(document.querySelector(s)).backgroundColor)""")
        assert colours[0] != colours[1], "a counsellor's bubble is not Indy's"

        before = len(page.sent)
        texts = page.locator("li.message").all_inner_texts()
        page.reload()
        expect(page.locator("li.message.counsellor", has_text="Bonjour Noa")).to_be_visible(
            timeout=ANSWER_MS)
        assert page.locator("li.message").all_inner_texts() == texts
        expect(page.locator(BOT, has_text=reference)).to_be_visible()
        expect(page.locator("li.message.user", has_text="un job en soudure")).to_be_visible()
        page.wait_for_timeout(4000)  # a poll: nothing shown twice
        assert page.locator("li.message").all_inner_texts() == texts
        assert page.sent[before:] == []
        with session_scope() as session:
            said = [m.text for m in session.get(tickets.Ticket, ticket_id).messages
                    if m.author == "user"]
        assert said.count("bonjour") == 1, "the counsellor never receives a greeting of a reload"
        assert serious(page) == []
        shot(page, "chat_handoff_reloaded_phone")
    page.context.close()


def test_chat_page_polls_less_when_idle_and_not_at_all_when_hidden(browser, stack):
    page = new_page(browser, "phone")
    polls = []
    page.on("request", lambda r: "/api/updates" in r.url and polls.append(r.url))
    page.clock.install()
    page.goto(f"http://127.0.0.1:{stack[0].web_port}/")
    expect(page.locator(BOT, has_text="privé")).to_be_visible(timeout=ANSWER_MS)
    start = len(polls)
    for _ in range(20):  # ten idle minutes, thirty seconds at a time
        page.clock.run_for(30_000)
        page.wait_for_timeout(50)
    idle = len(polls) - start
    assert 0 < idle <= 24, idle  # every 3 s would be 200
    page.evaluate("""() => { Object.defineProperty(document, 'hidden',
        {get: () => true, configurable: true});
        document.dispatchEvent(new Event('visibilitychange')); }""")
    page.wait_for_timeout(200)
    hidden = len(polls)
    for _ in range(10):
        page.clock.run_for(30_000)
        page.wait_for_timeout(50)
    assert len(polls) == hidden, "no polling while the tab is hidden"
    page.evaluate("""() => { Object.defineProperty(document, 'hidden',
        {get: () => false, configurable: true});
        document.dispatchEvent(new Event('visibilitychange')); }""")
    page.clock.run_for(100)
    page.wait_for_timeout(300)
    assert len(polls) == hidden + 1, "back at once when the tab is"
    page.context.close()


def widget_frames(page) -> list[str]:
    """What the widget sends over socket.io."""
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on(
        "framesent", lambda payload: frames.append(payload if isinstance(payload, str) else "")))
    return frames


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_widget_reload_typing_targets_and_no_polling_when_closed(browser, stack, size):
    base = f"http://127.0.0.1:{stack[0].web_port}"
    page = new_page(browser, size)
    frames = widget_frames(page)
    polls = []
    page.on("request", lambda r: "/api/updates" in r.url and polls.append(r.url))
    page.goto(base + "/exemple")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "no overflow"
    shot(page, f"widget_closed_{size}")
    page.locator(".indy-bubble").click()
    bot = page.locator(".indy-msg.indy-bot:not(.indy-typing)")
    expect(bot.filter(has_text="privé")).to_be_visible(timeout=ANSWER_MS)
    typing = page.evaluate("""() => { const i = document.getElementById('indy-input');
        i.value = 'c koi la mrs'; i.form.requestSubmit();
        return !!document.querySelector('.indy-typing'); }""")
    assert typing, "Indy is shown writing while the person waits"
    expect(bot.filter(has_text="simulation").first).to_be_visible(timeout=ANSWER_MS)
    expect(page.locator(".indy-typing")).to_have_count(0)
    page.wait_for_timeout(300)
    assert fully_visible(page, "#indy-input")
    assert small_targets(page, ".indy-widget button, .indy-widget input") == []
    assert serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    shot(page, f"widget_answer_{size}")

    keyboard_open(page, size)
    page.locator("#indy-input").click()
    assert fully_visible(page, "#indy-input"), "the message box above the keyboard"
    shot(page, f"widget_keyboard_{size}")
    page.set_viewport_size(VIEWPORTS[size])

    page.locator(".indy-close").click()
    expect(page.locator(".indy-panel")).to_be_hidden()
    page.wait_for_timeout(500)
    closed = len(polls)
    page.wait_for_timeout(9000)
    assert len(polls) == closed, "no polling once the widget is closed"

    texts = page.locator(".indy-msg").all_inner_texts()
    greetings = sum("/greet" in f for f in frames)
    page.reload()  # the same conversation on another page of the partner's site
    page.locator(".indy-bubble").click()
    expect(bot.filter(has_text="simulation").first).to_be_visible(timeout=ANSWER_MS)
    expect(page.locator(".indy-msg")).to_have_count(len(texts))
    assert page.locator(".indy-msg").all_inner_texts() == texts
    page.wait_for_timeout(1000)
    assert sum("/greet" in f for f in frames) == greetings, "never a greeting on reload"
    shot(page, f"widget_reloaded_{size}")
    page.context.close()


@contextmanager
def partner_site(html: str):
    """A partner's web site on loopback, on a port of its own: an origin territory.yml does not
    list (served for real: Chromium lets a loopback page only reach loopback addresses)."""
    class Page(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def test_widget_on_a_site_not_allowed_says_it_once(browser, stack):
    base = f"http://127.0.0.1:{stack[0].web_port}"
    page = new_page(browser, "phone")
    with partner_site(f'<!doctype html><html lang="fr"><title>Partenaire</title><main><h1>Un '
                      f'site</h1></main><script src="{base}/widget.js" defer></script>'
                      '</html>') as partner:
        page.goto(partner)
        page.locator(".indy-bubble").click()
        expect(page.locator(".indy-error")).to_have_count(1, timeout=10_000)
        page.wait_for_timeout(8000)  # several reconnections, each later than the one before
        expect(page.locator(".indy-error")).to_have_count(1)
        expect(page.locator(".indy-error")).to_contain_text("La connexion ne passe pas")
        expect(page.locator(".indy-typing")).to_have_count(0)
        shot(page, "widget_refused_phone")
    page.context.close()


KIOSK_TILE = "Recrutement sans CV"


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_kiosk_reload_asks_before_wiping_and_targets(browser, stack, size):
    base = f"http://127.0.0.1:{stack[0].web_port}"
    page = new_page(browser, size)
    page.goto(base + "/kiosk")
    assert small_targets(page, "button") == []
    shot(page, f"kiosk_start_{size}")
    page.locator(".tile", has_text=KIOSK_TILE).click()
    expect(page.locator(BOT, has_text="simulation").first).to_be_visible(timeout=ANSWER_MS)
    assert small_targets(page, "button, input") == []
    assert fully_visible(page, "#text")
    shot(page, f"kiosk_answer_{size}")

    texts = page.locator("#messages li.message").all_inner_texts()
    before = len(page.sent)
    page.reload()  # until its own wipe, a reload shows the conversation back
    expect(page.locator(BOT, has_text="simulation").first).to_be_visible(timeout=ANSWER_MS)
    assert page.locator("#messages li.message").all_inner_texts() == texts
    assert page.sent[before:] == []
    shot(page, f"kiosk_reloaded_{size}")

    page.get_by_role("button", name="Terminer").click()
    dialog = page.locator("#end-dialog")
    expect(dialog).to_be_visible()
    assert small_targets(page, "#end-dialog button") == []
    assert serious(page) == []
    shot(page, f"kiosk_end_asked_{size}")
    page.get_by_role("button", name="Non, je continue").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(BOT, has_text="simulation").first).to_be_visible()
    page.get_by_role("button", name="Terminer").click()
    page.get_by_role("button", name="Oui, effacer").click()
    expect(page.locator("#start")).to_be_visible()
    expect(page.locator("#messages li")).to_have_count(0)
    assert page.evaluate("sessionStorage.length") == 0
    page.reload()
    expect(page.locator("#start")).to_be_visible()
    expect(page.locator("#talk")).to_be_hidden()
    page.context.close()


def test_kiosk_continue_on_the_phone_without_telegram(browser, stack):
    base = f"http://127.0.0.1:{stack[0].web_port}"
    kiosk = new_page(browser, "tablet")
    kiosk.goto(base + "/kiosk")
    kiosk.locator(".tile", has_text=KIOSK_TILE).click()
    expect(kiosk.locator(BOT, has_text="simulation").first).to_be_visible(timeout=ANSWER_MS)
    with kiosk.expect_response("**/api/continue") as answer:
        kiosk.get_by_role("button", name="Continuer sur mon téléphone").click()
    given = answer.value.json()
    dialog = kiosk.locator("#phone-dialog")
    expect(dialog).to_contain_text("navigateur")
    expect(kiosk.locator("#qr")).to_be_visible()
    assert given["link"] is None or given["link"].startswith("https://t.me/")
    shot(kiosk, "kiosk_phone_qr_tablet")

    phone = new_page(browser, "phone")
    phone.goto(f"{base}/?reprendre={given['code']}")  # what the QR code opens
    expect(phone.locator(BOT, has_text="simulation").first).to_be_visible(timeout=ANSWER_MS)
    expect(phone.locator("li.message.user").first).to_have_text("Le recrutement sans CV (MRS)")
    assert "reprendre" not in phone.url, "the code leaves the address bar"
    assert phone.sent == [], "the phone goes on with the conversation: no new greeting"
    shot(phone, "chat_resumed_from_kiosk_phone")
    again = new_page(browser, "phone")
    again.goto(f"{base}/?reprendre={given['code']}")  # used: a new conversation, said so
    expect(again.locator(BOT, has_text="Ce code ne marche plus")).to_be_visible(
        timeout=ANSWER_MS)
    expect(again.locator(BOT, has_text="privé")).to_be_visible(timeout=ANSWER_MS)
    for page in (kiosk, phone, again):
        page.context.close()
