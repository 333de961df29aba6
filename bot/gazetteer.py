"""Finds and normalises names (trades, places) however users spell them.

A Gazetteer holds entries, each with its written forms. It answers two questions:
- `match(span)`: which entry does this piece of text name? (exact after folding, then typos)
- `find(text)`: where in this text are entries named? (exact after folding, longest first)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Generic, Iterable, TypeVar

from bot.text import edit_distance, fold, max_typos, sound

T = TypeVar("T")

_WORD = re.compile(r"\w+", re.UNICODE)
# Words that may precede a name inside a span without being part of it.
LEADING_WORDS = {
    "a", "au", "aux", "vers", "sur", "de", "du", "des", "d", "le", "la", "les", "l", "en", "dans",
    "pres", "cote", "un", "une", "pour", "chez", "secteur", "coin", "region", "metier", "job",
}
# Before an ambiguous name (a commune called "Job", "Ris"...), one of these must stand.
PLACE_CUES = frozenset({"a", "vers", "sur", "de", "pres", "cote", "habite", "chez", "depuis"})
# Before an ambiguous trade word ("bois", "presse", "production"), one of these must stand.
TRADE_CUES = frozenset(
    {"de", "d", "en", "dans", "comme", "la", "le", "l", "du", "un", "une"}
    | {"metier", "secteur", "poste"}
)


@dataclass(frozen=True)
class Found(Generic[T]):
    start: int
    end: int
    text: str
    entry: T


@dataclass
class Gazetteer(Generic[T]):
    """Entries keyed by their folded forms. `ambiguous` forms need a preposition in `find`."""

    forms: dict[str, T] = field(default_factory=dict)
    sounds: dict[str, T] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    cues: frozenset[str] = PLACE_CUES
    max_words: int = 1

    def add(self, form: str, entry: T, ambiguous: bool = False) -> None:
        key = fold(form)
        if not key or key in self.forms:
            return
        self.forms[key] = entry
        if len(key) >= 4:
            self.sounds.setdefault(sound(key), entry)
        if ambiguous:
            self.ambiguous.add(key)
        self.max_words = max(self.max_words, key.count(" ") + 1)

    def match(self, span: str) -> T | None:
        """The entry this span names, tolerating accents, hyphens, abbreviations and typos."""
        key = fold(span)
        if not key:
            return None
        if key in self.forms:
            return self.forms[key]
        words = key.split()
        while len(words) > 1 and words[0] in LEADING_WORDS:
            words = words[1:]
            key = " ".join(words)
            if key in self.forms:
                return self.forms[key]
        inside = self.find(span, allow_ambiguous=True)
        if inside:
            return max(inside, key=lambda f: f.end - f.start).entry
        if len(key) >= 4 and sound(key) in self.sounds:
            return self.sounds[sound(key)]
        return self._closest(key)

    def _closest(self, key: str) -> T | None:
        best: tuple[int, int, T] | None = None
        for form, entry in self.forms.items():
            limit = max_typos(min(len(form), len(key)))
            if limit == 0 or form[0] != key[0] and limit < 2:
                continue
            distance = edit_distance(key, form, limit)
            if distance <= limit:
                rank = (distance, -len(form), entry)
                if best is None or rank[:2] < best[:2]:
                    best = rank
        return best[2] if best else None

    def find(self, text: str, allow_ambiguous: bool = False) -> list[Found[T]]:
        """Every non-overlapping name in `text`, longest first, with its character span."""
        tokens = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
        folded = [t[2] for t in tokens]
        found: list[Found[T]] = []
        taken: set[int] = set()
        for size in range(min(self.max_words + 2, len(tokens)), 0, -1):
            for i in range(len(tokens) - size + 1):
                if taken.intersection(range(i, i + size)):
                    continue
                key = " ".join(w for w in folded[i : i + size] if w)
                entry = self.forms.get(key)
                if entry is None:
                    continue
                if key in self.ambiguous and not allow_ambiguous:
                    before = folded[i - 1] if i > 0 else ""
                    if before not in self.cues:
                        continue
                start, end = tokens[i][0], tokens[i + size - 1][1]
                found.append(Found(start, end, text[start:end], entry))
                taken.update(range(i, i + size))
        return sorted(found, key=lambda f: f.start)


def build(
    pairs: Iterable[tuple[str, T]],
    ambiguous: Iterable[str] = (),
    cues: frozenset[str] = PLACE_CUES,
) -> Gazetteer[T]:
    gazetteer: Gazetteer[T] = Gazetteer(cues=cues)
    ambiguous_keys = {fold(a) for a in ambiguous}
    for form, entry in pairs:
        gazetteer.add(form, entry, ambiguous=fold(form) in ambiguous_keys)
    return gazetteer
