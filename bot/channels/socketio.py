"""Rasa's socket.io channel (for the web widget), guarded against silent failures.

Also repairs Rasa 3.6 against python-socketio ≥ 5.12, where `AsyncServer.enter_room` became a
coroutine: Rasa calls it without `await`, so a persistent session never joins its room and
the answers, sent to that room, reach nobody. And checks the origin of the pages that
connect (bot/origins.py): Rasa 3.6 accepts any.

Identity: the session id is the server's. `session_request` keeps an id only if this server
issued it for the widget (bot/identity.py), else issues a new one; the socket is bound to that
id, and a message names no conversation: it goes to the socket's own (Rasa 3.6 takes the
`session_id` of each message, so any client could write into, and listen to, any room).
"""

from __future__ import annotations

import inspect
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput

from bot.channels.guard import never_silent
from bot.channels.relay import relayed
from bot.edge import clean_message
from bot.identity import browser_id_kind, issue_browser_id
from bot.origins import origin_allowed

logger = logging.getLogger(__name__)
MAX_PACKET_BYTES = 64 * 1024


def _allowed(origin: str, environ: Dict[str, Any]) -> bool:
    return origin_allowed(origin, environ.get("HTTP_HOST"), environ.get("wsgi.url_scheme", "http"))


class IndySocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        handle = relayed(never_silent(on_new_message))
        blueprint = super().blueprint(handle)
        sio = self.sio
        namespace = self.namespace
        # Rasa turns the origin check off (cors_allowed_origins=[]): only Indy's own pages and
        # the partners' sites of territory.yml may open a socket (polling or WebSocket).
        sio.eio.cors_allowed_origins = _allowed
        sio.eio.max_http_buffer_size = MAX_PACKET_BYTES  # python-engineio's default: 1 MB

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            asked = data.get("session_id") if isinstance(data, dict) else None
            session_id = asked if browser_id_kind(asked) == "widget" else issue_browser_id("widget")
            await sio.save_session(sid, {"session_id": session_id}, namespace=namespace)
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Optional[Dict]) -> None:
            try:
                session = await sio.get_session(sid, namespace=namespace)
            except KeyError:  # disconnected meanwhile
                return
            sender_id = session.get("session_id") if self.session_persistence else sid
            if not sender_id:
                logger.info("socket.io message before session_request: ignored")
                return
            text = data.get("message") if isinstance(data, dict) else None
            if not isinstance(text, str):
                return
            # The client's metadata is not kept: nothing it says chooses how it is handled.
            output = SocketIOOutput(sio, self.bot_message_evt)
            await handle(UserMessage(clean_message(text), output, sender_id,
                                     input_channel=self.name()))

        return blueprint
