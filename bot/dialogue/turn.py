"""One message as the NLU read it, and what the dialogue decided for it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.catalogue.search import ANY
from bot.dialogue.context import Context
from bot.text import fold as fold_text
from bot.understanding import parse_any, parse_trade

Message = tuple[str, dict[str, Any]]
# Before a second trade: the sector the first one is in, not a correction.
_IN_SECTOR = re.compile(r"\b(?:dans|en|de|du) (?:la |le |l |les )?"
                        r"(?:secteur (?:de |du |de la )?)?$")


@dataclass
class Turn:
    """One message, as the NLU read it."""

    text: str
    intent: str = "nlu_fallback"
    confidence: float = 0.0
    entities: dict[str, list[str]] = field(default_factory=dict)
    ranking: list[dict[str, Any]] = field(default_factory=list)
    sender_id: str = ""
    channel: str = "rest"
    now: datetime | None = None
    said_as: dict[str, str] = field(default_factory=dict)  # entity value -> the words typed

    def entity(self, name: str) -> str | None:
        values = self.entities.get(name) or []
        if name == "job" and len(values) >= 2 and _IN_SECTOR.search(
                fold_text(self.text).split(fold_text(self.said_as.get(values[-1], values[-1]))
                                           )[0][-25:]):
            return values[0]  # « technicienne qualité dans la plasturgie »: the trade first
        return values[-1] if values else None  # « non pas Thiers, Montbrison »: the last one


@dataclass
class Outcome:
    says: list[Message]
    context: Context
    searched: dict[str, Any] | None = None  # for the observatory: kind, trade, place, found
    handoff: dict[str, Any] | None = None  # a ticket to create: consent, name, contact, reason
    erase: bool = False
    after: list[Message] = field(default_factory=list)  # said after the ticket's messages


_PAYLOAD = re.compile(r"^/([A-Za-z_]+)(\{.*\})?$", re.S)


def parse_payload(payload: str) -> tuple[str, dict[str, list[str]]]:
    """ "/inform{"location": "63430"}" → ("inform", {"location": ["63430"]})."""
    found = _PAYLOAD.match(payload.strip())
    if not found:
        return "nlu_fallback", {}
    entities: dict[str, list[str]] = {}
    if found.group(2):
        try:
            raw = json.loads(found.group(2))
        except ValueError:
            raw = {}
        for key, value in (raw or {}).items():
            if key == "job":
                value = parse_trade(str(value)) or (ANY if parse_any(str(value)) else value)
            entities[key] = [str(value)]
    return found.group(1), entities


def json_payload(intent: str, **entities: str) -> str:
    """The payload of a button: "/inform{"job": "soudeur"}"."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"
