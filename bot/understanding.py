"""Reading a short answer to a question Indy asked: a trade, a place, "peu importe", yes or no."""

from __future__ import annotations

import re
from typing import Any

from bot.places import normalise_place, place_by_key, place_gazetteer
from bot.text import fold
from bot.trades import normalise_trade, trade_gazetteer

_ANY = re.compile(r"\b(peu (m )?importe|n ?importe|nimporte|egal|pas d importance|tout|"
                  r"tous|partout|any|indifferent|pas de preference|je sais pas|jsp|sais pas)\b")
_YES = re.compile(r"^(oui|ouais|ouai|ok|yes|yep|oe|wi|ui|carrement|bien sur|affirm|true|"
                  r"j ai (le permis et )?(une )?(voiture|vehicule|scooter|moto)|"
                  r"oui j ai (le permis|une voiture|un vehicule))\b")
_NO = re.compile(r"^(non|nan|no|nope|pas de|pas encore|j ai pas|g pas|jai pas|aucun|deny|false|"
                 r"sans)\b")


def parse_any(value: Any) -> bool:
    return isinstance(value, str) and bool(_ANY.search(fold(value)))


def parse_trade(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip() or parse_any(value):
        return None
    trade = normalise_trade(value)
    if trade is None:
        found = trade_gazetteer().find(value, allow_ambiguous=True)
        trade = found[0].entry if found else None
    return trade.name if trade else None


def parse_place(value: Any) -> str | None:
    """A commune's INSEE code or an area id; "peu importe" is the whole territory."""
    if not isinstance(value, str) or not value.strip():
        return None
    if place_by_key(value.strip()) is not None:
        return value.strip()
    place = normalise_place(value)
    if place is None:
        found = place_gazetteer().find(value, allow_ambiguous=True)
        place = found[0].entry if found else None
    if place is not None:
        return place.key
    return "tiltam" if parse_any(value) else None


def parse_yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    text = fold(value)
    if _NO.search(text):
        return False
    if _YES.search(text):
        return True
    return None


_AGE = re.compile(r"\b(1[3-9]|2\d|30) ?ans\b")


def parse_age(text: str | None) -> int | None:
    """ "j'ai 19 ans", "mon fils a 15ans" → the age, for routing; None if not said."""
    found = _AGE.search(fold(text or ""))
    return int(found.group(1)) if found else None
