"""Rasa's socket.io channel (for the web widget), guarded against silent failures.

Also repairs Rasa 3.6 against python-socketio ≥ 5.12, where `AsyncServer.enter_room` became a
coroutine: Rasa calls it without `await`, so a persistent session never joins its room and
the answers, sent to that room, reach nobody. And checks the origin of the pages that
connect (bot/origins.py): Rasa 3.6 accepts any.
"""

from __future__ import annotations

import inspect
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput

from bot.channels.guard import never_silent
from bot.channels.relay import relayed
from bot.origins import origin_allowed


def _allowed(origin: str, environ: Dict[str, Any]) -> bool:
    return origin_allowed(origin, environ.get("HTTP_HOST"), environ.get("wsgi.url_scheme", "http"))


class IndySocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        blueprint = super().blueprint(relayed(never_silent(on_new_message)))
        sio = self.sio
        # Rasa turns the origin check off (cors_allowed_origins=[]): only Indy's own pages and
        # the partners' sites of territory.yml may open a socket (polling or WebSocket).
        sio.eio.cors_allowed_origins = _allowed

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data or {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, data["session_id"], namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", data["session_id"], room=sid,
                           namespace=self.namespace)

        return blueprint
