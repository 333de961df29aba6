"""Indy's web app through real HTTP (aiohttp test server), with a stand-in Rasa that is down."""

import asyncio

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import create_app


@pytest.fixture(autouse=True)
def _catalogue(catalogue_url):  # the app's outbox worker reads the test database
    return catalogue_url


async def _with_client(check):
    async with TestClient(TestServer(create_app())) as client:
        await check(client)


def test_health_and_security_headers():
    async def check(client):
        response = await client.get("/health")
        assert response.status == 200 and (await response.json()) == {"status": "ok"}
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]

    asyncio.run(_with_client(check))


def test_privacy_page_names_the_contact_and_retention():
    async def check(client):
        page = await (await client.get("/confidentialite")).text()
        assert "confidentialite@indy.example" in page and "180 jours" in page

    asyncio.run(_with_client(check))


def test_chat_refuses_bad_input_with_a_clear_message():
    async def check(client):
        bad_json = await client.post("/api/chat", data="pas du json")
        assert bad_json.status == 400
        bad_sender = await client.post("/api/chat", json={"sender": "<x>", "message": "a"})
        assert bad_sender.status == 400
        empty = await client.post("/api/chat", json={"sender": "web-12345678", "message": " "})
        assert empty.status == 400 and (await empty.json())["error"] == "message vide"

    asyncio.run(_with_client(check))


def test_chat_answers_politely_when_rasa_is_unreachable(monkeypatch):
    monkeypatch.setenv("INDY_RASA_PORT", "9")  # nothing listens on the discard port
    from bot.settings import get_settings

    get_settings.cache_clear()
    try:
        async def check(client):
            response = await client.post(
                "/api/chat", json={"sender": "web-12345678", "message": "salut"}
            )
            assert response.status == 200
            [message] = (await response.json())["messages"]
            assert "souci technique" in message["text"]

        asyncio.run(_with_client(check))
    finally:
        get_settings.cache_clear()
