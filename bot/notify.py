"""Messages Indy sends on its own (alerts): one transport per channel that can push.

Telegram pushes through the Bot API (python-telegram-bot; `INDY_TELEGRAM_API` points it at a
local emulator in tests). Channels without push (REST, web page) keep nothing to send: the
person sees new offers at the next search.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from bot.dialogue.responses import responses


class RetryLater(RuntimeError):
    """The channel asked to wait (Telegram 429): `retry_after` seconds."""

    def __init__(self, retry_after: float):
        super().__init__(f"retry after {retry_after:g} s")
        self.retry_after = retry_after


class Transport(Protocol):
    def send(self, recipient: str, text: str, buttons: list[dict] | None = None) -> None: ...


@dataclass
class TelegramTransport:
    token: str
    base_url: str = "https://api.telegram.org/bot"

    def send(self, recipient: str, text: str, buttons: list[dict] | None = None) -> None:
        """Raises RetryLater on a 429; `recipient` is a sender id (its chat is looked up,
        bot/telegram_chats.py) or the counsellors' group chat id."""
        from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
        from telegram.error import RetryAfter

        from bot.telegram_chats import chat_of

        chat_id = chat_of(recipient)

        markup = None
        if buttons:
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(b["title"],
                                                                 callback_data=b["payload"])]
                                           for b in buttons])

        async def _send() -> None:
            async with Bot(self.token, base_url=self.base_url) as bot:
                await bot.send_message(chat_id=chat_id, text=text, reply_markup=markup)

        try:
            asyncio.run(_send())
        except RetryAfter as error:
            seconds = error.retry_after
            raise RetryLater(seconds.total_seconds() if hasattr(seconds, "total_seconds")
                             else float(seconds)) from error


def transports_from_env() -> dict[str, Transport]:
    transports: dict[str, Transport] = {}
    token = os.environ.get("INDY_TELEGRAM_TOKEN")
    if token:
        base = os.environ.get("INDY_TELEGRAM_API", "https://api.telegram.org/bot")
        transports["telegram"] = TelegramTransport(token, base)
    return transports


@lru_cache(maxsize=1)
def render(response: str, **variables: str) -> str:
    """The first text of a domain.yml response, filled in (as Rasa would)."""
    return responses()[response][0]["text"].format(**variables)


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    no_transport: int = 0


def send_alerts(session, deliveries: Iterable, transports: dict[str, Transport]) -> Sent:
    """Sends each delivery on its channel and records it; a failure is retried next time."""
    from bot.catalogue.alerts import mark_sent

    outcome = Sent()
    for delivery in deliveries:
        transport = transports.get(delivery.channel)
        if transport is None:
            outcome.no_transport += 1
            continue
        text = render("utter_alert_new_offer", title=delivery.title,
                      organisation=delivery.organisation, place=delivery.place)
        try:
            transport.send(delivery.sender_id, text)
        except Exception:  # noqa: BLE001 - any network or API error: try again later
            outcome.failed += 1
            continue
        mark_sent(session, delivery)
        outcome.sent += 1
    return outcome
