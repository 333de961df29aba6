"""Never silence: if the assistant produced no answer (action server down, crash), say so.

Rasa logs "Couldn't connect to the server" when the action server is unreachable and goes
on without any event: the user would get nothing. The guard wraps a channel's
`on_new_message`, counts what is sent back and, when nothing was, sends the polite
message of content/system.yml (with a way forward).
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

from bot.content import load_yaml
from bot.settings import get_settings

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def technical_problem_message() -> dict[str, Any]:
    message = load_yaml(get_settings().content_dir / "system.yml")["technical_problem"]
    return {"text": message["text"], "buttons": [dict(b) for b in message.get("buttons", [])]}


def never_silent(on_new_message: OnNewMessage) -> OnNewMessage:
    async def guarded(message: UserMessage) -> None:
        channel = message.output_channel
        original = channel.send_response
        sent = 0

        async def counting(recipient_id: str, response: dict[str, Any]) -> None:
            nonlocal sent
            sent += 1
            await original(recipient_id, response)

        channel.send_response = counting  # type: ignore[method-assign]
        try:
            await on_new_message(message)
        except Exception:  # the user must still get an answer
            logger.exception("message handling failed for a %s message", message.input_channel)
        finally:
            channel.send_response = original  # type: ignore[method-assign]
        if sent == 0:
            logger.warning("no answer produced: sending the technical-problem message")
            await original(message.sender_id, technical_problem_message())

    return guarded
