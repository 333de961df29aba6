"""The Rasa side of Telegram: the REST protocol under the channel name "telegram", so that the
conversation, its handoff and its alerts know they can push to this chat. The Telegram side
(long polling, buttons, typing) is bot/telegram_bot.py, which posts here.

Only the bridge may post here: every request carries the channel secret (derived from the
server's key, bot/identity.py), compared in constant time; the sender is the keyed hash of the
chat, never the chat number."""

from __future__ import annotations

from typing import Optional

from sanic.exceptions import Forbidden
from sanic.request import Request

from bot.channels.rest import IndyRestInput
from bot.identity import CHANNEL_SECRET_HEADER, TELEGRAM_PREFIX, channel_secret, same_secret


class IndyTelegramInput(IndyRestInput):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def _extract_sender(self, request: Request) -> Optional[str]:
        if not same_secret(request.headers.get(CHANNEL_SECRET_HEADER), channel_secret("telegram")):
            raise Forbidden("the Telegram input is for Indy's bridge only")
        sender = await super()._extract_sender(request)
        if not sender.startswith(TELEGRAM_PREFIX):
            raise Forbidden("a Telegram sender is a keyed hash of its chat")
        return sender
