"""The Telegram chats behind the keyed sender ids (bot/identity.py), kept server-side.

The bridge remembers each chat it relays; whatever pushes to a person on Telegram (the outbox,
alerts) turns the sender id back into the chat id here. A recipient that is not a sender id
(the counsellors' group, INDY_COUNSELLORS_CHAT) is a chat id already."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from bot.catalogue.db import session_scope
from bot.handoff.models import TelegramChat
from bot.identity import TELEGRAM_PREFIX, telegram_sender


class UnknownChat(LookupError):
    """A sender id whose chat is not (or no longer) known: nothing can be pushed to it."""


def remember(chat_id: int | str) -> str:
    """The sender id of this chat, its chat id stored once."""
    sender = telegram_sender(chat_id)
    with session_scope() as session:
        if session.get(TelegramChat, sender) is not None:
            return sender
        try:
            with session.begin_nested():
                session.add(TelegramChat(sender_id=sender, chat_id=str(int(chat_id))))
        except IntegrityError:  # the same chat stored concurrently
            pass
    return sender


def chat_of(recipient: str) -> str:
    """The chat id to send to."""
    if not recipient.startswith(TELEGRAM_PREFIX):
        return recipient
    with session_scope() as session:
        row = session.get(TelegramChat, recipient)
        if row is None:
            raise UnknownChat(recipient)
        return row.chat_id
