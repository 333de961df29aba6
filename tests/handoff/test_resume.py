"""Continuing on the phone: a one-time code moves the kiosk's open request to Telegram."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.catalogue.db import session_scope
from bot.handoff import resume, tickets
from bot.handoff.models import ResumeCode
from tests.conftest import use_database


@pytest.fixture(autouse=True)
def db(empty_catalogue, monkeypatch):
    monkeypatch.delenv("INDY_COUNSELLORS_CHAT", raising=False)
    monkeypatch.setenv("INDY_TELEGRAM_BOT_USERNAME", "IndyTiltamBot")
    with use_database(empty_catalogue, monkeypatch):
        yield


def test_the_code_moves_the_request_once_and_expires():
    with session_scope() as session:
        tickets.create_ticket(session, tickets.Request(
            sender_id="kiosk-0123456789abcdef01234567", channel="rest", first_name="Sam",
            contact="", reason="request", profile={}, transcript=[]))
        code = resume.new_code(session, "kiosk-0123456789abcdef01234567")
        assert resume.deep_link(code) == f"https://t.me/IndyTiltamBot?start={code}"
        assert "kiosk" not in code and len(code) >= 16
    with session_scope() as session:
        assert resume.resume(session, code, "555")
        assert not resume.resume(session, code, "666")  # single use
        ticket = tickets.open_ticket_for(session, "555")
        assert ticket is not None and ticket.channel == "telegram"
        old = resume.new_code(session, "kiosk-x")
        session.get(ResumeCode, old).created_at = datetime.utcnow() - timedelta(hours=1)
        assert not resume.resume(session, old, "777")  # expired
        assert not resume.resume(session, "unknown", "777")


def test_two_phones_scanning_the_same_code_at_once_get_it_once():
    import threading

    with session_scope() as session:
        tickets.create_ticket(session, tickets.Request(
            sender_id="kiosk-race", channel="rest", first_name="Sam", contact="",
            reason="request", profile={}, transcript=[]))
        code = resume.new_code(session, "kiosk-race")
    first_checked, second_started = threading.Event(), threading.Event()
    results: dict[str, bool] = {}

    def first_phone() -> None:
        with session_scope() as session:
            results["first"] = resume.resume(session, code, "tg-first")
            first_checked.set()
            second_started.wait(5)
            threading.Event().wait(0.5)  # the second phone asks before this one commits

    def second_phone() -> None:
        first_checked.wait(5)
        second_started.set()
        with session_scope() as session:
            results["second"] = resume.resume(session, code, "tg-second")

    threads = [threading.Thread(target=first_phone), threading.Thread(target=second_phone)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert sorted(results.values()) == [False, True], results
    with session_scope() as session:
        assert tickets.open_ticket_for(session, "tg-first").channel == "telegram"
        assert tickets.open_ticket_for(session, "tg-second") is None


def test_a_code_left_on_the_kiosk_screen_expires_after_ten_minutes():
    with session_scope() as session:
        code = resume.new_code(session, "kiosk-screen")
        session.get(ResumeCode, code).created_at = datetime.utcnow() - timedelta(minutes=11)
    with session_scope() as session:
        assert not resume.resume(session, code, "tg-later")
