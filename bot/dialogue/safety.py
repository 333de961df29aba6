"""The safety layer: a person in distress is recognised before anything else (any form, any
search, and while a counsellor holds the conversation) and gets the right number at once.

Two detectors, either is enough (a false alarm costs little, a miss can cost a life): the
lexicon of content/safety_patterns.yml on folded text and the statistical detector of
bot/dialogue/distress_model.py. The NLU's distress_* intents only soften the answer to a
discouraged message (see INTENT_CONFIDENCE). Thresholds are chosen on a calibration set
(bench/safety_calibration.py), never on the held-out set. What Indy says, with each number,
its hours and its source, is in content/safety.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.content import load_yaml
from bot.dialogue import distress_model
from bot.settings import get_settings
from bot.text import fold

# When a message raises several, the most urgent answer comes first.
CATEGORIES = ("suicide", "minor_abuse", "violence", "shelter", "hunger", "harassment", "unwell")
INTENT_PREFIX = "distress_"
# The NLU's distress intents alone raise no alarm: on the calibration set they added false
# alarms (2.5 % -> 7.6 %) and no recall beside the lexicon and the statistical detector
# (bench/safety_calibration.py, 2026-12-04). Above this confidence they still do (never
# reached in practice; kept so that a better NLU can be given the word again).
INTENT_CONFIDENCE = 1.01
MAX_CHARS = 4000  # longer messages are read in their first 4,000 characters


@dataclass(frozen=True)
class Lexicon:
    patterns: dict[str, tuple[re.Pattern, ...]]
    exclusions: tuple[re.Pattern, ...]


@lru_cache(maxsize=4)
def _lexicon(path: Path) -> Lexicon:
    raw = load_yaml(path) or {}
    patterns = {
        category: tuple(re.compile(p) for p in (raw.get("categories") or {}).get(category) or ())
        for category in CATEGORIES
    }
    exclusions = tuple(re.compile(p) for p in raw.get("exclusions") or ())
    return Lexicon(patterns, exclusions)


def lexicon() -> Lexicon:
    return _lexicon(get_settings().content_dir / "safety_patterns.yml")


def detect(text: str | None, intent: str | None = None, confidence: float = 0.0,
           statistical: bool = True) -> str | None:
    """The distress category of a message, or None."""
    return detect_with_source(text, intent, confidence, statistical)[0]


def detect_with_source(text: str | None, intent: str | None = None, confidence: float = 0.0,
                       statistical: bool = True) -> tuple[str | None, str | None]:
    """The category and the detector that raised it: "lexicon", "nlu" or "statistical"."""
    raw = (text or "").strip()
    if raw.startswith("/"):  # a button's payload
        return None, None
    words = lexicon()
    folded = fold(raw[:MAX_CHARS])
    for exclusion in words.exclusions:
        folded = exclusion.sub(" ", folded)
    for category in CATEGORIES:
        if any(p.search(folded) for p in words.patterns[category]):
            return category, "lexicon"
    if intent and intent.startswith(INTENT_PREFIX) and confidence >= INTENT_CONFIDENCE:
        category = intent[len(INTENT_PREFIX):]
        return (category if category in CATEGORIES else "unwell"), "nlu"
    if statistical:
        category = distress_model.category(raw)
        if category:
            return (category if category in CATEGORIES else "unwell"), "statistical"
    return None, None


# Harassment at work or on a placement gets the work variant (3919, 116 006, the law).
_AT_WORK = re.compile(r"\b(?:chef|cheffe|patron|patronne|boss|collegue|collegues|superieur|"
                      r"manager|responsable|taf|boulot|travail|usine|atelier|entreprise|boite|"
                      r"alternance|apprentissage|stage|interim|mission|poste|employeur|rh)\b")


_ONLINE = re.compile(r"\b(?:nudes?|photos?|videos?|insta|instagram|snap|snapchat|tiktok|reseaux|"
                     r"en ligne|publier|poster|diffuser|sextorsion|montage|compte fake)\b")
_HIT = re.compile(r"\b(?:frappe|tape|coups?|cogne|gifle|claque|viol|violee|etrangle)\b")


def variant(category: str, text: str | None, age: int | None, minor: bool = False) -> str:
    """The answer to give: by age for the listening lines, by place for harassment; violence
    against a minor (an age under 18 said, or a pupil) is the child-protection answer."""
    raw = load_yaml(get_settings().content_dir / "safety.yml")["categories"]
    if category == "violence" and (minor or (age is not None and age < 18)) and \
            "minor_abuse" in raw:
        return "minor_abuse"
    folded = fold(text or "")[:MAX_CHARS]
    if category == "violence" and _ONLINE.search(folded) and not _HIT.search(folded):
        category = "harassment"  # « il menace de publier mes nudes »: the 3018 can act on it
    if category == "harassment" and _AT_WORK.search(fold(text or "")[:MAX_CHARS]) and \
            "harassment_work" in raw:
        return "harassment_work"
    if age is not None and age >= ADULT_FROM and f"{category}_adult" in raw:
        return f"{category}_adult"
    return category


ADULT_FROM = 26  # Fil Santé Jeunes is for 12-25: from 26, the adults' listening line


def messages(category: str, age: int | None = None) -> list[dict]:
    """What Indy says for this category: texts with their numbers (content/safety.yml). An age
    said earlier chooses the listening line (« unwell_adult » from 26)."""
    raw = load_yaml(get_settings().content_dir / "safety.yml")
    if age is not None and age >= ADULT_FROM and f"{category}_adult" in raw["categories"]:
        category = f"{category}_adult"
    entry = raw["categories"].get(category) or raw["categories"]["unwell"]
    return [dict(m) for m in entry["messages"]]


def followup_messages(category: str | None = None) -> list[dict]:
    """Said when the person asks about the help just given (free, anonymous, confidential,
    « ils vont venir chez moi ? »): the category's own answer, else the general one."""
    raw = load_yaml(get_settings().content_dir / "safety.yml")
    own = (raw.get("followup_by_category") or {}).get(category or "")
    return [dict(m) for m in own or raw.get("followup") or []]


def has_followup(category: str) -> bool:
    """Whether content/safety.yml has a follow-up of its own for this category or key."""
    raw = load_yaml(get_settings().content_dir / "safety.yml")
    return bool((raw.get("followup_by_category") or {}).get(category))


def reminder(category: str) -> str:
    """One line with the essential numbers of a category."""
    raw = load_yaml(get_settings().content_dir / "safety.yml")
    lines = raw.get("reminder") or {}
    return lines.get(category) or lines.get(category.replace("_adult", "")) or \
        lines.get("unwell", "")


def counsellor_alert(category: str) -> str:
    """The line a counsellor sees first when the person they talk to raised this."""
    raw = load_yaml(get_settings().content_dir / "safety.yml")
    alerts = raw.get("counsellor_alert") or {}
    return alerts.get(category) or alerts.get("default") or (
        "⚠️ Message sensible : la personne a peut-être besoin d'aide urgente. Indy lui a "
        "donné les numéros d'urgence.")
