"""Rasa's REST channel (/webhooks/rest/webhook), guarded against silent failures."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput

from bot.channels.guard import never_silent
from bot.channels.relay import relayed


class IndyRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        return super().blueprint(relayed(never_silent(on_new_message)))
