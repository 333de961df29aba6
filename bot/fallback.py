"""What Indy does when it did not understand: guess two meanings, then offer a person."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from bot.labels import intent_label, labels

MISS_INTENTS = {"nlu_fallback", "other_topic"}
MISSES_BEFORE_HUMAN = 2


@dataclass(frozen=True)
class FallbackReply:
    response: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def consecutive_misses(user_intents: Iterable[str]) -> int:
    """How many of the latest user messages in a row Indy did not understand (newest last)."""
    count = 0
    for intent in reversed(list(user_intents)):
        if intent not in MISS_INTENTS:
            break
        count += 1
    return count


def guesses(intent_ranking: list[dict[str, Any]], entities: list[dict[str, Any]], n: int = 2):
    """The n most likely meanings worth offering, as buttons that carry the entities found."""
    skip = set(labels()["not_suggested"])
    payload_entities = {
        e["entity"]: e["value"] for e in entities if e.get("entity") in ("job", "location")
    }
    suffix = ""
    if payload_entities:
        suffix = json.dumps(payload_entities, ensure_ascii=False)
    buttons = []
    for item in intent_ranking:
        name = item.get("name")
        label = intent_label(name) if name and name not in skip else None
        if label:
            buttons.append({"title": label, "payload": f"/{name}{suffix}"})
        if len(buttons) == n:
            break
    return buttons


def decide(
    user_intents: list[str],
    intent_ranking: list[dict[str, Any]],
    entities: list[dict[str, Any]],
) -> FallbackReply:
    if consecutive_misses(user_intents) >= MISSES_BEFORE_HUMAN:
        return FallbackReply("utter_fallback_offer_human")
    if user_intents and user_intents[-1] == "other_topic":
        return FallbackReply("utter_fallback_rephrase")
    buttons = guesses(intent_ranking, entities)
    if not buttons:
        return FallbackReply("utter_fallback_rephrase")
    buttons.append({"title": labels()["other_topic"], "payload": "/other_topic"})
    return FallbackReply("utter_fallback_suggest", buttons)
