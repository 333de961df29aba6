"""The channel guard: a message that produced no answer still gets a polite one."""

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.guard import never_silent


def _message() -> UserMessage:
    return UserMessage("salut", CollectingOutputChannel(), "someone", input_channel="rest")


def test_silence_becomes_the_technical_problem_message():
    async def silent(message):
        return None

    message = _message()
    asyncio.run(never_silent(silent)(message))
    [sent] = message.output_channel.messages
    assert "souci technique" in sent["text"]
    assert {"title": "🙋 Parler à quelqu'un", "payload": "/request_human"} in sent["buttons"]


def test_a_crash_becomes_the_technical_problem_message():
    async def crash(message):
        raise RuntimeError("action server down")

    message = _message()
    asyncio.run(never_silent(crash)(message))
    assert "souci technique" in message.output_channel.messages[0]["text"]


def test_answers_pass_through_untouched():
    async def answer(message):
        await message.output_channel.send_response(message.sender_id, {"text": "Salut 👋"})

    message = _message()
    asyncio.run(never_silent(answer)(message))
    assert [m["text"] for m in message.output_channel.messages] == ["Salut 👋"]
