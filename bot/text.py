"""Text normalisation and fuzzy matching for how users write: no accents, SMS, typos."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "´": "'"})
_SEPARATORS = re.compile(r"[\s\-_'.,;:!?()/\"«»]+")
# Abbreviations users write for the words of place and trade names.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "s": "sur", "ss": "sous"}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe")


def fold(text: str) -> str:
    """Lower case, no accents, one space between words, abbreviations expanded."""
    text = strip_accents(text.translate(_APOSTROPHES).lower())
    words = [w for w in _SEPARATORS.split(text) if w]
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def max_typos(length: int) -> int:
    """How many edits a word of this length may carry and still match."""
    if length < 5:
        return 0
    if length < 9:
        return 1
    return 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with transpositions, stopping early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                previous2 is not None
                and i > 1
                and j > 1
                and ca == b[j - 2]
                and a[i - 2] == cb
            ):
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


_SOUNDS = [
    (re.compile(r"(?<=\w)[tsxd]\b"), ""),
    (re.compile(r"eau|au"), "o"),
    (re.compile(r"ai|ei|et\b|er\b|ez\b|é|è|ê"), "e"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"qu|c(?=[aou])|ck"), "k"),
    (re.compile(r"y"), "i"),
    (re.compile(r"h"), ""),
    (re.compile(r"(\w)\1"), r"\1"),
]


def sound(text: str) -> str:
    """A rough French phonetic key: "ambair", "ambert" and "anbert" sound alike."""
    key = fold(text)
    for _ in range(2):  # a second pass catches what the first uncovered ("ambair" -> "amber")
        for pattern, replacement in _SOUNDS:
            key = pattern.sub(replacement, key)
    return key.replace("an", "en").replace("m", "n")
