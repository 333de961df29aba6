"""The canonical trades (content/trades.yml) and the normalisation of what users call them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.content import load_yaml
from bot.gazetteer import TRADE_CUES, Gazetteer, build
from bot.settings import get_settings


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
    from bot.text import fold

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
