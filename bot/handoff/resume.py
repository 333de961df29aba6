"""Continuing on the phone: the kiosk asks for a code, shown as a QR code (Telegram deep link
`https://t.me/<bot>?start=<code>`); on Telegram, `/start <code>` moves the open request (and
its counsellor's answers) to that chat. Codes are random, single-use (taken by one atomic
UPDATE: two phones scanning the same screen cannot both get the request) and expire after
10 minutes (the code sits on a shared kiosk screen)."""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.handoff.models import ResumeCode
from bot.handoff.tickets import open_ticket_for

VALID_FOR = timedelta(minutes=10)


def bot_username() -> str | None:
    return os.environ.get("INDY_TELEGRAM_BOT_USERNAME") or None


def new_code(session: Session, sender_id: str) -> str:
    code = secrets.token_urlsafe(12)
    session.add(ResumeCode(code=code, sender_id=sender_id))
    session.flush()
    return code


def deep_link(code: str) -> str | None:
    username = bot_username()
    return f"https://t.me/{username}?start={code}" if username else None


def resume(session: Session, code: str, new_sender: str, channel: str = "telegram") -> bool:
    """Moves the open request of the code's conversation to `new_sender`; False if the code
    is unknown, used or expired."""
    now = datetime.utcnow()
    taken = session.execute(
        update(ResumeCode)
        .where(ResumeCode.code == code, ResumeCode.used_at.is_(None),
               ResumeCode.created_at >= now - VALID_FOR)
        .values(used_at=now)
        .execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        return False
    row = session.get(ResumeCode, code)
    ticket = open_ticket_for(session, row.sender_id)
    if ticket is not None:
        ticket.sender_id, ticket.channel = new_sender, channel
    return True
