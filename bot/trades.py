"""The canonical trades (content/trades.yml) and the normalisation of what users call them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.content import load_yaml
from bot.gazetteer import TRADE_CUES, Gazetteer, build
from bot.settings import get_settings
from bot.text import fold


@dataclass(frozen=True)
class Trade:
    name: str
    rome: str | None
    sector: str
    variants: tuple[str, ...]


def load_trades(path: Path | None = None) -> list[Trade]:
    path = path or get_settings().content_dir / "trades.yml"
    raw = load_yaml(path)
    return [
        Trade(
            name=item["name"],
            rome=item.get("rome"),
            sector=item.get("sector", ""),
            variants=tuple(item.get("variants", [])),
        )
        for item in raw["trades"]
    ]


@lru_cache(maxsize=4)
def trade_gazetteer(path: Path | None = None) -> Gazetteer[Trade]:
    trades = load_trades(path)
    pairs = [(t.name, t) for t in trades]  # canonical names first: they win over variants
    pairs += [(v, t) for t in trades for v in t.variants]
    raw = load_yaml(path or get_settings().content_dir / "trades.yml")
    return build(pairs, ambiguous=raw.get("ambiguous_words", []), cues=TRADE_CUES)


def normalise_trade(text: str) -> Trade | None:
    return trade_gazetteer().match(text)


def trades_named_with(word: str) -> list[str]:
    """« technicien » alone: every trade whose name starts with that word (several means the
    person must say which); none when the word is itself a trade's name or variant."""

    key = fold(word)
    if not key or " " in key:
        return []
    trades = load_trades()
    if any(fold(t.name) == key or key in {fold(v) for v in t.variants} for t in trades):
        return []
    return [t.name for t in trades if _masculine(fold(t.name).split()[0]) == _masculine(key)]


def _masculine(word: str) -> str:
    for feminine, masculine in (("ienne", "ien"), ("trice", "teur"), ("euse", "eur"),
                                ("iere", "ier")):
        if word.endswith(feminine):
            return word[: -len(feminine)] + masculine
    return word


@lru_cache(maxsize=1)
def trade_names() -> frozenset[str]:
    return frozenset(t.name for t in load_trades())


# « j'aime bricoler », « je kiffe l'informatique », « passionné par le dessin »
_LIKE = r"\b(?:j aime|j adore|jaime|jadore|j aimerais|je kiffe|jkiffe|kiffe|passionne|passionnee|" \
        r"fan d|fan de|ca me plait|me plait|bon en|bonne en|doue en|douee en|interesse par|" \
        r"interessee par)\b(?! pas\b| plus\b| trop pas\b)"


@dataclass(frozen=True)
class Suggestion:
    """Trades to look at for what a person said they like and/or cannot do physically."""

    said: str | None  # the like, as Indy says it back (« bricoler »), if any
    gentle: bool  # « pas trop physique », « mal au dos »
    trades: tuple[str, ...]


@lru_cache(maxsize=1)
def _suggestion_rules() -> tuple[tuple[tuple[re.Pattern, str, tuple[str, ...]], ...],
                                 re.Pattern, tuple[str, ...]]:
    raw = load_yaml(get_settings().content_dir / "trades.yml")
    likes = tuple(
        (re.compile(_LIKE + r".{0,40}?\b(?:" + "|".join(re.escape(w) for w in item["words"]) + ")"),
         item["said"], tuple(item["trades"]))
        for item in raw.get("likes", []))
    gentle = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in raw.get("gentle_words", []))
                        + r")\b")
    easy = tuple(item["name"] for item in raw["trades"]
                 if "peu d effort physique" in fold(item.get("conditions", "")))
    return likes, gentle, easy


def suggestion(folded: str) -> Suggestion | None:
    """What to look at for « j'aime bricoler mais pas trop physique » (folded text); None when
    the message says no like and no physical limit."""
    likes, gentle_words, easy = _suggestion_rules()
    liked = next(((said, trades) for pattern, said, trades in likes if pattern.search(folded)),
                 None)
    gentle = bool(gentle_words.search(folded))
    if liked is None and not gentle:
        return None
    if liked is None:
        return Suggestion(None, True, easy)
    said, trades = liked
    if gentle:
        trades = tuple(t for t in trades if t in easy) or easy
    return Suggestion(said, gentle, trades)


@lru_cache(maxsize=1)
def _near_outside() -> tuple[tuple[re.Pattern, str, tuple[str, ...]], ...]:
    raw = load_yaml(get_settings().content_dir / "trades.yml")
    return tuple((re.compile(r"\b(?:" + "|".join(re.escape(w) for w in item["words"]) + ")"),
                  item["said"], tuple(item["trades"]))
                 for item in raw.get("near_outside", []))


def near_outside(word: str) -> Suggestion | None:
    """Industry trades close to a trade outside industry (« infirmier »: quality, chemistry),
    from content/trades.yml `near_outside`; None when none is listed."""
    folded = fold(word)
    return next((Suggestion(said, False, trades) for pattern, said, trades in _near_outside()
                 if pattern.search(folded)), None)
