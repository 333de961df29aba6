"""Rasa's REST channel (/webhooks/rest/webhook), guarded against silent failures and against
a message handled twice (a client may send it again with the same `message_id`)."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic.request import Request

from bot.channels.guard import never_silent
from bot.channels.idempotent import idempotent, message_id_of
from bot.channels.relay import relayed


class IndyRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    _agent: Any = None

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        self._agent = request.app.ctx.agent  # its tracker store, for the idempotency check
        message_id = message_id_of(request.json)
        return {"message_id": message_id} if message_id else None

    def _tracker_store(self) -> Any:
        return getattr(self._agent, "tracker_store", None)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        return super().blueprint(
            relayed(never_silent(idempotent(on_new_message, self._tracker_store))))
