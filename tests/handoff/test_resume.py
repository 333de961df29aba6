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
