"""Indy on Telegram for young people: long polling (no public address needed), each private
chat bridged to Rasa, buttons as inline keyboards, "typing…" while Rasa thinks.

The bot's only consumer of updates: with INDY_COUNSELLORS_CHAT, the counsellors' desk
(bot/handoff/telegram_desk.py) runs in the same application, so Telegram's one reader gets
both. Groups never reach Rasa: the young people's side answers private chats only.

`/start` greets (`/start <code>` continues from the kiosk); `/aide`, `/conseiller`,
`/effacer` map to intents. Telegram's limits are
respected with python-telegram-bot's rate limiter (429 retry_after honoured). Run by
`make run` when INDY_TELEGRAM_TOKEN is set (`python -m bot telegram`). Webhook mode, for a public
HTTPS address: INDY_TELEGRAM_WEBHOOK_URL (+ INDY_TELEGRAM_SECRET, INDY_TELEGRAM_WEBHOOK_PORT);
every request must carry Telegram's secret token.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from typing import Any

import aiohttp
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import rasa_client
from bot.channels.guard import technical_problem_message
from bot.content import load_yaml
from bot.edge import clean_message
from bot.identity import CHANNEL_SECRET_HEADER, channel_secret, same_secret, telegram_sender
from bot.settings import get_settings

logger = logging.getLogger(__name__)
COMMANDS = {"aide": "/ask_capabilities", "conseiller": "/request_human",
            "effacer": "/delete_my_data"}
MAX_CALLBACK_BYTES = 64  # Telegram's limit for callback_data


def sender_of(chat_id: int) -> str:
    """The conversation of a chat in Rasa: a keyed hash, never the public chat number."""
    return telegram_sender(chat_id)


def _remember(chat_id: int) -> str:
    """The chat's sender id, its chat id kept server-side (for the outbox and alerts). The
    database failing must not silence Indy: the sender id is still right, pushes wait."""
    from bot.telegram_chats import remember

    try:
        return remember(chat_id)
    except Exception:  # noqa: BLE001
        logger.exception("could not store the chat of a Telegram conversation")
        return sender_of(chat_id)


async def ask_rasa(sender: str, text: str, rasa_url: str | None = None,
                   message_id: str | None = None) -> list[dict[str, Any]]:
    url = f"{rasa_url or get_settings().rasa_url}/webhooks/telegram/webhook"
    headers = {CHANNEL_SECRET_HEADER: channel_secret("telegram")}
    try:
        async with aiohttp.ClientSession() as http:
            return await rasa_client.send(http, url, sender, text, message_id, headers=headers)
    except (aiohttp.ClientError, TimeoutError) as error:
        logger.warning("Rasa unreachable: %s", type(error).__name__)
        return [technical_problem_message()]


def keyboard(buttons: list[dict[str, str]]) -> InlineKeyboardMarkup | None:
    rows = []
    for button in buttons or []:
        payload = button.get("payload", "")
        if len(payload.encode()) > MAX_CALLBACK_BYTES:
            continue  # cannot be carried by Telegram: the text still says it
        rows.append([InlineKeyboardButton(button.get("title", payload), callback_data=payload)])
    return InlineKeyboardMarkup(rows) if rows else None


async def relay(chat_id: int, text: str, context: ContextTypes.DEFAULT_TYPE,
                update: Update | None = None) -> None:
    await context.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
    text = clean_message(text)
    message_id = f"telegram-{update.update_id}" if update is not None else None
    sender = await asyncio.to_thread(_remember, chat_id)  # where answers and alerts go later
    messages = await ask_rasa(sender, text, context.bot_data.get("rasa_url"), message_id)
    for message in messages:
        body = message.get("text") or ""
        markup = keyboard(message.get("buttons", []))
        if message.get("image"):
            await context.bot.send_photo(chat_id=chat_id, photo=message["image"],
                                         caption=body or None, reply_markup=markup)
        elif body or markup:
            await context.bot.send_message(chat_id=chat_id, text=body or "…", reply_markup=markup)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await relay(update.effective_chat.id, update.effective_message.text or "", context, update)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    if query.message is None or query.message.chat.type != "private":
        return  # a button under a message of a group: not a young person's conversation
    await relay(query.message.chat_id, query.data or "", context, update)


def _resume(code: str, chat_id: int) -> bool:
    from bot.catalogue.db import session_scope
    from bot.handoff.resume import resume

    sender = _remember(chat_id)  # before the request moves here: its answers must find the chat
    with session_scope() as session:
        return resume(session, code, sender)


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/start` greets; `/start <code>` (the kiosk's QR code) first brings the request along."""
    chat_id = update.effective_chat.id
    if context.args and await asyncio.to_thread(_resume, context.args[0][:40], chat_id):
        resumed = load_yaml(get_settings().content_dir / "system.yml")["resumed"]["text"]
        await context.bot.send_message(chat_id=chat_id, text=resumed)
    await relay(chat_id, "/greet", context)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    command = (update.effective_message.text or "").split()[0].lstrip("/").split("@")[0]
    await relay(update.effective_chat.id, COMMANDS[command], context, update)


def build(token: str, base_url: str, rasa_url: str | None = None,
          rate_limit: bool = True, counsellors_chat: str | None = None) -> Application:
    builder = Application.builder().token(token).base_url(base_url)
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    app = builder.build()
    app.bot_data["rasa_url"] = rasa_url
    if counsellors_chat:  # first: "take:<id>" buttons and replies in the group are the desk's
        from bot.handoff.telegram_desk import add_handlers

        add_handlers(app, counsellors_chat)
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", on_start, filters=private))
    app.add_handler(CommandHandler(list(COMMANDS), on_command, filters=private))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text))
    return app


SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_app(application: Application, secret: str) -> web.Application:
    """Webhook mode: Telegram POSTs updates here; the secret token it was given is checked."""

    async def receive(request: web.Request) -> web.Response:
        if not same_secret(request.headers.get(SECRET_HEADER), secret):  # never a 500
            return web.Response(status=403, text="forbidden")
        try:
            update = Update.de_json(await request.json(), application.bot)
        except ValueError:
            return web.Response(status=400, text="bad update")
        await application.process_update(update)
        return web.Response(text="ok")

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/telegram", receive)
    return app


async def _serve_webhook(application: Application, url: str, secret: str, port: int) -> None:
    async with application:
        await application.bot.set_webhook(url=url, secret_token=secret,
                                          allowed_updates=["message", "callback_query"])
        runner = web.AppRunner(webhook_app(application, secret))
        await runner.setup()
        await web.TCPSite(runner, get_settings().host, port).start()
        logger.info("Telegram webhook on port %d", port)
        await asyncio.Event().wait()


def run() -> int:
    token = os.environ.get("INDY_TELEGRAM_TOKEN")
    if not token:
        print("Telegram désactivé : définis INDY_TELEGRAM_TOKEN (jeton de @BotFather).")
        return 0
    base = os.environ.get("INDY_TELEGRAM_API", "https://api.telegram.org/bot")
    application = build(token, base, counsellors_chat=os.environ.get("INDY_COUNSELLORS_CHAT"))
    webhook = os.environ.get("INDY_TELEGRAM_WEBHOOK_URL")
    if webhook:  # a public HTTPS address in front of INDY_TELEGRAM_WEBHOOK_PORT
        secret = os.environ.get("INDY_TELEGRAM_SECRET") or secrets.token_urlsafe(32)
        port = int(os.environ.get("INDY_TELEGRAM_WEBHOOK_PORT", "8443"))
        asyncio.run(_serve_webhook(application, webhook, secret, port))
        return 0
    application.run_polling(allowed_updates=["message", "callback_query"],
                            drop_pending_updates=False)
    return 0
