"""Indy's web app through real HTTP (aiohttp test server), with a stand-in Rasa that is down."""

import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.identity import issue_browser_id
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
        empty = await client.post("/api/chat", json={"sender": issue_browser_id("web"),
                                                      "message": " "})
        assert empty.status == 400 and (await empty.json())["error"] == "message vide"

    asyncio.run(_with_client(check))


def test_chat_answers_politely_when_rasa_is_unreachable(monkeypatch):
    monkeypatch.setenv("INDY_RASA_PORT", "9")  # nothing listens on the discard port
    from bot.settings import get_settings

    get_settings.cache_clear()
    try:
        async def check(client):
            response = await client.post(
                "/api/chat", json={"sender": issue_browser_id("web"), "message": "salut"}
            )
            assert response.status == 200
            [message] = (await response.json())["messages"]
            assert "souci technique" in message["text"]

        asyncio.run(_with_client(check))
    finally:
        get_settings.cache_clear()


PAGES = ["/", "/kiosk", "/confidentialite", "/conseillers/connexion", "/conseillers", "/exemple"]


def test_no_page_of_ours_can_be_framed_by_another_site():
    async def check(client):
        for path in PAGES:
            response = await client.get(path, allow_redirects=False)
            assert response.status < 400, path
            csp = response.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in csp, path
            assert response.headers["X-Frame-Options"] == "DENY", path
            assert response.headers["X-Content-Type-Options"] == "nosniff", path
            assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin", path
            assert "Strict-Transport-Security" not in response.headers, path  # plain http

    asyncio.run(_with_client(check))


def test_the_widget_files_load_from_any_site_but_updates_answer_listed_sites_only():
    async def check(client):
        for path in ("/widget.js", "/static/widget.css", "/static/vendor/socket.io.min.js"):
            response = await client.get(path, headers={"Origin": "https://ailleurs.example"})
            assert response.status == 200, path
            assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin", path
        script = await client.get("/widget.js")
        assert script.headers["Access-Control-Allow-Origin"] == "*"
        assert script.content_type == "application/javascript"
        own = await client.get("/static/chat.css")
        assert own.headers["Cross-Origin-Resource-Policy"] == "same-origin"

        updates = f"/api/updates?sender={issue_browser_id('widget')}"
        partner = await client.get(updates,
                                   headers={"Origin": "https://www.mission-locale.example"})
        assert partner.headers["Access-Control-Allow-Origin"] == (
            "https://www.mission-locale.example")
        other = await client.get(updates, headers={"Origin": "https://ailleurs.example"})
        assert other.status == 200 and "Access-Control-Allow-Origin" not in other.headers

    asyncio.run(_with_client(check))


def test_hsts_only_over_https():
    from aiohttp.test_utils import make_mocked_request

    from bot.web.app import security_headers

    async def handler(request):
        return web.Response(text="ok")

    async def check():
        plain = await security_headers(make_mocked_request("GET", "/"), handler)
        assert "Strict-Transport-Security" not in plain.headers
        secure = make_mocked_request("GET", "/").clone(scheme="https")
        assert (await security_headers(secure, handler)).headers[
            "Strict-Transport-Security"] == "max-age=31536000"

    asyncio.run(check())


def test_the_widget_script_never_carries_a_forged_host_header():
    async def check(client):
        for forged in ('evil.example";alert(1);//', "x</script><script>alert(1)",
                       "a b", "[::1]:8000\"+alert(1)+\""):
            script = await (await client.get("/widget.js", headers={"Host": forged})).text()
            assert "alert(1)" not in script, forged
            assert '"http://localhost:' in script, forged
        kept = await (await client.get("/widget.js", headers={"Host": "indy.example:8000"})).text()
        assert '"http://indy.example:' in kept
        page = await client.get("/exemple", headers={"Host": "evil.example; script-src *"})
        assert "script-src *" not in page.headers["Content-Security-Policy"]

    asyncio.run(_with_client(check))
