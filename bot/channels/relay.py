"""While a counsellor holds a conversation, Indy stays quiet: the person's messages go to the
ticket (bot.handoff.service.intercept) instead of Rasa. Wraps a channel's on_new_message."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

from bot.content import load_yaml
from bot.dialogue import safety
from bot.handoff.service import intercept
from bot.notify import render
from bot.ratelimit import LIMITER
from bot.ratelimit import MESSAGE as RATE_MESSAGE
from bot.settings import get_settings

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def feedback_thanks() -> str:
    return load_yaml(get_settings().content_dir / "system.yml")["satisfaction"]["thanks"]


def relayed(on_new_message: OnNewMessage) -> OnNewMessage:
    async def handle(message: UserMessage) -> None:
        if not LIMITER.allow(f"{message.input_channel}:{message.sender_id}"):
            await message.output_channel.send_text_message(message.sender_id, RATE_MESSAGE)
            return
        try:
            state = await asyncio.to_thread(intercept, message.sender_id, message.text or "")
        except Exception:  # the handoff store failing must not silence Indy
            logger.exception("handoff check failed; Indy answers")
            state = "indy"
        if state == "relayed":
            return
        if state.startswith("distress:"):
            # A counsellor holds the conversation, but the numbers cannot wait for them.
            for message_ in safety.messages(state.split(":", 1)[1]):
                await message.output_channel.send_text_message(message.sender_id,
                                                               message_["text"])
            return
        if state == "feedback":
            await message.output_channel.send_text_message(message.sender_id, feedback_thanks())
            return
        if state == "cancelled":
            await message.output_channel.send_text_message(
                message.sender_id, render("utter_handoff_cancelled"))
            return
        await on_new_message(message)

    return handle
