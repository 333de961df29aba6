"""A fact of content/facts.yml as messages Indy sends (text and buttons)."""

from __future__ import annotations

from bot.facts import fact


def fact_messages(fact_id: str) -> list[dict]:
    return [
        {k: v for k, v in message.items() if k in ("text", "buttons")}
        for message in fact(fact_id).messages
    ]


def fact_title(fact_id: str) -> str:
    return fact(fact_id).title
