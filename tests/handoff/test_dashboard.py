"""The counsellors' dashboard through real HTTP: login, CSRF, escaping, take, reply, close."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.catalogue.db import session_scope
from bot.handoff import accounts, outbox, tickets
from bot.handoff.models import Ticket
from bot.identity import issue_browser_id
from bot.web.app import create_app
from tests.conftest import use_database

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
LEA = issue_browser_id("web")  # the chat page's id, as the web app issues it


@pytest.fixture
def ticket_id(empty_catalogue, monkeypatch):
    monkeypatch.delenv("INDY_COUNSELLORS_CHAT", raising=False)
    with use_database(empty_catalogue, monkeypatch):
        with session_scope() as session:
            accounts.add_counsellor(session, "julie", "Julie", "motdepasse-solide",
                                    team="ml-thiers")
            tickets.create_ticket(session, tickets.Request(
                sender_id=LEA, channel="rest",
                first_name="<script>alert(1)</script>", contact="", reason="offer",
                profile={"trade": "soudeur", "place_name": "Thiers", "offer": "Soudeur TIG"},
                transcript=[("user", "<img src=x onerror=alert(1)> je veux un job")],
            ), NOW)
            created = tickets.open_ticket_for(session, LEA).id
        yield created


def run(check):
    async def go():
        async with TestClient(TestServer(create_app())) as client:
            await check(client)

    asyncio.run(go())


async def login_token(client, headers: dict | None = None) -> str:
    """The login form's token (its cookie comes along in the client's jar)."""
    form = await (await client.get("/conseillers/connexion", headers=headers)).text()
    return csrf_of(form)


async def login(client, username: str = "julie") -> str:
    response = await client.post("/conseillers/connexion", data={
        "username": username, "password": "motdepasse-solide",
        "csrf": await login_token(client)}, allow_redirects=False)
    assert response.status == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    return response.cookies["indy_conseiller"].value


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_the_queue_needs_a_login_and_a_wrong_password_is_refused(ticket_id):
    async def check(client):
        anonymous = await client.get("/conseillers", allow_redirects=False)
        assert anonymous.status == 303 and anonymous.headers["Location"].endswith("/connexion")
        wrong = await client.post("/conseillers/connexion", data={
            "username": "julie", "password": "nope", "csrf": await login_token(client)})
        assert wrong.status == 401 and "incorrect" in await wrong.text()

    run(check)


def test_everything_shown_is_escaped_and_forms_need_the_csrf_token(ticket_id):
    async def check(client):
        await login(client)
        queue = await (await client.get("/conseillers")).text()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in queue and "<script>" not in queue
        page = await (await client.get(f"/conseillers/demandes/{ticket_id}")).text()
        assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page
        assert "Soudeur TIG" in page and "Intérêt pour une offre" in page
        forged = await client.post(f"/conseillers/demandes/{ticket_id}/prendre",
                                   data={"csrf": "forged"})
        assert forged.status == 403

    run(check)


def test_take_reply_close_reach_the_person(ticket_id):
    async def check(client):
        await login(client)
        page = await (await client.get(f"/conseillers/demandes/{ticket_id}")).text()
        token = csrf_of(page)
        taken = await client.post(f"/conseillers/demandes/{ticket_id}/prendre",
                                  data={"csrf": token})
        assert "Prise en charge" in await taken.text()
        await client.post(f"/conseillers/demandes/{ticket_id}/repondre",
                          data={"csrf": token, "text": "Bonjour ! On regarde ça ensemble."})
        news = await (await client.get(f"/api/updates?sender={LEA}")).json()
        assert [m["text"] for m in news["messages"]][-1] == \
            "💬 Julie : Bonjour ! On regarde ça ensemble."
        bad = await client.post(f"/conseillers/demandes/{ticket_id}/cloturer",
                                data={"csrf": token, "outcome": "???"})
        assert bad.status == 409 and "Choisis une issue" in await bad.text()
        closed = await client.post(f"/conseillers/demandes/{ticket_id}/cloturer",
                                   data={"csrf": token, "outcome": "mrs"})
        assert "Clôturée" in await closed.text()
        news = await (await client.get(f"/api/updates?sender={LEA}")).json()
        assert "Indy est de retour" in news["messages"][0]["text"]

    run(check)
    with session_scope() as session:
        assert outbox.pull(session, LEA) == []


def test_a_counsellor_sees_and_acts_on_their_teams_tickets_only(ticket_id):
    """Julie is of ml-thiers (the ticket's team); Bruno of ml-ambert; Alice is an admin."""
    with session_scope() as session:
        accounts.add_counsellor(session, "bruno", "Bruno", "motdepasse-solide", team="ml-ambert")
        accounts.add_counsellor(session, "alice", "Alice", "motdepasse-solide", role="admin")

    async def check(client):
        await login(client, "bruno")
        queue = await (await client.get("/conseillers")).text()
        assert "IND-" not in queue
        page = f"/conseillers/demandes/{ticket_id}"
        assert (await client.get(page)).status == 404
        token = csrf_of(await (await client.get("/conseillers")).text())
        for action, data in (("prendre", {}), ("repondre", {"text": "Je m'en occupe"}),
                             ("cloturer", {"outcome": "mrs"})):
            acted = await client.post(f"{page}/{action}", data={"csrf": token, **data})
            assert acted.status == 404, action  # by its id, not even its existence shows
        huge = "9" * 40
        assert (await client.get(f"/conseillers/demandes/{huge}")).status == 404
        assert (await client.post(f"/conseillers/demandes/{huge}/prendre",
                                  data={"csrf": token})).status == 404

    async def admin(client):
        await login(client, "alice")
        assert "IND-" in await (await client.get("/conseillers")).text()
        assert (await client.get(f"/conseillers/demandes/{ticket_id}")).status == 200

    run(check)
    with session_scope() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket.status == "waiting" and ticket.taken_by is None
        assert [m.author for m in ticket.messages] == ["user"]  # nothing written by Bruno
        assert outbox.pull(session, LEA) == []                    # nothing sent to Léa
    run(admin)


def test_counsellors_pages_are_never_cached(ticket_id):
    async def check(client):
        login_page = await client.get("/conseillers/connexion")
        assert login_page.headers["Cache-Control"] == "no-store"
        await login(client)
        for path in ("/conseillers", f"/conseillers/demandes/{ticket_id}"):
            assert (await client.get(path)).headers["Cache-Control"] == "no-store", path
        assert "no-store" not in (await client.get("/")).headers.get("Cache-Control", "")

    run(check)


def test_logins_are_throttled_and_unknown_usernames_cost_the_same(ticket_id):
    import time

    token = ""

    async def timed(client, username: str) -> float:
        started = time.perf_counter()
        reply = await client.post("/conseillers/connexion", data={
            "username": username, "password": "pas le bon", "csrf": token})
        assert reply.status == 401
        return time.perf_counter() - started

    async def check(client):
        nonlocal token
        token = await login_token(client)
        # As slow for a username that does not exist as for one that does (one scrypt each).
        # The fastest of several tries: the least disturbed by the machine's load. Before,
        # an unknown username cost two scrypt runs (a ratio of 2).
        known = min([await timed(client, "julie") for _ in range(4)])
        unknown = min([await timed(client, f"personne-{n}") for n in range(8)])
        assert unknown < known * 1.6, (known, unknown)
        # Julie's fifth failure: now even the right password waits, and says so.
        await timed(client, "julie")
        blocked = await client.post("/conseillers/connexion", allow_redirects=False, data={
            "username": "julie", "password": "motdepasse-solide", "csrf": token})
        assert blocked.status == 429 and "Réessaie dans" in await blocked.text()
        assert int(blocked.headers["Retry-After"]) > 0

    run(check)


def test_news_stay_until_the_page_has_them_and_a_refused_message_shows_on_the_ticket(
        ticket_id):
    from bot.notify import TelegramTransport
    from tests.support.telegram_api import TelegramApi

    with session_scope() as session:
        julie = session.query(accounts.Counsellor).filter_by(username="julie").one()
        tickets.reply(session, ticket_id, julie, "Bonjour Léa")
        tickets.create_ticket(session, tickets.Request(
            sender_id="777", channel="telegram", first_name="Sam", contact="", reason="request",
            profile={}, transcript=[]), NOW)
        blocked = tickets.open_ticket_for(session, "777")
        tickets.reply(session, blocked.id, julie, "Tu es là ?")
    with TelegramApi() as api:
        api.failures = [(403, None), (403, None)]  # Sam blocked the bot
        with session_scope() as session:
            outbox.deliver_due(session, {"telegram": TelegramTransport(api.token, api.base_url)},
                               datetime.utcnow())

    async def check(client):
        news = f"/api/updates?sender={LEA}&after=0"
        first = (await (await client.get(news)).json())["messages"]
        again = (await (await client.get(news)).json())["messages"]  # the first answer was lost
        assert [m["text"] for m in again] == [m["text"] for m in first] and first
        last = first[-1]["id"]
        assert (await (await client.get(f"{news[:-1]}{last}")).json())["messages"] == []
        await login(client)
        page = await (await client.get(f"/conseillers/demandes/{blocked.id}")).text()
        assert "Non remis à la personne" in page and "Tu es là ?" in page
        assert "Forbidden" in page

    run(check)


def test_behind_the_machine_s_tls_proxy_cookies_are_secure_and_hsts_is_sent(ticket_id):
    import socket

    import aiohttp

    proxied = {"X-Forwarded-Proto": "https"}

    async def check(client):
        plain = await client.get("/conseillers/connexion")
        assert "Strict-Transport-Security" not in plain.headers
        page = await client.get("/conseillers/connexion", headers=proxied)
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        logged = await client.post("/conseillers/connexion", headers=proxied,
                                   allow_redirects=False,
                                   data={"username": "julie", "password": "motdepasse-solide",
                                         # (this test client speaks http: it keeps the
                                         # form's cookie only when it is not Secure)
                                         "csrf": await login_token(client)})
        assert logged.status == 303 and "Secure" in logged.headers["Set-Cookie"]
        # From another machine the header proves nothing: it is not believed.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            outside = probe.getsockname()[0]
        if outside.startswith("127."):
            return
        connector = aiohttp.TCPConnector(local_addr=(outside, 0))
        async with aiohttp.ClientSession(connector=connector) as foreign:
            async with foreign.get(client.make_url("/conseillers/connexion"),
                                   headers=proxied) as spoofed:
                assert "Strict-Transport-Security" not in spoofed.headers

    run(check)


def test_the_login_form_needs_its_token_so_another_site_cannot_log_a_browser_in(ticket_id):
    async def check(client):
        forged = await client.post("/conseillers/connexion", allow_redirects=False, data={
            "username": "julie", "password": "motdepasse-solide"})  # from another site's form
        assert forged.status == 403 and "indy_conseiller" not in forged.headers.get(
            "Set-Cookie", "")
        wrong_token = await client.post("/conseillers/connexion", allow_redirects=False, data={
            "username": "julie", "password": "motdepasse-solide", "csrf": "x" * 43})
        assert wrong_token.status == 403
        assert (await client.get("/conseillers", allow_redirects=False)).status == 303
        await login(client)  # with the form's own token: in
        assert (await client.get("/conseillers", allow_redirects=False)).status == 200

    run(check)


def test_the_queue_and_a_ticket_have_news_without_a_reload(ticket_id):
    """The pages poll small JSON answers: the queue's list once it changed, a ticket's new
    lines; no « Actualiser » link any more."""
    async def check(client):
        await login(client)
        queue = await (await client.get("/conseillers")).text()
        assert "Actualiser" not in queue and "/static/desk.js" in queue
        marker = int(re.search(r'data-marker="(\d+)"', queue).group(1))
        quiet = await (await client.get(f"/conseillers/file?after={marker}")).json()
        assert quiet == {"messages": []}
        with session_scope() as session:
            tickets.create_ticket(session, tickets.Request(
                sender_id=issue_browser_id("web"), channel="rest", first_name="Noa",
                contact="", reason="request", profile={}, transcript=[]), NOW)
        news = (await (await client.get(f"/conseillers/file?after={marker}")).json())
        [changed] = news["messages"]
        assert changed["id"] > marker and "Noa" in changed["html"] and changed["waiting"] == 2

        page = await (await client.get(f"/conseillers/demandes/{ticket_id}")).text()
        last = int(re.search(r'data-last="(\d+)"', page).group(1))
        path = f"/conseillers/demandes/{ticket_id}/nouveau?after={last}"
        assert (await (await client.get(path)).json())["messages"] == []
        with session_scope() as session:
            tickets.record_user_message(session, session.get(Ticket, ticket_id),
                                        "<b>vous êtes là ?</b>")
        [line] = (await (await client.get(path)).json())["messages"]
        assert line["author"] == "user" and line["text"] == "<b>vous êtes là ?</b>"
        assert line["id"] > last

    run(check)


def test_news_of_a_ticket_are_for_its_team_only(ticket_id):
    with session_scope() as session:
        accounts.add_counsellor(session, "bruno", "Bruno", "motdepasse-solide", team="ml-ambert")

    async def check(client):
        anonymous = await client.get("/conseillers/file", allow_redirects=False)
        assert anonymous.status == 303
        await login(client, "bruno")
        assert (await client.get(f"/conseillers/demandes/{ticket_id}/nouveau")).status == 404
        news = await (await client.get("/conseillers/file?after=x")).json()
        assert "IND-" not in json.dumps(news, ensure_ascii=False)

    run(check)


def test_closing_needs_an_outcome_chosen_and_loses_nothing(ticket_id):
    """No outcome is chosen in advance (the observatory counts what counsellors chose); without
    one the close is refused in French, the ticket stays open, the reply being typed stays."""
    async def check(client):
        await login(client)
        page = await (await client.get(f"/conseillers/demandes/{ticket_id}")).text()
        close_form = page[page.index('id="cloturer"'):page.index('id="note"')]
        assert re.findall(r"<option[^>]*selected[^>]*>", close_form) == [
            '<option value="" selected>']
        assert "Canal</dt><dd>Page web" in page and ">rest<" not in page
        token = csrf_of(page)
        for data in ({}, {"outcome": ""}):
            refused = await client.post(f"/conseillers/demandes/{ticket_id}/cloturer",
                                        data={"csrf": token, "text": "Je te rappelle", **data})
            text = await refused.text()
            assert refused.status == 409 and "Choisis une issue" in text
            assert "la demande reste ouverte" in text and 'aria-invalid="true"' in text
        taken = await client.post(f"/conseillers/demandes/{ticket_id}/prendre",
                                  data={"csrf": token}, allow_redirects=False)
        assert taken.headers["Location"].endswith(f"/{ticket_id}#repondre")
        closed = await client.post(f"/conseillers/demandes/{ticket_id}/cloturer",
                                   data={"csrf": token, "outcome": "mrs"},
                                   allow_redirects=False)
        assert closed.headers["Location"].endswith("#conversation")

    run(check)
    with session_scope() as session:
        assert session.get(Ticket, ticket_id).outcome == "mrs"
        tickets.record_satisfaction(session, LEA, "yes")

    async def answered(client):
        await login(client)
        page = await (await client.get(f"/conseillers/demandes/{ticket_id}")).text()
        assert "MRS proposée" in page and "« Oui, ça m&#39;a aidé »" in page

    run(answered)


def test_a_refused_reply_keeps_what_was_typed(ticket_id):
    with session_scope() as session:
        accounts.add_counsellor(session, "sami", "Sami", "motdepasse-solide", team="ml-thiers")
        sami = session.query(accounts.Counsellor).filter_by(username="sami").one()
        tickets.take(session, ticket_id, sami)

    async def check(client):
        await login(client)
        token = csrf_of(await (await client.get("/conseillers")).text())
        refused = await client.post(f"/conseillers/demandes/{ticket_id}/repondre",
                                    data={"csrf": token, "text": "Une longue réponse <3"})
        text = await refused.text()
        assert refused.status == 409 and "Prends d&#39;abord" in text
        assert ">Une longue réponse &lt;3</textarea>" in text

    run(check)


def test_a_ticket_opens_on_the_case_in_brief(ticket_id):
    """What they asked, their search, the offers shown, the barriers they told Indy: from what
    the ticket stores; an older ticket that stored less says so."""
    sender = issue_browser_id("web")
    with session_scope() as session:
        tickets.create_ticket(session, tickets.Request(
            sender_id=sender, channel="socketio", first_name="Noa", contact="",
            reason="request", profile={"trade": "usineur", "place_name": "Ambert", "age": 19,
                                       "kind": "job", "offers_seen": 4, "has_car": False},
            transcript=[("user", "un job en usinage"), ("bot", "Voici 4 offres."),
                        ("user", "j'ai pas le permis"), ("user", "je veux parler à quelqu'un"),
                        ("bot", "Je transmets.")]), NOW)
        noa = tickets.open_ticket_for(session, sender).id

    async def check(client):
        await login(client)
        page = await (await client.get(f"/conseillers/demandes/{noa}")).text()
        brief = page[page.index("En bref"):page.index('aria-label="Suivi"')]
        assert "<q>un job en usinage</q>" in brief and "<q>je veux parler à quelqu" in brief
        assert "Offre d&#39;emploi · usineur · Ambert · 19 ans" in brief
        assert "4 offres montrées" in brief and "mobilité : ni voiture ni permis" in brief
        assert "Canal</dt><dd>Widget" in page
        old = await (await client.get(f"/conseillers/demandes/{ticket_id}")).text()
        brief = old[old.index("En bref"):old.index('aria-label="Suivi"')]
        assert "intéressé·e par <strong>Soudeur TIG</strong>" in brief
        assert "soudeur · Thiers" in brief

    run(check)


def test_notes_stay_on_the_desk_and_a_ticket_can_be_handed_on(ticket_id):
    """Julie writes a note (never sent to Léa), hands the ticket to Sami (Léa is told who),
    Sami hands it to another team: it leaves ml-thiers' queue for ml-ambert's."""
    with session_scope() as session:
        accounts.add_counsellor(session, "sami", "Sami", "motdepasse-solide", team="ml-thiers")
        accounts.add_counsellor(session, "bruno", "Bruno", "motdepasse-solide", team="ml-ambert")

    async def julie(client):
        await login(client)
        page = await (await client.get(f"/conseillers/demandes/{ticket_id}")).text()
        token = csrf_of(page)
        hand_form = page[page.index('id="confier"'):page.index('id="transmettre"')]
        assert "Sami" in hand_form and "Bruno" not in hand_form  # not of this team
        noted = await client.post(f"/conseillers/demandes/{ticket_id}/note", data={
            "csrf": token, "note": "Rappeler après 17 h, elle travaille."})
        text = await noted.text()
        assert "Note interne · Julie" in text and "Rappeler après 17 h" in text
        assert (await client.post(f"/conseillers/demandes/{ticket_id}/note",
                                  data={"csrf": token, "note": "  "})).status == 409
        sami = re.search(r'<option value="(\d+)">Sami</option>', hand_form).group(1)
        await client.post(f"/conseillers/demandes/{ticket_id}/prendre", data={"csrf": token})
        handed = await client.post(f"/conseillers/demandes/{ticket_id}/confier",
                                   data={"csrf": token, "colleague": sami})
        assert "Confiée à Sami par Julie" in await handed.text()
        refused = await client.post(f"/conseillers/demandes/{ticket_id}/repondre",
                                    data={"csrf": token, "text": "Encore moi"})
        assert refused.status == 409  # Sami follows it now

    async def sami(client):
        await login(client, "sami")
        token = csrf_of(await (await client.get("/conseillers")).text())
        moved = await client.post(f"/conseillers/demandes/{ticket_id}/transmettre",
                                  data={"csrf": token, "team": "ml-ambert"},
                                  allow_redirects=False)
        assert moved.status == 303 and moved.headers["Location"] == "/conseillers"
        assert "IND-" not in await (await client.get("/conseillers")).text()

    async def bruno(client):
        await login(client, "bruno")
        queue = await (await client.get("/conseillers")).text()
        assert "IND-" in queue and "En attente" in queue

    run(julie)
    with session_scope() as session:
        said = [m["text"] for m in outbox.pull(session, LEA)]
        assert said == ["Julie a pris ta demande et te répond ici. Écris-lui directement.",
                        "Sami a pris ta demande et te répond ici. Écris-lui directement."]
        assert not any("17 h" in text for text in said), "a note is never sent"
    run(sami)
    run(bruno)
    with session_scope() as session:
        ticket = session.get(Ticket, ticket_id)
        assert (ticket.team, ticket.status, ticket.taken_by) == ("ml-ambert", "waiting", None)


def test_the_queue_is_grouped_by_team_with_the_promise_kept_or_not(ticket_id):
    with session_scope() as session:
        accounts.add_counsellor(session, "alice", "Alice", "motdepasse-solide", role="admin")
        tickets.create_ticket(session, tickets.Request(
            sender_id=issue_browser_id("web"), channel="rest", first_name="Sam", contact="",
            reason="request", profile={"epci": "200070761"}, transcript=[]),
            datetime.now(ZoneInfo("Europe/Paris")))

    async def check(client):
        await login(client, "alice")
        queue = await (await client.get("/conseillers")).text()
        teams = re.findall(r'<h2 id="team-\d+">([^<]+) <span', queue)
        assert len(teams) == 2, teams
        assert queue.count("⚠ en retard") == 1  # Léa's, promised days ago
        assert "1 en retard sur la promesse" in queue

    run(check)


def test_a_ticket_offers_its_team_s_canned_replies(ticket_id):
    async def check(client):
        await login(client)
        page = await (await client.get(f"/conseillers/demandes/{ticket_id}")).text()
        assert 'id="canned"' in page and "Permanence à Thiers" in page
        assert "Permanence à Ambert" not in page  # another team's

    run(check)


def test_past_requests_are_found_by_number_text_trade_and_place(ticket_id):
    with session_scope() as session:
        accounts.add_counsellor(session, "bruno", "Bruno", "motdepasse-solide", team="ml-ambert")
        julie = session.query(accounts.Counsellor).filter_by(username="julie").one()
        reference = session.get(Ticket, ticket_id).reference
        tickets.close(session, ticket_id, julie, "immersion")

    async def check(client):
        await login(client)
        queue = await (await client.get("/conseillers")).text()
        assert 'action="/conseillers/recherche"' in queue
        for words in (reference.lower(), "job", "Soudeur", "thiers", "TIG soudeur"):
            found = await (await client.get("/conseillers/recherche", params={"q": words})
                           ).text()
            assert f">{reference}</a>" in found and "Immersion proposée" in found, words
        none = await (await client.get("/conseillers/recherche",
                                       params={"q": "boulanger 100%_"})).text()
        assert f">{reference}</a>" not in none and "Aucune demande ne contient" in none

    async def other_team(client):
        await login(client, "bruno")
        found = await (await client.get("/conseillers/recherche", params={"q": reference})
                       ).text()
        assert f">{reference}</a>" not in found and "Aucune demande" in found

    run(check)
    run(other_team)


def test_the_queue_is_drawn_again_when_its_waiting_times_move(ticket_id, monkeypatch):
    from bot.web import dashboard

    async def check(client):
        await login(client)
        queue = await (await client.get("/conseillers")).text()
        marker = int(re.search(r'data-marker="(\d+)"', queue).group(1))
        later = dashboard._clock() + dashboard.WAITING_EVERY_S
        monkeypatch.setattr(dashboard, "_clock", lambda: later)
        [again] = (await (await client.get(f"/conseillers/file?after={marker}")).json())[
            "messages"]
        assert again["id"] > marker and 'data-label="Attente"' in again["html"]

    run(check)
