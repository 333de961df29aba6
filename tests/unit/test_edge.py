"""Size and cost at every edge: a message is capped and cleaned whatever the channel, the
masking of logs is linear and bounded, a NUL never reaches a ticket."""

from __future__ import annotations

import time

from bot.catalogue.db import session_scope
from bot.edge import MAX_MESSAGE_CHARS, clean_message, clean_text
from bot.handoff import accounts, outbox, tickets
from bot.handoff.models import TicketMessage
from bot.logs import MAX_MASKED_CHARS, mask
from tests.conftest import use_database

NASTY = "bon\x00jour\x07 \x1b[31mtoi\u202e\ufeff\ud800 !"


def test_a_message_is_capped_and_cleaned():
    assert clean_message(NASTY) == "bonjour [31mtoi !"
    assert clean_message("  ligne 1\nligne 2\t ") == "ligne 1\nligne 2"  # kept: \n and \t
    assert clean_message("😀 ça va ? 👨\u200d👩\u200d👧") == "😀 ça va ? 👨\u200d👩\u200d👧"
    assert len(clean_message("x" * 1_000_000)) == MAX_MESSAGE_CHARS
    assert len(clean_message("\x00" * 10_000 + "y" * 5000)) <= MAX_MESSAGE_CHARS
    assert clean_text("a\x00b", 1) == "a"


def test_masking_is_linear_and_bounded():  # generous bounds: a loaded 2-core machine
    # What took seconds (a quadratic e-mail pattern) must take milliseconds.
    for text in ("a" * 20_000, "a." * 10_000, "a-" * 10_000, ("x" * 50 + "@") * 400):
        started = time.perf_counter()
        masked = mask(text)
        assert time.perf_counter() - started < 0.5, text[:12]  # was 2 to 3.4 s
        assert len(masked) <= MAX_MASKED_CHARS + 20
    assert mask("écris à lea.martin+job@gmail.com stp") == "écris à [e-mail] stp"
    assert mask("x" * 30_000 + " lea@gmail.com").endswith("[tronqué]")


def test_a_nul_in_any_text_never_reaches_a_ticket(empty_catalogue, monkeypatch):
    monkeypatch.delenv("INDY_COUNSELLORS_CHAT", raising=False)
    with use_database(empty_catalogue, monkeypatch):
        with session_scope() as session:
            julie = accounts.add_counsellor(session, "julie-nul", "Julie", "motdepasse-solide",
                                            role="admin")
            created = tickets.create_ticket(session, tickets.Request(
                sender_id="web-nul", channel="rest", first_name="Lé\x00a", contact="06\x00",
                reason="request", profile={}, transcript=[("user", "je\x00 cherche\x07")]))
            ticket = tickets.open_ticket_for(session, "web-nul")
            tickets.record_user_message(session, ticket, "encore\x00")
            tickets.reply(session, ticket.id, julie, "Bonjour\x00 Léa")
            texts = [m.text for m in session.query(TicketMessage).all()]
            stored = (ticket.first_name, ticket.contact, *texts,
                      *(m["text"] for m in outbox.pull(session, "web-nul")))
        assert created.reference
        assert not any("\x00" in s or "\x07" in s for s in stored), stored
        assert ticket.first_name == "Léa" and "je cherche" in texts
