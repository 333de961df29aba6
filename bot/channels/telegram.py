"""The Rasa side of Telegram: the REST protocol under the channel name "telegram", so that the
conversation, its handoff and its alerts know they can push to this chat. The Telegram side
(long polling, buttons, typing) is bot/telegram_bot.py, which posts here."""

from __future__ import annotations

from bot.channels.rest import IndyRestInput


class IndyTelegramInput(IndyRestInput):
    @classmethod
    def name(cls) -> str:
        return "telegram"
