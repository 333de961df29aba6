"""What Indy remembers of a conversation between two messages: the search under way, what the
person said of themselves, and the question Indy is waiting an answer to.

Kept in one Rasa slot (`indy`) as a plain dict, so the tracker store holds it like any slot.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Search:
    kind: str | None = None  # job, training, apprenticeship, internship, immersion, event, mrs
    trade: str | None = None  # canonical trade name, "any", or None (not asked yet)
    trade_said: str | None = None  # the person's word for it when it differs (« magasinier »)
    place: str | None = None  # INSEE code or area id, or None (not asked yet)
    contract: str | None = None  # CDI, CDD, intérim
    grade: str | None = None  # 3e or seconde, for school internships
    min_radius_km: int | None = None  # "plus loin": start the search at this radius
    offset: int = 0  # offers shown so far
    shown: list[int] = field(default_factory=list)  # ids of the offers of the last page
    radius_used: int | None = None  # the radius the last search found its offers in


@dataclass
class Person:
    age: int | None = None
    has_car: bool | None = None  # a licence and a vehicle
    rqth: bool = False
    pupil: bool = False  # at school (collège, lycée)
    name: str | None = None  # what the person wants to be called (handoff only)
    refused_name: bool = False
    has_car_before: bool | None = None  # what the last search ran with
    car_hint: bool = False  # « sans voiture ? dis-le-moi » said once
    english: bool = False  # wrote in English: Indy's introduction in English said once


@dataclass
class Pending:
    """The question Indy asked and waits an answer to. `options` are its buttons, so a typed
    answer that says the same thing as a button works as the button does."""

    slot: str  # place, trade, grade, kind, consent, name, contact, erase, results, choice
    options: list[dict[str, str]] = field(default_factory=list)
    tries: int = 0
    yes: str | None = None  # the payload « oui », « ok », « vas-y » stand for
    no: str | None = None  # and « non »
    response: str | None = None  # the question, to ask again after a digression
    variables: dict[str, str] = field(default_factory=dict)
    own_buttons: bool = False  # the buttons were made for this question (not domain.yml's)


@dataclass
class Context:
    search: Search = field(default_factory=Search)
    person: Person = field(default_factory=Person)
    pending: Pending | None = None
    handoff_reason: str | None = None
    offer_id: int | None = None  # the offer the person looked at last
    misses: int = 0  # messages in a row Indy did not understand
    safety: str | None = None  # the last distress category raised in this conversation
    topic: str | None = None  # the last fact given, for « et à 18 ans ? »
    safety_turns: int = 0  # messages after a safety answer still read as about it
    fact_just_said: str | None = None  # the fact of Indy's last answer (never twice in a row)
    trade_talked: str | None = None  # the trade last described (« et ça paie combien ? »)
    trade_just_said: bool = False  # Indy's last answer was that trade's card
    outside_trade: str | None = None  # a trade outside industry just named (« infirmier »)
    recent_topics: list[str] = field(default_factory=list)  # the last facts given, oldest first

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> Context:
        if not isinstance(raw, dict):
            return cls()
        pending = raw.get("pending")
        return cls(
            search=_build(Search, raw.get("search")),
            person=_build(Person, raw.get("person")),
            pending=_build(Pending, pending) if isinstance(pending, dict) else None,
            handoff_reason=raw.get("handoff_reason"),
            offer_id=raw.get("offer_id"),
            misses=int(raw.get("misses") or 0),
            safety=raw.get("safety"),
            topic=raw.get("topic"),
            safety_turns=int(raw.get("safety_turns") or 0),
            fact_just_said=raw.get("fact_just_said"),
            trade_talked=raw.get("trade_talked"),
            trade_just_said=bool(raw.get("trade_just_said")),
            outside_trade=raw.get("outside_trade"),
            recent_topics=[str(t) for t in raw.get("recent_topics") or []][-4:],
        )


def _build(kind, raw: Any):
    """A dataclass from a stored dict, ignoring keys an older or newer version wrote."""
    if not isinstance(raw, dict):
        return kind()
    names = kind.__dataclass_fields__.keys()
    return kind(**{k: v for k, v in raw.items() if k in names})
