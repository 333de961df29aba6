"""The counsellors' desk as a counsellor sees it, in real Chromium (Debian's, through Playwright)
against the real web app (Rasa is not needed): the queue and a ticket's conversation update
without a reload; targets of 44 px; axe finds nothing serious. Screenshots of the queue and a
ticket at 390×844 and 1280×800 go to reports/desk-*.png."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.catalogue.db import session_scope
from bot.handoff import accounts, tickets
from bot.identity import issue_browser_id
from bot.settings import ROOT
from tests.integration.test_page_news import web_app  # noqa: F401 - the fixture
from tests.integration.test_what_people_see import serious, small_targets

pytestmark = pytest.mark.integration
CHROMIUM = "/usr/bin/chromium"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
NEWS_MS = 15_000  # the pages poll every 3 s after a change, then less and less
NOW = datetime.now(ZoneInfo("Europe/Paris"))


def shot(page, name: str) -> None:
    (ROOT / "reports").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "reports" / f"desk-{name}.png"), full_page=True)


def new_ticket(url: str, first_name: str, said: list[str], **profile) -> tuple[int, str]:
    sender = issue_browser_id("web")
    with session_scope(url) as session:
        tickets.create_ticket(session, tickets.Request(
            sender_id=sender, channel="rest", first_name=first_name, contact="",
            reason="request", profile=profile,
            transcript=[("user", text) for text in said] + [("bot", "Je transmets.")]), NOW)
        return tickets.open_ticket_for(session, sender).id, sender


def log_in(page, base: str) -> None:
    page.goto(base + "/conseillers")
    page.fill("#username", "julie")
    page.fill("#password", "motdepasse-solide")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Demandes en cours", timeout=10_000)


@pytest.fixture
def desk(web_app):  # noqa: F811 - the fixture imported above
    base, url = web_app
    with session_scope(url) as session:
        accounts.add_counsellor(session, "julie", "Julie", "motdepasse-solide", team="ml-thiers")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser, base, url
        browser.close()


def test_queue_and_ticket_update_without_a_reload(desk):
    browser, base, url = desk
    page = browser.new_context(viewport=SIZES["desktop"], locale="fr-FR",
                               bypass_csp=True).new_page()  # (bypass: to inject axe)
    log_in(page, base)
    expect(page.get_by_text("Aucune demande en attente")).to_be_visible()
    assert page.get_by_text("Actualiser").count() == 0
    page.evaluate("window.sameDocument = true")  # gone with a reload
    new_ticket(url, "Noa", ["je cherche un job en soudure"], trade="soudeur",
               place_name="Thiers")
    row = page.locator("#queue-list a", has_text="IND-")
    expect(row).to_have_count(1, timeout=NEWS_MS)
    expect(page.locator("#queue-list")).to_contain_text("Noa")
    assert page.evaluate("window.sameDocument"), "no reload"

    row.click()
    expect(page.locator(".msg.user", has_text="soudure")).to_be_visible()
    ticket_id = int(page.url.rsplit("/", 1)[1].split("#")[0])
    page.evaluate("window.sameDocument = true")
    with session_scope(url) as session:
        tickets.record_user_message(session, session.get(tickets.Ticket, ticket_id),
                                    "vous êtes toujours là ?")
    fresh = page.locator("#conversation .msg.user", has_text="toujours là")
    expect(fresh).to_be_visible(timeout=NEWS_MS)
    assert page.evaluate("window.sameDocument"), "no reload"
    assert page.evaluate("""() => { const c = document.getElementById('conversation');
        return c.scrollTop + c.clientHeight >= c.scrollHeight - 2; }"""), "newest in view"
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_desk_pages_targets_accessibility_and_screenshots(desk, size):
    browser, base, url = desk
    page = browser.new_context(viewport=SIZES[size], locale="fr-FR", bypass_csp=True,
                               is_mobile=size == "phone", has_touch=size == "phone").new_page()
    ticket_id, _ = new_ticket(url, "Léa", ["je veux un job en usinage vers Thiers",
                                            "j'ai pas de voiture"],
                              trade="usineur", place_name="Thiers", offer="Usineur CN")
    new_ticket(url, "Sam", ["je sais pas quoi faire"])
    log_in(page, base)
    expect(page.locator("#queue-list a", has_text="IND-")).to_have_count(2)
    assert small_targets(page, "main button, main input, main a, main select") == []
    assert serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "no overflow"
    shot(page, f"queue-{size}")
    page.goto(f"{base}/conseillers/demandes/{ticket_id}")
    expect(page.locator(".msg.user").first).to_be_visible()
    page.fill("#note-text", "Rappeler après 17 h.")
    page.click("#note button")
    expect(page.locator(".msg.note", has_text="17 h")).to_be_visible()
    assert page.url.endswith("#note"), "back where the counsellor was"
    page.fill("#reply", "Salut Léa.")
    page.select_option("#canned", label="Permanence à Thiers")
    page.click("#insert-canned")
    assert page.input_value("#reply").startswith("Salut Léa. La Mission Locale t'accueille")
    assert small_targets(page, "main button, main input, main a, main select") == []
    assert serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "no overflow"
    reply = page.locator("#reply").bounding_box()
    talk = page.locator("#conversation").bounding_box()
    if size == "desktop":  # beside the conversation, on the first screen
        assert reply["x"] > talk["x"] + talk["width"] - 1 and reply["y"] < SIZES[size]["height"]
    else:
        assert reply["y"] < talk["y"], "above the conversation"
    shot(page, f"ticket-{size}")
    page.goto(f"{base}/conseillers")
    page.fill("#q", "usinage")
    page.press("#q", "Enter")
    expect(page.locator("table.queue a", has_text="IND-")).to_have_count(1)
    assert small_targets(page, "main button, main input, main a, main select") == []
    assert serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "no overflow"
    shot(page, f"search-{size}")
    page.goto(f"{base}/conseillers/demandes/{ticket_id}")
    page.click("#cloturer button")  # no outcome chosen: the browser asks for one
    page.wait_for_timeout(300)
    assert page.evaluate("document.getElementById('outcome').validity.valueMissing")
    with session_scope(url) as session:
        assert session.get(tickets.Ticket, ticket_id).status == "waiting"
    page.context.close()


def test_alerts_only_when_asked_and_no_polling_while_hidden_otherwise(desk):
    browser, base, url = desk
    context = browser.new_context(viewport=SIZES["desktop"], locale="fr-FR")
    context.add_init_script("""window.asked = 0; window.Notification = function () {};
        Notification.permission = 'default';
        Notification.requestPermission = () => {
            window.asked += 1; return Promise.resolve('granted'); };""")
    page = context.new_page()
    polls = []
    page.on("request", lambda r: "/conseillers/file" in r.url and polls.append(r.url))
    log_in(page, base)
    page.wait_for_timeout(4000)
    assert page.evaluate("window.asked") == 0, "never asked without a click"
    button = page.get_by_role("button", name="Me prévenir")
    expect(button).to_have_attribute("aria-pressed", "false")
    page.evaluate("""() => { Object.defineProperty(document, 'hidden',
        {get: () => true, configurable: true});
        document.dispatchEvent(new Event('visibilitychange')); }""")
    page.wait_for_timeout(200)
    hidden = len(polls)
    page.wait_for_timeout(7000)
    assert len(polls) == hidden, "alerts off: no polling while the tab is hidden"
    page.evaluate("""() => { Object.defineProperty(document, 'hidden',
        {get: () => false, configurable: true});
        document.dispatchEvent(new Event('visibilitychange')); }""")
    page.wait_for_timeout(500)
    assert len(polls) == hidden + 1, "back at once"
    button.click()
    expect(page.get_by_role("button", name="Alertes activées")).to_have_attribute(
        "aria-pressed", "true")
    assert page.evaluate("window.asked") == 1
    context.close()
