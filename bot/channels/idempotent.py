"""At-least-once clients, exactly-once conversations.

A client that got no answer (a Rasa replica killed mid-request, a timeout) sends the message
again with the same `message_id`. If a replica had already handled it, the conversation holds
the user's message with that id: the answers that followed it are sent back and nothing is
handled twice. Clients send the messages of one conversation one after the other, so the
check needs no lock of its own (Rasa's lock store orders the handling itself).
"""

from __future__ import annotations

import re
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{8,80}$")
ANSWER_KEYS = ("text", "buttons", "image", "attachment", "custom", "quick_replies", "elements")


def message_id_of(body: Any) -> str | None:
    """The client's id of a message, when it gave a well-formed one."""
    value = body.get("message_id") if isinstance(body, dict) else None
    return value if isinstance(value, str) and MESSAGE_ID.match(value) else None


def answers_to(tracker: DialogueStateTracker, message_id: str) -> list[dict] | None:
    """What Indy answered to that message, or None if it never handled it."""
    events = list(tracker.events)
    for index, event in enumerate(events):
        if isinstance(event, UserUttered) and event.message_id == message_id:
            answers = []
            for later in events[index + 1:]:
                if isinstance(later, UserUttered):
                    break
                if isinstance(later, BotUttered):
                    message = later.message()
                    answers.append({k: message[k] for k in ANSWER_KEYS if message.get(k)})
            return answers
    return None


def idempotent(on_new_message: OnNewMessage,
               tracker_store: Callable[[], Any]) -> OnNewMessage:
    """Wraps a channel's handler: a message id already in the conversation is not handled again.

    `tracker_store` gives Rasa's tracker store (known only once the server runs)."""

    async def handle(message: UserMessage) -> None:
        message_id = (message.metadata or {}).get("message_id")
        if message_id:
            message.message_id = message_id
            store = tracker_store()
            tracker = await store.retrieve(message.sender_id) if store is not None else None
            answers = answers_to(tracker, message_id) if tracker is not None else None
            if answers is not None:
                for answer in answers:
                    await message.output_channel.send_response(message.sender_id, answer)
                return
        await on_new_message(message)

    return handle
