"""Canonical values for the `job` and `location` entities (used by the NLU component)."""

from __future__ import annotations

from typing import Any

from bot.places import Place, place_gazetteer
from bot.text import fold
from bot.trades import Trade, trade_gazetteer

EXTRACTOR = "EntityNormalizer"
# Words DIET sometimes tags as a trade but that name no trade.
GENERIC_WORK_WORDS = {
    "travail", "boulot", "taf", "taff", "job", "emploi", "usine", "industrie", "stage", "formation",
    "alternance", "apprentissage", "immersion", "metier", "poste", "cdi", "cdd", "interim", "offre",
}

# Words DIET sometimes tags as a place but that name no place (« vas y elargis », « plus loin »).
NOT_PLACE_WORDS = {
    "elargis", "elargir", "elargi", "elargit", "elargie", "loin", "plus loin", "partout",
    "ailleurs", "autour", "ici", "la", "la bas", "labas", "chez moi", "peu importe", "nimporte ou",
    "n importe ou", "region", "coin", "secteur", "ville", "village", "campagne", "vas y", "vasy",
    "oui", "non", "ok", "merci", "cherche", "regarde", "pres", "proche", "a cote",
}


def _trade_fields(trade: Trade) -> dict[str, Any]:
    return {"value": trade.name, "rome": trade.rome, "sector": trade.sector}


def _place_fields(place: Place) -> dict[str, Any]:
    return {"value": place.key, "name": place.name, "kind": place.kind, "epci": list(place.epci)}


def _normalise_one(entity: dict[str, Any], text: str) -> dict[str, Any] | None:
    span = entity.get("value") if isinstance(entity.get("value"), str) else None
    if "start" in entity and "end" in entity:
        span = text[entity["start"] : entity["end"]] or span
    if not span:
        return entity
    if entity["entity"] == "job":
        trade = trade_gazetteer().match(span)
        if trade:
            return {**entity, **_trade_fields(trade)}
        if fold(span) in GENERIC_WORK_WORDS:
            return None
        return {**entity, "value": fold(span), "unknown": True}
    if entity["entity"] == "location":
        place = place_gazetteer().match(span)
        if place:
            return {**entity, **_place_fields(place)}
        if fold(span).strip() in NOT_PLACE_WORDS:
            return None
        return {**entity, "value": span.strip(), "unknown": True}
    return entity


def _overlaps(start: int, end: int, entities: list[dict[str, Any]]) -> bool:
    return any(
        "start" in e and start < e["end"] and e["start"] < end for e in entities
    )


def normalise_entities(
    text: str, entities: list[dict[str, Any]], add_missing: bool = True
) -> list[dict[str, Any]]:
    result = []
    for entity in entities:
        normalised = _normalise_one(entity, text)
        if normalised is not None:
            result.append(normalised)
    if add_missing:
        for kind, gazetteer, fields in (
            ("location", place_gazetteer(), _place_fields),
            ("job", trade_gazetteer(), _trade_fields),
        ):
            if any(e["entity"] == kind for e in result):
                continue
            for found in gazetteer.find(text):
                if _overlaps(found.start, found.end, result):
                    continue
                result.append(
                    {
                        "entity": kind,
                        "start": found.start,
                        "end": found.end,
                        "extractor": EXTRACTOR,
                        **fields(found.entry),
                    }
                )
    return sorted(result, key=lambda e: e.get("start", 0))
