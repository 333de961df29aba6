"""Conversation ids are the server's: issued, signed, bound to a channel; Telegram chats hidden
behind a keyed hash and found again server-side; secrets compared without ever failing."""

from __future__ import annotations

import asyncio
import os
import stat

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.catalogue.db import session_scope
from bot.handoff.models import TelegramChat
from bot.identity import (
    browser_id_kind,
    channel_secret,
    issue_browser_id,
    same_secret,
    telegram_sender,
)
from bot.settings import stored_secret_key
from bot.web.app import create_app
from tests.conftest import use_database


def test_an_issued_id_is_recognised_for_its_own_kind_only():
    for kind in ("web", "kiosk", "widget"):
        issued = issue_browser_id(kind)
        assert browser_id_kind(issued) == kind
        assert issue_browser_id(kind) != issued  # random
    web = issue_browser_id("web")
    assert browser_id_kind(web.replace("web-", "kiosk-", 1)) is None  # the MAC covers the kind
    assert browser_id_kind(web[:-1] + ("0" if web[-1] != "0" else "1")) is None
    assert browser_id_kind(issue_browser_id("web", key="another server")) is None
    for forged in ("web-" + "0" * 24 + "-" + "0" * 32, "777001", "w-0123456789abcdef", None, 12):
        assert browser_id_kind(forged) is None


def test_a_telegram_sender_is_a_keyed_hash_not_the_chat_number():
    sender = telegram_sender(777001)
    assert sender == telegram_sender("777001") and sender.startswith("tg-")
    assert "777001" not in sender
    assert telegram_sender(777001, key="another server") != sender
    assert telegram_sender(777002) != sender


def test_secrets_are_compared_without_failing_on_any_header():
    secret = channel_secret("telegram")
    assert same_secret(secret, secret)
    for wrong in ("", "wrong", secret[:-1], secret + "é", "é" * len(secret), "\udcff", None, 3):
        assert same_secret(wrong, secret) is False
    assert same_secret("", "") is False  # no secret configured: nobody gets in


def test_the_key_is_made_once_and_kept_private(tmp_path):
    key = stored_secret_key(tmp_path)
    assert len(key) == 64 and stored_secret_key(tmp_path) == key
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def test_the_web_app_issues_ids_and_refuses_the_others(catalogue_url):
    async def scenario(client):
        made = await (await client.post("/api/session", json={"kind": "web"})).json()
        assert browser_id_kind(made["sender"]) == "web"
        kept = await client.post("/api/session", json={"kind": "web", "sender": made["sender"]})
        assert (await kept.json())["sender"] == made["sender"]
        chosen = await client.post("/api/session", json={"kind": "web",
                                                         "sender": "web-moi-je-choisis"})
        assert (await chosen.json())["sender"] != "web-moi-je-choisis"
        widget = issue_browser_id("widget")
        for sender in ("777001999", telegram_sender(777001), "web-" + "a" * 24 + "-" + "b" * 32,
                       widget, made["sender"].replace("web-", "kiosk-", 1)):
            chat = await client.post("/api/chat", json={"sender": sender, "message": "salut"})
            assert chat.status in (400, 403), sender
            resume = await client.post("/api/continue", json={"sender": sender})
            assert resume.status in (400, 403), sender
        for sender in ("777001999", telegram_sender(777001)):
            updates = await client.get("/api/updates", params={"sender": sender})
            assert updates.status in (400, 403), sender
        assert (await client.get("/api/updates", params={"sender": widget})).status == 200
        assert (await client.get("/api/updates", params={"sender": made["sender"]})).status == 200

    async def go():
        async with TestClient(TestServer(create_app())) as client:
            await scenario(client)

    asyncio.run(go())


def test_a_push_to_a_telegram_sender_goes_to_its_stored_chat(empty_catalogue, monkeypatch):
    from bot.telegram_chats import UnknownChat, chat_of, remember

    with use_database(empty_catalogue, monkeypatch):
        sender = remember(777001)
        assert remember(777001) == sender == telegram_sender(777001)  # stored once
        with session_scope() as session:
            assert session.query(TelegramChat).count() == 1
        assert chat_of(sender) == "777001"
        assert chat_of("-100123") == "-100123"  # the counsellors' group: a chat id already
        with pytest.raises(UnknownChat):
            chat_of(telegram_sender(5))


def test_the_telegram_webhook_refuses_a_non_ascii_secret_without_a_server_error():
    from bot.telegram_bot import SECRET_HEADER, build, webhook_app

    async def go():
        application = build("123:test", "http://127.0.0.1:9/bot", rate_limit=False)
        async with TestClient(TestServer(webhook_app(application, "s3cret"))) as client:
            statuses = []
            for header in ("é", "s3crét", "wrong"):
                reply = await client.post("/telegram", json={"update_id": 1},
                                          headers={SECRET_HEADER: header})
                statuses.append(reply.status)
            missing = await client.post("/telegram", json={"update_id": 1})
            return statuses + [missing.status]

    assert asyncio.run(go()) == [403, 403, 403, 403]


def test_nginx_publishes_socketio_only():
    import dataclasses

    from bot.cluster import site_conf
    from bot.settings import get_settings

    conf = site_conf(dataclasses.replace(get_settings(), internal_networks=("10.1.0.0/16",)))
    public, rest = conf.split("location / {", 1)
    assert "location /socket.io/" in public
    assert "deny" not in public.split("location /socket.io/")[1]
    rules = rest.split("proxy_pass", 1)[0]
    assert "allow 127.0.0.0/8;" in rules and "allow 10.1.0.0/16;" in rules
    assert "deny all;" in rules
