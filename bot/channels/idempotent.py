"""At-least-once clients, exactly-once conversations.

A client that got no answer (a Rasa replica killed mid-request, a timeout) sends the message
again with the same `message_id`. If a replica had already handled it, the conversation holds
the user's message with that id: the answers that followed it are sent back and nothing is
handled twice.

The check reads the tracker Rasa loads anyway to handle the message (one load, not two), and
under the conversation's lock (bot/rasa_patches.py): a copy sent again while the first is still
being handled, on this replica or another, waits for it and then gets its answers.
"""

from __future__ import annotations

import re
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches

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


class AlreadyHandled(Exception):
    """The message was handled before: here is what Indy answered then."""

    def __init__(self, answers: list[dict]):
        super().__init__("message already handled")
        self.answers = answers


def idempotent(on_new_message: OnNewMessage) -> OnNewMessage:
    """Wraps a channel's handler: a message id already in the conversation is not handled again."""
    rasa_patches.apply()  # the hook this relies on

    async def handle(message: UserMessage) -> None:
        message_id = (message.metadata or {}).get("message_id")
        if not message_id:
            await on_new_message(message)
            return
        message.message_id = message_id

        def check(tracker: DialogueStateTracker) -> None:
            if tracker.sender_id != message.sender_id:
                return
            answers = answers_to(tracker, message_id)
            if answers is not None:
                raise AlreadyHandled(answers)

        token = rasa_patches.on_tracker_loaded(check)
        try:
            await on_new_message(message)
        except AlreadyHandled as handled:
            for answer in handled.answers:
                await message.output_channel.send_response(message.sender_id, answer)
        finally:
            rasa_patches.TRACKER_LOADED.reset(token)

    return handle
