"""Bad input: huge, empty, binary, emoji, HTML, SQL and format strings, floods; fuzzed with
hypothesis on the parsing, validation and search code and on the web app's endpoints."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalogue.db import session_scope
from bot.catalogue.records import OfferRecord, RecordError, record_from_mapping
from bot.catalogue.search import Query, search
from bot.identity import issue_browser_id
from bot.logs import MaskPersonalData, mask
from bot.ratelimit import RateLimiter
from bot.text import fold
from bot.understanding import parse_place, parse_trade, parse_yes_no
from bot.web.app import create_app

NASTY = ["", " ", "💬" * 50, "<script>alert(1)</script>", "'; DROP TABLE offers; --",
         "%s%s%n{0}{job}", "\x00\x01\x02", "é" * 10_000, "\u202e\u200b", "../../etc/passwd"]


@pytest.fixture(autouse=True)
def _catalogue(catalogue_url):
    return catalogue_url


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None)
def test_understanding_never_crashes(text):
    fold(text)
    assert parse_place(text) is None or isinstance(parse_place(text), str)
    assert parse_trade(text) is None or isinstance(parse_trade(text), str)
    assert parse_yes_no(text) in (True, False, None)


@given(st.dictionaries(st.sampled_from(OfferRecord.field_names() + ("x",)),
                       st.one_of(st.text(max_size=50), st.integers(), st.none()), max_size=12))
@settings(max_examples=150, deadline=None)
def test_a_row_is_a_record_or_a_clear_error(row):
    try:
        record_from_mapping(row)
    except RecordError as error:
        assert str(error)  # a reason, in French


@given(kind=st.sampled_from(["job", "training", "event", "nope"]),
       trade=st.one_of(st.none(), st.text(max_size=30)),
       place=st.one_of(st.none(), st.text(max_size=30), st.sampled_from(["63430", "tiltam"])),
       offset=st.integers(min_value=0, max_value=10_000))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_search_with_any_query_answers(kind, trade, place, offset):
    with session_scope() as session:
        result = search(session, Query(kind, trade, place, None, offset))
    assert result.total >= 0 and len(result.hits) <= 3


def run(check):
    async def go():
        async with TestClient(TestServer(create_app())) as client:
            await check(client)

    asyncio.run(go())


def test_the_web_app_refuses_bad_input_clearly_and_never_fails():
    async def check(client):
        for message in NASTY:
            reply = await client.post("/api/chat", json={"sender": issue_browser_id("web"),
                                                          "message": message})
            assert reply.status in (200, 400, 429)
            body = await reply.json()
            assert "messages" in body or "error" in body
        binary = await client.post("/api/chat", data=b"\xff\xfe\x00garbage",
                                   headers={"Content-Type": "application/json"})
        assert binary.status == 400
        huge = await client.post("/api/chat", data=b"x" * 200_000)
        assert huge.status == 413  # over the app's body limit
        bad = await client.get("/api/updates?sender=%3Cscript%3E")
        assert bad.status == 400

    run(check)


def test_a_flood_from_one_sender_is_slowed_down_politely():
    flood = issue_browser_id("web")

    async def check(client):
        statuses = []
        for n in range(50):
            reply = await client.post("/api/chat", json={"sender": flood,
                                                          "message": f"message {n}"})
            statuses.append(reply.status)
        assert statuses.count(429) >= 35
        slowed = await client.post("/api/chat", json={"sender": flood,
                                                       "message": "encore"})
        assert "Doucement" in (await slowed.json())["messages"][0]["text"]
        other = await client.post("/api/chat", json={"sender": issue_browser_id("web"),
                                                      "message": "bonjour"})
        assert other.status == 200  # others are not affected

    run(check)


@given(st.dictionaries(st.text(max_size=10), st.one_of(st.text(max_size=40), st.integers(),
                                                        st.none(), st.lists(st.integers())),
                       max_size=4))
@settings(max_examples=40, deadline=None)
def test_any_json_on_the_chat_endpoint_is_answered_without_a_server_error(body):
    async def check(client):
        reply = await client.post("/api/chat", json=body)
        assert reply.status in (200, 400, 429)

    run(check)


def test_the_limiter_forgets_after_the_period():
    now = [0.0]
    limiter = RateLimiter(limit=2, period=10, clock=lambda: now[0])
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    now[0] = 11
    assert limiter.allow("a")


def test_logs_never_show_phone_numbers_or_emails(caplog):
    assert mask("appelle-moi au 06 12 34 56 78 ou lea.m@exemple.fr") == \
        "appelle-moi au [téléphone] ou [e-mail]"
    logger = logging.getLogger("indy.test")
    handler = logging.StreamHandler()
    handler.addFilter(MaskPersonalData())
    record = logger.makeRecord("indy.test", logging.INFO, __file__, 1,
                               "contact %s", ("+33 6 12 34 56 78",), None)
    assert MaskPersonalData().filter(record) and record.getMessage() == "contact [téléphone]"
