"""Exactly-once with message ids (bot/channels/idempotent.py): the check reads the tracker that
Rasa loads to handle the message (one load), under the conversation's lock."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels.idempotent import idempotent


class FakeRasa:
    """What `Agent.handle_message` does around the tracker: the conversation's lock, then the
    processor's (patched) `get_tracker`, then the handling, then the save."""

    def __init__(self, delay_s: float = 0.0):
        self.store = InMemoryTrackerStore(Domain.empty())
        self.loads = 0
        retrieve = self.store.retrieve

        async def counted(sender_id):
            self.loads += 1
            return await retrieve(sender_id)

        self.store.retrieve = counted
        self.processor = SimpleNamespace(
            tracker_store=self.store,
            model_metadata=SimpleNamespace(model_id="m", assistant_id="a"))
        self.locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.handled: list[str] = []
        self.delay_s = delay_s

    async def handle_message(self, message: UserMessage) -> None:
        async with self.locks[message.sender_id]:
            tracker = await MessageProcessor.get_tracker(self.processor, message.sender_id)
            await asyncio.sleep(self.delay_s)
            self.handled.append(message.text)
            answer = f"réponse à {message.text}"
            tracker.update(UserUttered(message.text, message_id=message.message_id))
            tracker.update(BotUttered(answer))
            await message.output_channel.send_response(message.sender_id, {"text": answer})
            await self.store.save(tracker)


def _send(handler, text: str, message_id: str | None, sender: str = "web-abcdef123456"):
    output = CollectingOutputChannel()
    metadata = {"message_id": message_id} if message_id else None
    return output, handler(UserMessage(text, output, sender, input_channel="rest",
                                       metadata=metadata))


def test_a_message_sent_again_is_answered_from_the_conversation_with_one_load_each():
    rasa = FakeRasa()
    handler = idempotent(rasa.handle_message)

    async def scenario():
        first, sending = _send(handler, "salut", "message-0001")
        await sending
        again, sending = _send(handler, "salut", "message-0001")
        await sending
        other, sending = _send(handler, "et après ?", "message-0002")
        await sending
        return first, again, other

    first, again, other = asyncio.run(scenario())
    assert rasa.handled == ["salut", "et après ?"]
    assert again.messages == first.messages == [
        {"recipient_id": "web-abcdef123456", "text": "réponse à salut"}]
    assert other.messages[0]["text"] == "réponse à et après ?"
    assert rasa.loads == 3  # one tracker load per message, the copy included


def test_a_copy_sent_while_the_first_is_handled_waits_and_gets_its_answers():
    """A client that timed out sends again while the replica still handles the first."""
    rasa = FakeRasa(delay_s=0.2)
    handler = idempotent(rasa.handle_message)

    async def scenario():
        first, one = _send(handler, "salut", "message-0001")
        copy, two = _send(handler, "salut", "message-0001")
        await asyncio.gather(one, two)
        return first, copy

    first, copy = asyncio.run(scenario())
    assert rasa.handled == ["salut"]
    assert copy.messages == first.messages


def test_without_an_id_every_message_is_handled():
    rasa = FakeRasa()
    handler = idempotent(rasa.handle_message)

    async def scenario():
        for _ in range(2):
            _, sending = _send(handler, "salut", None)
            await sending

    asyncio.run(scenario())
    assert rasa.handled == ["salut", "salut"]


def test_the_check_is_for_the_first_load_only_and_leaves_other_handlers_alone():
    rasa = FakeRasa()
    handler = idempotent(rasa.handle_message)

    async def scenario():
        _, sending = _send(handler, "salut", "message-0001")
        await sending
        # Later loads (the HTTP API, a reminder) are not checked: no handler is pending.
        tracker = await MessageProcessor.get_tracker(rasa.processor, "web-abcdef123456")
        return tracker

    tracker = asyncio.run(scenario())
    assert [e.message_id for e in tracker.events if isinstance(e, UserUttered)] == [
        "message-0001"]
