"""Who a conversation belongs to: ids the server issues, signs and checks.

A client never chooses its conversation id. Every public id is made here, with the server's
secret key (INDY_SECRET_KEY, else `var/secret_key`, made on first run: bot/settings.py):

- a browser (chat page, kiosk, widget) gets `<kind>-<24 hex random>-<32 hex HMAC>` from the web
  app (`POST /api/session`) or from Rasa's socket.io channel; the HMAC covers the kind, so an
  id made for one channel is refused on another, and an id the server did not make is refused;
- a Telegram chat is the sender `tg-<32 hex HMAC of the chat id>`: knowing someone's public chat
  number gives nothing. The chat id is kept server-side (`bot/telegram_chats.py`) to push to it;
- the channels that only Indy's own processes call (Rasa's `telegram` input) require a channel
  secret derived from the same key, compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from bot.settings import get_settings

BROWSER_KINDS = ("web", "kiosk", "widget")
_BROWSER_ID = re.compile(r"^(web|kiosk|widget)-([0-9a-f]{24})-([0-9a-f]{32})$")
TELEGRAM_PREFIX = "tg-"
CHANNEL_SECRET_HEADER = "X-Indy-Channel-Secret"


def _mac(purpose: str, value: str, key: str | None = None) -> str:
    key = key if key is not None else get_settings().secret_key
    return hmac.new(key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def issue_browser_id(kind: str, key: str | None = None) -> str:
    if kind not in BROWSER_KINDS:
        raise ValueError(f"unknown browser kind {kind!r}")
    nonce = secrets.token_hex(12)
    return f"{kind}-{nonce}-{_mac('browser', f'{kind}-{nonce}', key)}"


def browser_id_kind(value: object, key: str | None = None) -> str | None:
    """The kind ("web", "kiosk", "widget") of an id this server issued, else None."""
    if not isinstance(value, str):
        return None
    found = _BROWSER_ID.match(value)
    if not found:
        return None
    kind, nonce, mac = found.groups()
    expected = _mac("browser", f"{kind}-{nonce}", key)
    return kind if hmac.compare_digest(mac.encode(), expected.encode()) else None


def telegram_sender(chat_id: int | str, key: str | None = None) -> str:
    """The Rasa sender id of a Telegram chat: a keyed hash, never the public chat number."""
    return TELEGRAM_PREFIX + _mac("telegram", str(int(chat_id)), key)


def channel_secret(channel: str, key: str | None = None) -> str:
    """What Indy's own processes show to a Rasa channel that only they may call."""
    return _mac("channel", channel, key)


def same_secret(given: object, expected: str) -> bool:
    """Constant-time comparison that never raises (a non-ASCII header is just wrong)."""
    if not isinstance(given, str) or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode())
