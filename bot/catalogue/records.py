"""One offer as it comes in (import file, connector, demo generator), validated field by field.

Every source of offers produces `OfferRecord`s; only `bot.catalogue.store` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

# What an offer is. Events carry an `event_type` too.
KINDS = ("job", "training", "apprenticeship", "internship", "immersion", "mrs", "event")
EVENT_TYPES = ("job_dating", "forum", "open_day", "escape_game", "factory_visit", "info_session")
CONTRACT_TYPES = (
    "CDI", "CDD", "intérim", "apprentissage", "contrat de professionnalisation", "stage",
    "PMSMP", "formation", "saisonnier",
)
REQUIRED = ("source", "source_id", "kind", "title", "organisation", "commune")
TEXT_LIMITS = {"title": 200, "organisation": 200, "description": 4000, "requirements": 2000,
               "how_to_apply": 2000, "url": 500, "source": 60, "source_id": 120}


class RecordError(ValueError):
    """A field of a record is missing or wrong; the message is for the operator, in French."""


@dataclass
class OfferRecord:
    source: str
    source_id: str
    kind: str
    title: str
    organisation: str
    commune: str  # INSEE code or commune name, resolved to a place of the territory
    trade: str | None = None  # canonical trade, a variant, or free text
    rome: str | None = None
    event_type: str | None = None
    contract_type: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    expires_on: date | None = None
    description: str = ""
    requirements: str = ""
    how_to_apply: str = ""
    url: str | None = None
    places_available: int | None = None
    demo: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls) if f.name != "extra")


def parse_date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise RecordError(
            f"{name} : date invalide « {value} » (format attendu AAAA-MM-JJ)"
        ) from None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def record_from_mapping(row: dict[str, Any]) -> OfferRecord:
    """Builds and checks a record from a flat mapping (a CSV row, a JSON object).

    Raises RecordError with every problem of the row joined, in French.
    """
    errors: list[str] = []
    unknown = sorted(set(row) - set(OfferRecord.field_names()) - {""})
    if unknown:
        errors.append(f"colonnes inconnues : {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name in REQUIRED:
        if not _text(row.get(name)):
            errors.append(f"{name} : obligatoire")
    for name in ("source", "source_id", "kind", "title", "organisation", "commune", "trade", "rome",
                 "event_type", "contract_type", "description", "requirements", "how_to_apply",
                 "url"):
        text = _text(row.get(name))
        limit = TEXT_LIMITS.get(name)
        if limit and len(text) > limit:
            errors.append(f"{name} : trop long ({len(text)} caractères, {limit} au plus)")
        values[name] = text
    kind = values["kind"]
    if kind and kind not in KINDS:
        errors.append(f"kind : « {kind} » inconnu (valeurs : {', '.join(KINDS)})")
    if values["event_type"] and values["event_type"] not in EVENT_TYPES:
        errors.append(f"event_type : « {values['event_type']} » inconnu "
                      f"(valeurs : {', '.join(EVENT_TYPES)})")
    if kind == "event" and not values["event_type"]:
        errors.append("event_type : obligatoire pour un événement")
    if values["contract_type"] and values["contract_type"] not in CONTRACT_TYPES:
        errors.append(f"contract_type : « {values['contract_type']} » inconnu "
                      f"(valeurs : {', '.join(CONTRACT_TYPES)})")
    if values["url"] and not values["url"].startswith(("https://", "http://")):
        errors.append("url : doit commencer par https://")
    dates: dict[str, date | None] = {}
    for name in ("start_date", "end_date", "expires_on"):
        try:
            dates[name] = parse_date(row.get(name), name)
        except RecordError as error:
            errors.append(str(error))
            dates[name] = None
    if dates["start_date"] and dates["end_date"] and dates["end_date"] < dates["start_date"]:
        errors.append("end_date : avant start_date")
    places = row.get("places_available")
    seats: int | None = None
    if places not in (None, ""):
        try:
            seats = int(places)
            if seats < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(f"places_available : nombre entier positif attendu, pas « {places} »")
    demo = str(row.get("demo", "")).strip().lower() in ("1", "true", "oui", "yes")
    if errors:
        raise RecordError(" ; ".join(errors))
    return OfferRecord(
        source=values["source"], source_id=values["source_id"], kind=kind,
        title=values["title"], organisation=values["organisation"], commune=values["commune"],
        trade=values["trade"] or None, rome=values["rome"] or None,
        event_type=values["event_type"] or None, contract_type=values["contract_type"] or None,
        start_date=dates["start_date"], end_date=dates["end_date"],
        expires_on=dates["expires_on"], description=values["description"],
        requirements=values["requirements"], how_to_apply=values["how_to_apply"],
        url=values["url"] or None, places_available=seats, demo=demo,
    )
