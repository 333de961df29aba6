"""Rasa's REST channel (/webhooks/rest/webhook), guarded against silent failures and against
a message handled twice (a client may send it again with the same `message_id`).

The channel is the server's to say: a body naming another one (`input_channel`) is refused, so
nobody passes a REST message off as Telegram's. The REST input is not published beyond
loopback (bot/channels/surface.py): the web app, operators and tests call it. A message is
capped and cleaned (bot/edge.py) before anything reads it."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.channels.guard import never_silent
from bot.channels.idempotent import idempotent, message_id_of
from bot.channels.relay import relayed
from bot.edge import clean_message


def _body(request: Request) -> dict:
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - Sanic raises its own error for bad JSON
        body = None
    if not isinstance(body, dict):
        raise InvalidUsage("a JSON object is expected")
    return body


class IndyRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, request: Request) -> Optional[str]:
        sender = _body(request).get("sender")
        if not isinstance(sender, str) or not 0 < len(sender) <= 200:
            raise InvalidUsage("sender: a string of 1 to 200 characters")
        return sender

    def _extract_message(self, request: Request) -> Optional[str]:
        message = _body(request).get("message")
        if not isinstance(message, str):
            raise InvalidUsage("message: a string")
        return clean_message(message)  # capped and cleaned before anything reads it

    def _extract_input_channel(self, request: Request) -> str:
        asked = _body(request).get("input_channel")
        if asked not in (None, self.name()):
            raise InvalidUsage("input_channel is set by the server")
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        message_id = message_id_of(request.json)
        return {"message_id": message_id} if message_id else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        return super().blueprint(
            relayed(never_silent(idempotent(on_new_message))))
