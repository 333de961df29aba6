"""The review queue: messages Indy did not understand, masked, labelled by the team with the
right intent, exported as Rasa NLU training data (to read, correct and add to data/nlu/)."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.logs import mask
from bot.observatory.models import ReviewItem
from bot.settings import ROOT

MAX_CHARS = 300
IGNORE = "__ignore__"
_DIGITS = re.compile(r"\d[\d\s.-]{4,}\d")  # 6 digits or more: numbers, ids, postcodes + more
_NAME = re.compile(
    r"(?i:\b(je m'?\s?appelle|j'm'appelle|mon (?:pr[ée]nom|nom) (?:c'est|est)|moi c'est))\s+"
    r"([^\s,.;!?]+)(\s+[A-ZÀ-Ý][^\s,.;!?]*)?")
_SPACES = re.compile(r"\s+")
_MASKS = re.compile(r"\[(téléphone|e-mail|nombre|prénom)\]")


def mask_message(text: str) -> str:
    """Phone numbers and e-mail addresses (as in the logs), runs of digits, the name after
    "je m'appelle"; on one line, at most 300 characters."""
    masked = mask(_SPACES.sub(" ", text).strip())
    masked = _DIGITS.sub("[nombre]", masked)
    masked = _NAME.sub(lambda m: f"{m.group(1)} [prénom]", masked)
    return masked[:MAX_CHARS]


@lru_cache(maxsize=1)
def intents() -> tuple[str, ...]:
    """The intents a message can be labelled with (domain.yml)."""
    from bot.content import load_yaml

    return tuple(load_yaml(ROOT / "domain.yml")["intents"])


class ReviewError(ValueError):
    pass


def queue(session: Session, status: str = "new", limit: int = 200) -> list[ReviewItem]:
    return list(session.execute(
        select(ReviewItem).where(ReviewItem.status == status)
        .order_by(ReviewItem.occurrences.desc(), ReviewItem.day.desc(), ReviewItem.id)
        .limit(limit)).scalars())


def counts(session: Session) -> dict[str, int]:
    return dict(session.execute(
        select(ReviewItem.status, func.count()).group_by(ReviewItem.status)).all())


def label(session: Session, item_id: int, intent: str, now: datetime | None = None) -> ReviewItem:
    """Labels one message with an intent of the domain, or IGNORE (not training material)."""
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise ReviewError("Message introuvable (déjà effacé ?).")
    if intent == IGNORE:
        item.status, item.label = "ignored", None
    elif intent in intents():
        item.status, item.label = "labelled", intent
    else:
        raise ReviewError("Choisis une intention de la liste.")
    item.labelled_at = now or datetime.utcnow()
    session.flush()
    return item


def _example(text: str) -> str:
    """One line of training data: masks as plain words (square brackets mark entities)."""
    plain = _MASKS.sub(lambda m: m.group(1), text)
    return plain.replace("[", "(").replace("]", ")").replace("{", "(").replace("}", ")").strip()


def export_nlu(session: Session, since: date | None = None) -> str:
    """The labelled messages as Rasa NLU YAML (version 3.1), one block per intent."""
    query = select(ReviewItem).where(ReviewItem.status == "labelled")
    if since is not None:
        query = query.where(ReviewItem.day >= since)
    by_intent: dict[str, list[str]] = {}
    for item in session.execute(query.order_by(ReviewItem.label, ReviewItem.id)).scalars():
        example = _example(item.text)
        if example and example not in by_intent.setdefault(item.label, []):
            by_intent[item.label].append(example)
    lines = ["# Messages qu'Indy n'avait pas compris, étiquetés par l'équipe (observatoire).",
             "# À relire avant de les ajouter à data/nlu/ : chaque ligne reste un vrai message.",
             'version: "3.1"', "nlu:"]
    if not by_intent:
        return "\n".join(lines[:3]) + "\nnlu: []\n"
    for intent_name in sorted(by_intent):
        lines += [f"- intent: {intent_name}", "  examples: |"]
        lines += [f"    - {example}" for example in by_intent[intent_name]]
    return "\n".join(lines) + "\n"
