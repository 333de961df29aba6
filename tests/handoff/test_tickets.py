"""Tickets, routing and promises, the outbox (pull and Telegram push with 429/500), accounts."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.catalogue.db import session_scope
from bot.handoff import accounts, outbox, tickets
from bot.handoff.models import OutboxMessage, Ticket
from bot.handoff.service import intercept, is_cancel
from bot.handoff.teams import promise, route, say_when
from bot.notify import TelegramTransport
from tests.conftest import use_database
from tests.support.telegram_api import TelegramApi

PARIS = ZoneInfo("Europe/Paris")
SATURDAY_EVENING = datetime(2026, 11, 28, 18, 0, tzinfo=PARIS)
MONDAY_MORNING = datetime(2026, 11, 30, 9, 30, tzinfo=PARIS)


def request(sender: str = "web-abcdef123456", channel: str = "rest", epci: str | None =
            "200070712") -> tickets.Request:
    return tickets.Request(
        sender_id=sender, channel=channel, first_name="Léa", contact="",
        reason="request", profile={"trade": "soudeur", "place_name": "Thiers", "epci": epci},
        transcript=[("user", "je cherche un taf de soudeur"), ("bot", "Tu as le permis ?")],
    )


@pytest.fixture
def db(empty_catalogue, monkeypatch):
    monkeypatch.delenv("INDY_COUNSELLORS_CHAT", raising=False)
    with use_database(empty_catalogue, monkeypatch):
        yield empty_catalogue


def counsellor(session, name="julie", team="ml-thiers"):  # the team these tickets go to
    return accounts.add_counsellor(session, name, name.capitalize(), "motdepasse-solide",
                                   team=team)


def test_routing_follows_the_configuration():
    assert route("200070712", None, "request").id == "ml-thiers"
    assert route("200070761", 19, "offer").id == "ml-ambert"
    assert route("200065886", 28, "request").id == "france-travail"  # over 25
    assert route("200070712", 17, "events").id == "territoire"


def test_the_promise_counts_opening_hours_and_the_queue():
    team = route("200070712", None, "request")
    weekend = promise(team, SATURDAY_EVENING, 0)
    assert (weekend.weekday(), weekend.hour) == (0, 15)  # Monday 9-12 + 13:30-14:30 → 15 h
    assert say_when(weekend, SATURDAY_EVENING) == "lundi avant 15 h"
    busy = promise(team, MONDAY_MORNING, waiting_before=6)  # 2 more hours of queue
    assert busy > promise(team, MONDAY_MORNING, 0)
    assert say_when(promise(team, MONDAY_MORNING, 0), MONDAY_MORNING).startswith("aujourd'hui")


def test_a_ticket_is_stored_with_its_transcript_then_relays_both_ways(db):
    with session_scope() as session:
        created = tickets.create_ticket(session, request(), SATURDAY_EVENING)
        assert created.reference.startswith("IND-") and created.team.id == "ml-thiers"
        assert created.when == "lundi avant 15 h" and not created.already_open
        again = tickets.create_ticket(session, request(), SATURDAY_EVENING)
        assert again.already_open and again.reference == created.reference
    assert intercept("web-abcdef123456", "et pour le permis ?") == "indy"  # waiting: Indy answers
    with session_scope() as session:
        julie = counsellor(session)
        ticket = tickets.open_ticket_for(session, "web-abcdef123456")
        tickets.take(session, ticket.id, julie)
        tickets.reply(session, ticket.id, julie, "Bonjour Léa, <b>je</b> suis là.")
    assert intercept("web-abcdef123456", "merci !") == "relayed"  # taken: Indy stays quiet
    with session_scope() as session:
        news = outbox.pull(session, "web-abcdef123456")
        assert [m["text"] for m in news] == [
            "Julie a pris ta demande et te répond ici. Écris-lui directement.",
            "💬 Julie : Bonjour Léa, <b>je</b> suis là.",
        ]
        assert outbox.pull(session, "web-abcdef123456") == []  # delivered once
        ticket = session.execute(select(Ticket)).unique().scalar_one()
        authors = [m.author for m in ticket.messages]
        assert authors == ["user", "bot", "user", "system", "counsellor", "user"]
        tickets.close(session, ticket.id, julie, "immersion")
        assert "Indy est de retour" in outbox.pull(session, "web-abcdef123456")[0]["text"]
    assert intercept("web-abcdef123456", "bonjour") == "indy"


def test_only_the_counsellor_who_took_it_answers_and_outcomes_are_checked(db):
    with session_scope() as session:
        tickets.create_ticket(session, request(), MONDAY_MORNING)
        julie, marc = counsellor(session, "julie"), counsellor(session, "marc")
        ticket = tickets.open_ticket_for(session, "web-abcdef123456")
        tickets.take(session, ticket.id, julie)
        with pytest.raises(tickets.TicketError):
            tickets.take(session, ticket.id, marc)
        with pytest.raises(tickets.TicketError):
            tickets.reply(session, ticket.id, marc, "moi aussi")
        with pytest.raises(tickets.TicketError):
            tickets.close(session, ticket.id, julie, "n'importe quoi")


def test_the_person_can_cancel(db):
    assert is_cancel("annule ma demande") and not is_cancel("annule mon alerte soudeur")
    with session_scope() as session:
        tickets.create_ticket(session, request(), MONDAY_MORNING)
    assert intercept("web-abcdef123456", "annuler") == "cancelled"
    with session_scope() as session:
        assert tickets.open_ticket_for(session, "web-abcdef123456") is None


def test_telegram_delivery_survives_429_and_500_in_order_and_once(db, monkeypatch):
    monkeypatch.setenv("INDY_COUNSELLORS_CHAT", "-100777")
    with TelegramApi() as api:
        transports = {"telegram": TelegramTransport(api.token, api.base_url)}
        with session_scope() as session:
            tickets.create_ticket(session, request("555", "telegram"), MONDAY_MORNING)
            julie = counsellor(session)
            ticket = tickets.open_ticket_for(session, "555")
            tickets.take(session, ticket.id, julie)
            tickets.reply(session, ticket.id, julie, "Premier message")
            tickets.reply(session, ticket.id, julie, "Deuxième message")
        api.failures = [(429, 3), (500, None)]
        now = datetime.utcnow()
        with session_scope() as session:
            first = outbox.deliver_due(session, transports, now)
        # The group's notice is refused (429): everything for that chat waits; the person's
        # first message gets the 500 and blocks the two after it.
        assert first.sent == 0 and first.retried == 2
        with session_scope() as session:
            waiting = session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
            delays = [(m.recipient, round((m.next_attempt_at - now).total_seconds()))
                      for m in waiting if m.attempts]
        assert delays == [("-100777", 3), ("555", 2)]
        with session_scope() as session:
            later = outbox.deliver_due(session, transports, now + timedelta(seconds=5))
        assert later.sent == 4
        with session_scope() as session:
            assert outbox.deliver_due(session, transports, now + timedelta(minutes=10)).sent == 0
    to_person = [m["text"] for m in api.sent if str(m["chat_id"]) == "555"]
    assert to_person == ["Julie a pris ta demande et te répond ici. Écris-lui directement.",
                         "💬 Julie : Premier message", "💬 Julie : Deuxième message"]
    group = [m for m in api.sent if str(m["chat_id"]) == "-100777"]
    assert len(group) == 1 and "IND-" in group[0]["text"]
    keyboard = group[0]["reply_markup"]["inline_keyboard"]
    assert keyboard[0][0]["callback_data"].startswith("take:")


def test_passwords_sessions_and_csrf(db):
    with session_scope() as session:
        counsellor(session)
        with pytest.raises(accounts.AccountError):
            accounts.add_counsellor(session, "court", "Court", "123")
        assert accounts.login(session, "julie", "mauvais-mot-de-passe") is None
        token, web_session = accounts.login(session, "julie", "motdepasse-solide")
        assert accounts.current(session, token).counsellor.username == "julie"
        assert accounts.csrf_ok(web_session, web_session.csrf_token)
        assert not accounts.csrf_ok(web_session, "forged")
        stored = json.dumps([c.password_hash for c in [web_session.counsellor]])
        assert "motdepasse" not in stored and "scrypt$" in stored
        web_session.expires_at = datetime.utcnow() - timedelta(minutes=1)
        session.flush()
        assert accounts.current(session, token) is None


def _person_on_telegram_with_two_replies(session) -> Ticket:
    tickets.create_ticket(session, request("556", "telegram"), MONDAY_MORNING)
    julie = counsellor(session)
    ticket = tickets.open_ticket_for(session, "556")
    tickets.take(session, ticket.id, julie)
    tickets.reply(session, ticket.id, julie, "Premier message")
    tickets.reply(session, ticket.id, julie, "Deuxième message")
    return ticket


def test_a_refusal_that_cannot_pass_is_given_up_at_once_and_said(db):
    """The person blocked the bot (403): that message is "failed" with its reason, visible;
    it holds nothing after it. A 5xx, which may pass, is retried and holds the order."""
    with TelegramApi() as api:
        transports = {"telegram": TelegramTransport(api.token, api.base_url)}
        with session_scope() as session:
            ticket = _person_on_telegram_with_two_replies(session)
        api.failures = [(403, None)]
        with session_scope() as session:
            done = outbox.deliver_due(session, transports, datetime.utcnow())
        assert (done.sent, done.failed, done.retried) == (2, 1, 0)
        with session_scope() as session:
            rows = session.execute(select(OutboxMessage).where(
                OutboxMessage.ticket_id == ticket.id).order_by(OutboxMessage.id)).scalars().all()
            assert [r.status for r in rows] == ["failed", "sent", "sent"]
            assert "Forbidden" in rows[0].last_error
        later = datetime.utcnow() + timedelta(hours=1)
        with session_scope() as session:  # given up: never tried again
            assert outbox.deliver_due(session, transports, later).sent == 0
    assert [m["text"] for m in api.sent] == ["💬 Julie : Premier message",
                                             "💬 Julie : Deuxième message"]


class CrashAfter:
    """The real transport, and the process dies (SystemExit) on the n-th message."""

    def __init__(self, transport: TelegramTransport, n: int):
        self.transport, self.n = transport, n

    def send(self, recipient: str, text: str, buttons: list[dict] | None = None) -> None:
        self.n -= 1
        if self.n == 0:
            raise SystemExit("killed mid-batch")
        self.transport.send(recipient, text, buttons)


def test_a_crash_mid_batch_resends_nothing_already_sent(db):
    with TelegramApi() as api:
        real = TelegramTransport(api.token, api.base_url)
        with session_scope() as session:
            _person_on_telegram_with_two_replies(session)
        with pytest.raises(SystemExit):
            with session_scope() as session:
                outbox.deliver_due(session, {"telegram": CrashAfter(real, 3)}, datetime.utcnow())
        with session_scope() as session:
            outbox.deliver_due(session, {"telegram": real}, datetime.utcnow())
    texts = [m["text"] for m in api.sent]
    assert texts == ["Julie a pris ta demande et te répond ici. Écris-lui directement.",
                     "💬 Julie : Premier message", "💬 Julie : Deuxième message"]  # each once


def test_the_page_acknowledges_what_it_showed_so_a_lost_answer_loses_nothing(db):
    with session_scope() as session:
        tickets.create_ticket(session, request(), MONDAY_MORNING)
        julie = counsellor(session)
        ticket = tickets.open_ticket_for(session, "web-abcdef123456")
        tickets.reply(session, ticket.id, julie, "Bonjour Léa")
    with session_scope() as session:
        first = outbox.pull(session, "web-abcdef123456", after=0)
    with session_scope() as session:  # that answer never reached the page: asked again
        again = outbox.pull(session, "web-abcdef123456", after=0)
    assert [m["text"] for m in again] == [m["text"] for m in first] and len(first) == 2
    with session_scope() as session:
        assert outbox.pull(session, "web-abcdef123456", after=first[-1]["id"]) == []
        statuses = session.execute(select(OutboxMessage.status).where(
            OutboxMessage.recipient == "web-abcdef123456")).scalars().all()
    assert statuses == ["sent", "sent"]


def test_after_closing_one_question_its_answer_counted_once_in_the_observatory(db):
    """The question (three buttons) after a close, not after « Sans suite »; a button's
    payload never reaches Rasa, is counted once (a second tap changes nothing), on the day it
    was answered, per team."""
    from datetime import date

    from bot.observatory import report
    from bot.observatory.compute import Cells, ticket_cells

    with session_scope() as session:
        julie = accounts.add_counsellor(session, "julie", "Julie", "motdepasse-solide",
                                        team="ml-thiers")
        for sender in ("web-lea000000001", "web-sam000000001"):
            tickets.create_ticket(session, request(sender), MONDAY_MORNING)
        lea = tickets.open_ticket_for(session, "web-lea000000001")
        sam = tickets.open_ticket_for(session, "web-sam000000001")
        tickets.close(session, lea.id, julie, "immersion")
        tickets.close(session, sam.id, julie, "no_follow_up")
        [question] = [m for m in outbox.pull(session, "web-lea000000001")
                      if "t'a aidé" in m["text"]]
        assert [b["payload"] for b in question["buttons"]] == [
            "/handoff_feedback_yes", "/handoff_feedback_partly", "/handoff_feedback_no"]
        assert not any("t'a aidé" in m["text"] for m in outbox.pull(session, "web-sam000000001"))

    assert intercept("web-lea000000001", "/handoff_feedback_partly") == "feedback"
    assert intercept("web-lea000000001", "/handoff_feedback_no") == "feedback"  # changes nothing
    assert intercept("web-nobody0000001", "/handoff_feedback_yes") == "feedback"
    assert intercept("web-lea000000001", "/handoff_feedback_maybe") == "indy"
    with session_scope() as session:
        answered = session.get(Ticket, lea.id)
        assert answered.satisfaction == "partly" and answered.satisfaction_at is not None
        assert session.get(Ticket, sam.id).satisfaction is None
        day = answered.satisfaction_at.date()
        counted = Cells()
        ticket_cells(counted, session, datetime.combine(day, datetime.min.time()),
                     datetime.combine(day, datetime.min.time()) + timedelta(days=1))
        rows = [r for r in counted.rows(day) if r.metric == "handoff_satisfaction"]
        assert [(r.channel, r.key, r.key2, r.people) for r in rows] == [
            ("web", "ml-thiers", "partly", 1)]
        session.add_all(rows)
        session.flush()
        built = report.build(session, day - timedelta(days=6), day, date.today())
        [table] = [t for t in built.tables if t.id == "relais_satisfaction"]
        assert table.rows[0][1] == "Un peu" and table.rows[0][2].startswith("<")  # k-anonymity


def test_a_feedback_button_is_thanked_and_never_reaches_rasa(db):
    import asyncio

    from rasa.core.channels.channel import UserMessage

    from bot.channels.relay import relayed

    sent, reached = [], []

    class Output:
        async def send_text_message(self, recipient, text):
            sent.append(text)

    async def rasa(message):
        reached.append(message)

    asyncio.run(relayed(rasa)(UserMessage("/handoff_feedback_yes", Output(),
                                          "web-zz0000000001", input_channel="rest")))
    assert reached == [] and sent[0].startswith("Merci pour ta réponse")


TAKE_ELSEWHERE = """
from bot.catalogue.db import session_scope
from bot.handoff import accounts, tickets
with session_scope() as session:
    julie = accounts.add_counsellor(session, "julie", "Julie", "motdepasse-solide",
                                    team="ml-thiers")
    tickets.take(session, tickets.open_ticket_for(session, "web-abcdef123456").id, julie)
"""


def test_the_handoff_check_keeps_its_connection_and_sees_another_process_at_once(db):
    """Rasa checks the handoff at every message: on a kept connection (no new connection, no
    PRAGMAs, nothing written when there is no ticket), and a ticket taken in the web app's
    process is relayed from the very next message."""
    import os
    import subprocess
    import sys

    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import Pool

    from bot.settings import ROOT

    assert intercept("web-abcdef123456", "salut") == "indy"
    opened, written = [], []

    def on_connect(*_args):
        opened.append(1)

    def on_commit(*_args):
        written.append(1)

    event.listen(Pool, "connect", on_connect)
    event.listen(Engine, "commit", on_commit)
    try:
        for _ in range(20):
            assert intercept("web-abcdef123456", "salut") == "indy"
    finally:
        event.remove(Pool, "connect", on_connect)
        event.remove(Engine, "commit", on_commit)
    assert opened == [] and written == []

    with session_scope() as session:
        tickets.create_ticket(session, request(), MONDAY_MORNING)
    assert intercept("web-abcdef123456", "tu es là ?") == "indy"  # waiting: Indy answers
    done = subprocess.run([sys.executable, "-c", TAKE_ELSEWHERE], cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert intercept("web-abcdef123456", "merci !") == "relayed"
    with session_scope() as session:
        tickets.cancel(session, "web-abcdef123456")
    assert intercept("web-abcdef123456", "re") == "indy"
