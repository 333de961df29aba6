"""What a message may be when it reaches Indy, whatever the channel: bounded and clean.

Every edge applies it before anything else reads the text (the web app, Rasa's REST,
Telegram and socket.io inputs, the Telegram bridge), and the tickets apply it again to what
they store: a message is at most MAX_MESSAGE_CHARS characters, without NUL (PostgreSQL refuses
it in text), other control characters, bidirectional overrides (they disguise text on the
counsellors' dashboard), zero-width or byte-order marks, or lone surrogates (not encodable).
Line breaks and tabs stay; so do emoji sequences (ZWJ).
"""

from __future__ import annotations

import re

MAX_MESSAGE_CHARS = 2000
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]")


def clean_text(text: str, limit: int) -> str:
    """`text` without unwanted characters, at most `limit` characters, stripped."""
    text = text[: limit * 4]  # the work is bounded whatever comes in
    return _UNWANTED.sub("", text).strip()[:limit]


def clean_message(text: str) -> str:
    return clean_text(text, MAX_MESSAGE_CHARS)
