"""Sends one user message to a Rasa channel, at least once, handled once.

Each message carries an id. When the Rasa replica that received it fails mid-way (nginx
answers 502/503/504, or the connection drops), the message is sent once more with the same id:
Rasa's channel answers a message it already handled from the conversation
(bot/channels/idempotent.py), so nothing is lost and nothing is handled twice.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aiohttp

RETRY_STATUSES = {502, 503, 504}
RETRY_AFTER_S = 1.0


async def send(http: aiohttp.ClientSession, url: str, sender: str, text: str,
               message_id: str | None = None, timeout_s: float = 60,
               headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Indy's answers; raises aiohttp.ClientError or TimeoutError when Rasa cannot answer."""
    body = {"sender": sender, "message": text, "message_id": message_id or uuid.uuid4().hex}
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    for attempt in (1, 2):
        try:
            async with http.post(url, json=body, timeout=timeout, headers=headers) as reply:
                if reply.status in RETRY_STATUSES and attempt == 1:
                    await asyncio.sleep(RETRY_AFTER_S)
                    continue
                reply.raise_for_status()
                return await reply.json()
        except aiohttp.ServerDisconnectedError:  # sent, maybe handled: once more, same id
            if attempt == 2:
                raise
            await asyncio.sleep(RETRY_AFTER_S)
        # A refused connection is not retried: nothing listens (nginx itself is down).
    raise aiohttp.ClientError("unreachable")  # never reached: the loop returns or raises
