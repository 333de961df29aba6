"""Counsellors on Telegram: "Je prends" under a new request, and answers written as replies.

Its handlers run in the one Telegram consumer of the bot, the bridge (`python -m bot telegram`,
bot/telegram_bot.py), when INDY_COUNSELLORS_CHAT is set: Telegram gives a bot's updates to one
reader only, so a second poller would split them at random. `python -m bot desk` runs the desk
alone, for a bot that serves counsellors only. A counsellor's Telegram account is linked to
their dashboard account (`counsellor add … --telegram-id`). Everything goes through
bot.handoff.tickets: what the person receives is written to the outbox, like answers from the
dashboard.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re

from sqlalchemy import select
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.catalogue.db import session_scope
from bot.handoff import tickets
from bot.handoff.models import Counsellor, Ticket

logger = logging.getLogger(__name__)
REFERENCE = re.compile(r"\bIND-[A-Z2-9]{5}\b")
NOT_LINKED = ("Ton compte Telegram n'est pas relié à un compte conseiller. Un admin peut le "
              "relier : python -m bot counsellor add … --telegram-id {id}")


def _counsellor(session, telegram_id: int) -> Counsellor | None:
    return session.execute(select(Counsellor).where(
        Counsellor.telegram_user_id == str(telegram_id), Counsellor.active.is_(True))
    ).scalar_one_or_none()


def take_from_telegram(telegram_id: int, ticket_id: int) -> str:
    with session_scope() as session:
        counsellor = _counsellor(session, telegram_id)
        if counsellor is None:
            return NOT_LINKED.format(id=telegram_id)
        try:
            ticket = tickets.take(session, ticket_id, counsellor)
        except tickets.TicketError as error:
            return str(error)
        return f"✋ {counsellor.display_name} prend {ticket.reference}."


def reply_from_telegram(telegram_id: int, replied_text: str, text: str) -> str | None:
    """The counsellor answered a notice (or a previous answer) naming a reference."""
    found = REFERENCE.search(replied_text or "")
    if not found:
        return None
    with session_scope() as session:
        counsellor = _counsellor(session, telegram_id)
        if counsellor is None:
            return NOT_LINKED.format(id=telegram_id)
        ticket = session.execute(
            select(Ticket).where(Ticket.reference == found.group())).unique().scalar_one_or_none()
        if ticket is None:
            return "Demande introuvable."
        try:
            tickets.reply(session, ticket.id, counsellor, text)
        except tickets.TicketError as error:
            return str(error)
        return f"✅ Envoyé ({ticket.reference})."


async def on_take(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    ticket_id = int(query.data.split(":", 1)[1])
    answer = await asyncio.to_thread(take_from_telegram, query.from_user.id, ticket_id)
    await query.answer(answer[:190])
    if answer.startswith("✋"):
        await context.bot.send_message(chat_id=query.message.chat_id, text=answer,
                                       reply_to_message_id=query.message.message_id)


async def on_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    replied = message.reply_to_message
    answer = await asyncio.to_thread(reply_from_telegram, message.from_user.id,
                                     replied.text or "", message.text or "")
    if answer:
        await message.reply_text(answer)


def add_handlers(app: Application, chat_id: str) -> None:
    """The desk's handlers: "Je prends" buttons and replies in the counsellors' group only."""
    group = filters.Chat(chat_id=int(chat_id))
    app.add_handler(CallbackQueryHandler(on_take, pattern=r"^take:\d+$"))
    app.add_handler(MessageHandler(group & filters.REPLY & filters.TEXT & ~filters.COMMAND,
                                   on_reply))


def build(token: str, chat_id: str, base_url: str) -> Application:
    app = Application.builder().token(token).base_url(base_url).build()
    add_handlers(app, chat_id)
    return app


def run() -> int:
    token = os.environ.get("INDY_TELEGRAM_TOKEN")
    chat_id = os.environ.get("INDY_COUNSELLORS_CHAT")
    if not token or not chat_id:
        print("Telegram des conseillers désactivé : définis INDY_TELEGRAM_TOKEN et "
              "INDY_COUNSELLORS_CHAT.")
        return 0
    base = os.environ.get("INDY_TELEGRAM_API", "https://api.telegram.org/bot")
    build(token, chat_id, base).run_polling(allowed_updates=["message", "callback_query"])
    return 0
